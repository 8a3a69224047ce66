package io.tickwave.server.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tickwave.protocol.ChatSend;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.GameEvent;
import io.tickwave.protocol.Input;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.Ping;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.replication.ReplicaClient;
import io.tickwave.replication.Schema;
import io.tickwave.server.testgame.protocol.WalkerInput;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) for tests: sends protocol messages, keeps every decoded server
 * message, and remembers the close code. When the welcome carries a {@code replication_schema}, it
 * also rebuilds the replicated state from every snapshot with a {@link ReplicaClient}, as a real
 * client would, and checks it against each {@code state_hash}. Thread-safe: the JDK delivers on its own
 * threads (one at a time), tests read from theirs.
 */
public final class TestClient implements AutoCloseable {

    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
    /** One HTTP client (and its selector thread) for every test client of the JVM. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final WebSocket socket;
    private final List<ServerMessage> received = new CopyOnWriteArrayList<>();
    /** When each snapshot arrived, on the {@code System.nanoTime()} clock, oldest first. */
    private final List<Long> snapshotArrivalsNs = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile boolean reading = true;
    /** The rebuilt replicated state; null until a welcome with a schema. Guarded by {@link #replicaLock}. */
    private ReplicaClient replica;
    private final Object replicaLock = new Object();
    /** What went wrong rebuilding the state: a hash that did not match, a snapshot that failed to apply. */
    private final List<String> replicaProblems = new CopyOnWriteArrayList<>();
    private volatile int hashesMatched;
    private volatile int snapshotsApplied;

    private TestClient(HttpClient http, URI uri) {
        this.socket = http.newWebSocketBuilder()
                .buildAsync(uri, new Listener()).join();
    }

    /** Connects to {@code ws://127.0.0.1:port/ws}. */
    public static TestClient connect(int port) {
        return new TestClient(HTTP, URI.create("ws://127.0.0.1:" + port + "/ws"));
    }

    /** Connects to {@code uri} (e.g. a wss:// one) with {@code http}'s settings (e.g. its SSL context). */
    public static TestClient connect(HttpClient http, URI uri) {
        return new TestClient(http, uri);
    }

    /** Connects and joins, and waits for the welcome. */
    public static TestClient joined(int port, String name) {
        TestClient client = connect(port);
        client.join(name);
        client.awaitMessage(m -> m.hasWelcome());
        return client;
    }

    public void join(String name) {
        send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName(name).setProtocolVersion(2)).build());
    }

    /** Joins with a reconnect token from an earlier {@code Welcome}, to take that seat back. */
    public void rejoin(String name, ByteString reconnectToken) {
        send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName(name).setProtocolVersion(2)
                .setReconnectToken(reconnectToken)).build());
    }

    /** Ends the connection without a close frame, as a lost network or a killed tab does. */
    public void drop() {
        socket.abort();
    }

    public void input(long seq, int moveX, int moveY) {
        input(seq, moveX, moveY, false);
    }

    public void input(long seq, int moveX, int moveY, boolean fire) {
        WalkerInput payload = WalkerInput.newBuilder().setMoveX(moveX).setMoveY(moveY).setFire(fire).build();
        send(ClientMessage.newBuilder()
                .setInput(Input.newBuilder().setSeq((int) seq).setPayload(payload.toByteString())).build());
    }

    public void inputWithPayload(long seq, ByteString payload) {
        send(ClientMessage.newBuilder().setInput(Input.newBuilder().setSeq((int) seq).setPayload(payload)).build());
    }

    public void chat(String text) {
        send(ClientMessage.newBuilder().setChat(ChatSend.newBuilder().setText(text)).build());
    }

    public void ping(long clientTime) {
        send(ClientMessage.newBuilder().setPing(Ping.newBuilder().setClientTime(clientTime)).build());
    }

    public void send(ClientMessage message) {
        sendRaw(message.toByteArray());
    }

    public void sendRaw(byte[] frame) {
        socket.sendBinary(ByteBuffer.wrap(frame), true).join();
    }

    /** A WebSocket-level ping frame (not a protocol Ping message). */
    public void sendWebSocketPing() {
        socket.sendPing(ByteBuffer.allocate(0)).join();
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** Stops taking frames from the socket, so the server's writes back up as with a stuck client. */
    public void stopReading() {
        reading = false;
    }

    public List<ServerMessage> received() {
        return new ArrayList<>(received);
    }

    /** Takes frames from the socket again after {@link #stopReading}. */
    public void resumeReading() {
        reading = true;
        socket.request(1);
    }

    /** The game events received so far, in order. */
    public List<GameEvent> events() {
        return received.stream().filter(ServerMessage::hasEvent).map(ServerMessage::getEvent).toList();
    }

    /** Waits until at least {@code count} game events arrived; returns all of them, in order. */
    public List<GameEvent> awaitEvents(int count, Duration wait) {
        return awaitCount(ServerMessage::hasEvent, count, wait).stream().map(ServerMessage::getEvent).toList();
    }

    /** Reads the rebuilt replicated state (null before a welcome with a schema) under its lock. */
    public <T> T withReplica(Function<ReplicaClient, T> read) {
        synchronized (replicaLock) {
            return read.apply(replica);
        }
    }

    /** Everything that went wrong rebuilding the replicated state; empty when all is well. */
    public List<String> replicaProblems() {
        return List.copyOf(replicaProblems);
    }

    /** Snapshots whose state_hash matched the rebuilt state. */
    public int hashesMatched() {
        return hashesMatched;
    }

    /** Snapshots applied to the rebuilt replicated state. */
    public int snapshotsApplied() {
        return snapshotsApplied;
    }

    /** Waits until {@code count} hashes matched, failing at once on a replication problem. */
    public void awaitHashesMatched(int count, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (hashesMatched < count) {
            if (!replicaProblems.isEmpty()) {
                throw new AssertionError("rebuilding the replicated state went wrong: " + replicaProblems);
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("only " + hashesMatched + " of " + count + " state hashes matched within "
                        + wait + "; received " + summary());
            }
            sleepBriefly();
        }
    }

    /** Listener thread: what a real client does with a message before the test looks at it. */
    private void replicate(ServerMessage message) {
        synchronized (replicaLock) {
            if (message.hasWelcome() && message.getWelcome().hasReplicationSchema()) {
                replica = new ReplicaClient(Schema.fromMessage(message.getWelcome().getReplicationSchema()));
                return;
            }
            if (!message.hasSnapshot() || replica == null) {
                return;
            }
            Snapshot snapshot = message.getSnapshot();
            byte[] state = snapshot.getState().toByteArray();
            try {
                replica.apply(snapshot.getTick(), snapshot.getBaselineTick(), state, 0, state.length);
                snapshotsApplied++;
            } catch (RuntimeException e) {
                replicaProblems.add("snapshot " + snapshot.getTick() + " against " + snapshot.getBaselineTick()
                        + " failed to apply: " + e);
                return;
            }
            if (snapshot.hasStateHash()) {
                int rebuilt = replica.stateHash();
                if (rebuilt == snapshot.getStateHash()) {
                    hashesMatched++;
                } else {
                    replicaProblems.add("snapshot " + snapshot.getTick() + " against " + snapshot.getBaselineTick()
                            + ": state_hash " + Integer.toHexString(snapshot.getStateHash()) + ", rebuilt state hashes to "
                            + Integer.toHexString(rebuilt));
                }
            }
        }
    }

    /** Waits for the first received message matching {@code test}, failing after 10 seconds. */
    public ServerMessage awaitMessage(Predicate<ServerMessage> test) {
        return awaitMessage(test, DEFAULT_WAIT);
    }

    public ServerMessage awaitMessage(Predicate<ServerMessage> test, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (ServerMessage message : received) {
                if (test.test(message)) {
                    return message;
                }
            }
            sleepBriefly();
        }
        throw new AssertionError("no matching message within " + wait + "; received " + summary());
    }

    /** Waits until at least {@code count} received messages match {@code test}. */
    public List<ServerMessage> awaitCount(Predicate<ServerMessage> test, int count, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<ServerMessage> matching = received.stream().filter(test).toList();
            if (matching.size() >= count) {
                return matching;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("only " + matching.size() + " of " + count + " matching messages within "
                        + wait + "; received " + summary());
            }
            sleepBriefly();
        }
    }

    /**
     * The longest time within {@code [fromNs, toNs]} (System.nanoTime) without a snapshot arriving: the
     * gaps between consecutive arrivals, and from each end of the window to the nearest arrival inside it.
     */
    public long longestSnapshotGapNs(long fromNs, long toNs) {
        long longest = 0;
        long previous = fromNs;
        for (long arrival : snapshotArrivalsNs) {
            if (arrival - fromNs < 0) {
                continue;
            }
            if (arrival - toNs > 0) {
                break;
            }
            longest = Math.max(longest, arrival - previous);
            previous = arrival;
        }
        return Math.max(longest, toNs - previous);
    }

    /** Snapshots that arrived within {@code [fromNs, toNs]} (System.nanoTime). */
    public long snapshotsArrivedBetween(long fromNs, long toNs) {
        return snapshotArrivalsNs.stream().filter(at -> at - fromNs >= 0 && at - toNs <= 0).count();
    }

    /** Waits for the server's close frame and returns its code. */
    public int awaitClose(Duration wait) {
        try {
            return closeCode.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no close within " + wait + "; received " + summary(), e);
        }
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    private String summary() {
        StringBuilder kinds = new StringBuilder();
        int snapshots = 0;
        for (ServerMessage message : received) {
            if (message.hasSnapshot()) {
                snapshots++;
            } else {
                kinds.append(message.getKindCase()).append(' ');
            }
        }
        return snapshots + " snapshots and [" + kinds.toString().trim() + "]";
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    /** Reassembles binary messages and decodes them; requests more only while reading. */
    private final class Listener implements WebSocket.Listener {
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.writeBytes(bytes);
            if (last) {
                try {
                    ServerMessage message = ServerMessage.parseFrom(partial.toByteArray());
                    if (message.hasSnapshot()) {
                        snapshotArrivalsNs.add(System.nanoTime());
                    }
                    replicate(message);
                    received.add(message);
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError("server sent an undecodable frame", e);
                } finally {
                    partial.reset();
                }
            }
            if (reading) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            throw new AssertionError("server sent a text frame: " + data);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.complete(-1);
        }
    }
}
