package io.tickwave.arena;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tickwave.arena.protocol.ArenaEvent;
import io.tickwave.arena.protocol.ArenaInfo;
import io.tickwave.arena.protocol.ArenaInput;
import io.tickwave.arena.protocol.PlayerScore;
import io.tickwave.arena.protocol.Ship;
import io.tickwave.arena.sim.ArenaRules;
import io.tickwave.protocol.ChatLine;
import io.tickwave.protocol.ChatSend;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Input;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.protocol.Welcome;
import io.tickwave.replication.ReplicaClient;
import io.tickwave.replication.Schema;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real WebSocket player for tests: joins, sends inputs and chat, and keeps what the server sent. It
 * rebuilds the replicated state from every snapshot with the {@link ReplicaClient} built from
 * {@code Welcome.replication_schema}, as a real client does, and keeps the newest as an {@link ArenaView};
 * the arena's events ({@code ArenaEvent}) are kept in order.
 *
 * <p>Threads: the JDK's WebSocket thread delivers messages, applies snapshots to the replica and writes
 * the volatile/concurrent fields; the test thread reads them and sends. Sends are serialised by
 * {@code synchronized}.
 */
public final class ArenaWebSocketClient implements AutoCloseable {

    private final WebSocket socket;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile Welcome welcome;
    private volatile Snapshot lastSnapshot;
    private volatile ArenaView lastState;
    /** Touched by the WebSocket thread only. */
    private ReplicaClient replica;
    private double bulletSpeed = ArenaRules.standard().bulletSpeed();
    private final List<ArenaEvent> events = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private final List<ChatLine> chat = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    /** The room's comings and goings after our welcome: "joined 7", "left 7". */
    private final List<String> roomChanges = new CopyOnWriteArrayList<>();
    private int seq;

    private ArenaWebSocketClient(WebSocket socket) {
        this.socket = socket;
    }

    /** Connects to {@code ws://127.0.0.1:port/ws} and sends a join. */
    public static ArenaWebSocketClient join(int port, String name) throws Exception {
        CompletableFuture<ArenaWebSocketClient> created = new CompletableFuture<>();
        Listener listener = new Listener(created);
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), listener)
                .get(10, TimeUnit.SECONDS);
        ArenaWebSocketClient client = new ArenaWebSocketClient(socket);
        created.complete(client);
        client.send(ClientMessage.newBuilder()
                .setJoin(Join.newBuilder().setName(name).setProtocolVersion(2)).build());
        return client;
    }

    private static final class Listener implements WebSocket.Listener {
        private final CompletableFuture<ArenaWebSocketClient> client;

        Listener(CompletableFuture<ArenaWebSocketClient> client) {
            this.client = client;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            ArenaWebSocketClient c = client.join();
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            c.partial.writeBytes(chunk);
            if (last) {
                byte[] whole = c.partial.toByteArray();
                c.partial.reset();
                c.onMessage(whole);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            client.join().closed = true;
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            client.join().closed = true;
        }
    }

    private void onMessage(byte[] bytes) {
        try {
            ServerMessage m = ServerMessage.parseFrom(bytes);
            switch (m.getKindCase()) {
                case WELCOME -> {
                    Welcome w = m.getWelcome();
                    bulletSpeed = ArenaInfo.parseFrom(w.getGameInfo()).getBulletSpeed();
                    replica = new ReplicaClient(Schema.fromMessage(w.getReplicationSchema()));
                    welcome = w;
                }
                case SNAPSHOT -> {
                    Snapshot snapshot = m.getSnapshot();
                    byte[] state = snapshot.getState().toByteArray();
                    try {
                        replica.apply(snapshot.getTick(), snapshot.getBaselineTick(), state, 0, state.length);
                    } catch (RuntimeException e) {
                        errors.add("snapshot " + snapshot.getTick() + " did not apply: " + e);
                        return;
                    }
                    if (snapshot.hasStateHash() && snapshot.getStateHash() != replica.stateHash()) {
                        errors.add("snapshot " + snapshot.getTick() + ": state hash differs from the rebuilt state's");
                    }
                    lastState = ArenaView.of(replica, bulletSpeed);
                    lastSnapshot = snapshot;
                }
                case EVENT -> events.add(ArenaEvent.parseFrom(m.getEvent().getPayload()));
                case CHAT -> chat.add(m.getChat());
                case PLAYER_JOINED -> roomChanges.add("joined " + m.getPlayerJoined().getPlayerId());
                case PLAYER_LEFT -> roomChanges.add("left " + m.getPlayerLeft().getPlayerId());
                case ERROR -> errors.add(m.getError().getCode() + ": " + m.getError().getMessage());
                default -> {
                }
            }
        } catch (InvalidProtocolBufferException e) {
            errors.add("unparseable frame: " + e.getMessage());
        }
    }

    private synchronized void send(ClientMessage message) {
        if (!closed) {
            socket.sendBinary(ByteBuffer.wrap(message.toByteArray()), true).join();
        }
    }

    /** Sends one input with the next sequence number; returns that number. */
    public synchronized int sendInput(int moveX, int moveY, float aim, boolean fire) {
        seq++;
        Snapshot newest = lastSnapshot;
        ArenaInput input = ArenaInput.newBuilder().setMoveX(moveX).setMoveY(moveY).setAim(aim).setFire(fire).build();
        send(ClientMessage.newBuilder()
                .setInput(Input.newBuilder().setSeq(seq).setPayload(ByteString.copyFrom(input.toByteArray()))
                        .setNewestSnapshotTick(newest == null ? 0 : newest.getTick())).build());
        return seq;
    }

    public void sendChat(String text) {
        send(ClientMessage.newBuilder().setChat(ChatSend.newBuilder().setText(text)).build());
    }

    public Welcome welcome() {
        return welcome;
    }

    public int playerId() {
        Welcome w = welcome;
        return w == null ? 0 : w.getPlayerId();
    }

    public Snapshot lastSnapshot() {
        return lastSnapshot;
    }

    /** The replicated state after the newest snapshot, or null before the first. */
    public ArenaView lastState() {
        return lastState;
    }

    /** The ship of {@code playerId} in the newest snapshot. */
    public Optional<Ship> ship(int playerId) {
        ArenaView state = lastState;
        return state == null ? Optional.empty() : state.ship(playerId);
    }

    /** The scoreboard line of {@code playerId} in the newest snapshot. */
    public Optional<PlayerScore> score(int playerId) {
        ArenaView state = lastState;
        return state == null ? Optional.empty() : state.score(playerId);
    }

    /** The arena's events received so far, in order. */
    public List<ArenaEvent> events() {
        return events;
    }

    public List<ChatLine> chat() {
        return chat;
    }

    /** The players who joined or left the room after our welcome, in order: "joined 7", "left 7". */
    public List<String> roomChanges() {
        return roomChanges;
    }

    public List<String> errors() {
        return errors;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Polls {@code condition} every 20 ms until it holds; fails with {@code what} after the timeout. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null);
    }
}
