package io.tickwave.testkit;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.tickwave.protocol.ChatLine;
import io.tickwave.protocol.ChatSend;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.GameEvent;
import io.tickwave.protocol.Input;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.PlayerJoined;
import io.tickwave.protocol.PlayerLeft;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.protocol.Welcome;
import io.tickwave.replication.MalformedStateException;
import io.tickwave.replication.ReplicaClient;
import io.tickwave.replication.Schema;
import io.tickwave.server.net.InboundGateway;
import io.tickwave.server.transport.memory.MemoryConnection;

import java.util.ArrayList;
import java.util.List;

/**
 * One player of a {@link GameTester}: a client on an in-memory connection to the real server. It sends
 * what a client sends (join, inputs with increasing seqs, chat) and keeps everything the server sent it,
 * in order, sorted by kind; for a game that replicates it rebuilds the state it was sent as a real
 * client does ({@link #state()}), checking every state hash.
 *
 * <p>What a player sends reaches the game at the next tick the tester runs; what the game sends is here
 * after that tick. Lists returned are copies, oldest first; {@link #clearReceived()} forgets what
 * arrived so far. Owned by the test's thread, like its tester.
 */
public final class TestPlayer {

    private final GameTester tester;
    private final String requestedName;
    private MemoryConnection connection;
    /** How many of {@link #connection}'s received messages have been sorted into the lists below. */
    private int seen;
    private boolean left;

    private Welcome welcome;
    private ReplicaClient replica;
    private final List<ServerMessage> received = new ArrayList<>();
    private final List<Snapshot> snapshots = new ArrayList<>();
    private final List<GameEvent> events = new ArrayList<>();
    private final List<ChatLine> chat = new ArrayList<>();
    private final List<io.tickwave.protocol.Error> errors = new ArrayList<>();
    private final List<PlayerJoined> playersJoined = new ArrayList<>();
    private final List<PlayerLeft> playersLeft = new ArrayList<>();
    private long lastInputSeq;
    private long newestSnapshotTick;
    private long ackedInputSeq;

    TestPlayer(GameTester tester, String requestedName, MemoryConnection connection) {
        this.tester = tester;
        this.requestedName = requestedName;
        this.connection = connection;
    }

    // ---------------------------------------------------------------- who

    /** The name the room knows the player by (the server may have added a suffix), or the requested one before the welcome. */
    public String name() {
        pump();
        if (welcome != null) {
            for (var info : welcome.getPlayersList()) {
                if (info.getPlayerId() == welcome.getPlayerId()) {
                    return info.getName();
                }
            }
        }
        return requestedName;
    }

    /** The player's id, from its welcome. */
    public int id() {
        return welcome().getPlayerId();
    }

    /** The player's room, from its welcome. */
    public int roomId() {
        return welcome().getRoomId();
    }

    /** Whether the server seated the player (a welcome arrived on this or an earlier connection). */
    public boolean isJoined() {
        pump();
        return welcome != null;
    }

    /** Whether the connection is open: not left, not dropped, not closed by the server. */
    public boolean isConnected() {
        pump();
        return connection != null && closeCode() == 0;
    }

    /** The newest welcome (a resumed seat's after {@link #reconnect()}); IllegalStateException before one. */
    public Welcome welcome() {
        pump();
        if (welcome == null) {
            throw new IllegalStateException(requestedName + " has no welcome (yet): " + describeRefusal());
        }
        return welcome;
    }

    /** The game's welcome info ({@code Welcome.game_info}), parsed. */
    public <T> T gameInfo(Parser<T> parser) {
        return parse(parser, welcome().getGameInfo(), "game_info");
    }

    // ---------------------------------------------------------------- sending

    /** Sends one input: the game's own message as the payload, with the next seq. Returns that seq. */
    public long input(MessageLite payload) {
        return input(payload.toByteString());
    }

    public long input(byte[] payload) {
        return input(ByteString.copyFrom(payload));
    }

    /**
     * Sends one input with the next seq (1, 2, ...; seqs go on across reconnects, as the seat's do) and the
     * newest snapshot tick this player holds, as a client reports it. Returns the seq.
     */
    public long input(ByteString payload) {
        long seq = lastInputSeq + 1;
        send(ClientMessage.newBuilder().setInput(Input.newBuilder()
                .setSeq((int) seq).setPayload(payload).setNewestSnapshotTick(newestSnapshotTick)).build());
        lastInputSeq = seq;
        return seq;
    }

    /** The seq of the last input sent, 0 before any. */
    public long lastInputSeq() {
        return lastInputSeq;
    }

    /** The newest snapshot's {@code ack_input_seq}: the last input of this player the game has applied. */
    public long ackedInputSeq() {
        pump();
        return ackedInputSeq;
    }

    /** Sends a chat line. */
    public void say(String text) {
        send(ClientMessage.newBuilder().setChat(ChatSend.newBuilder().setText(text)).build());
    }

    /** Sends any client message as it is (for what the helpers above do not cover). */
    public void send(ClientMessage message) {
        requireConnection().send(message);
    }

    // ---------------------------------------------------------------- connection

    /** Leaves on purpose (a close with 1000): the seat is given up, the game hears {@code playerLeft} at the next tick. */
    public void leave() {
        requireConnection().disconnect();
        left = true;
        pump();
        connection = null;
    }

    /**
     * Loses the connection without a close (a network drop): the seat waits {@code --reconnect-grace-ms}
     * (see {@link GameTester.Builder#reconnectGrace}); the game hears {@code playerDisconnected} at the next
     * tick, and {@code playerLeft} at the first tick after the grace ends unless {@link #reconnect()} comes first.
     */
    public void drop() {
        requireConnection().drop();
        pump();
        connection = null;
    }

    /**
     * Takes the seat back on a new connection with the welcome's reconnect token, as a client does after
     * a drop, and runs the next tick (the server seats at ticks). The game hears {@code playerReconnected};
     * the state starts again from the first, complete snapshot. Lists of what was received go on.
     *
     * @throws JoinRefusedException if the server refused the token (an expired seat, a player who left)
     */
    public TestPlayer reconnect() {
        pump();
        if (welcome == null || welcome.getReconnectToken().isEmpty()) {
            throw new IllegalStateException(requestedName + " has no reconnect token: it never joined, or"
                    + " reconnects are off (reconnect grace 0)");
        }
        if (connection != null) {
            throw new IllegalStateException(requestedName + " is still connected: drop() first");
        }
        connection = tester.server().connect();
        seen = 0;
        int errorsBefore = errors.size();
        Welcome before = welcome;
        send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName(name())
                .setProtocolVersion(InboundGateway.PROTOCOL_VERSION).setReconnectToken(welcome.getReconnectToken()))
                .build());
        tester.tick();
        if (welcome == before || !welcome.getResumed()) {
            throw refusal(errors.size() > errorsBefore);
        }
        return this;
    }

    /** From now on the player's frames stay unwritten, as for a client that stopped reading its socket. */
    public void stopReading() {
        requireConnection().stopReading();
    }

    /** Takes frames again after {@link #stopReading()}: what waited arrives now. */
    public void resumeReading() {
        requireConnection().resumeReading();
        pump();
    }

    /**
     * The close code of the close frame the server sent, or the code it closed the connection with; 0 while
     * open (and after {@link #leave()} or {@link #drop()}, which the client did).
     */
    public int closeCode() {
        if (connection == null) {
            return 0;
        }
        return connection.closeFrameCode() != 0 ? connection.closeFrameCode() : connection.closeCode();
    }

    /** The in-memory connection itself (null after {@link #leave()} or {@link #drop()}), for what the kit does not cover. */
    public MemoryConnection connection() {
        return connection;
    }

    // ---------------------------------------------------------------- what arrived

    /** Every message the server sent this player, in arrival order. */
    public List<ServerMessage> received() {
        pump();
        return List.copyOf(received);
    }

    public List<Snapshot> snapshots() {
        pump();
        return List.copyOf(snapshots);
    }

    /** The newest snapshot; IllegalStateException before the first. */
    public Snapshot lastSnapshot() {
        pump();
        if (snapshots.isEmpty()) {
            throw new IllegalStateException(name() + " has received no snapshot (yet)");
        }
        return snapshots.get(snapshots.size() - 1);
    }

    /**
     * For a game that replicates: the state this player holds after its newest snapshot, rebuilt from
     * the deltas it was sent (empty before the first snapshot).
     */
    public ViewerState state() {
        pump();
        if (replica == null) {
            throw new IllegalStateException(welcome == null
                    ? name() + " has no welcome (yet), so no replicated state"
                    : "the game does not replicate (its welcome has no replication_schema): use state(parser)");
        }
        return ViewerState.copyOf(replica);
    }

    /** For a game that writes its own snapshots: the newest snapshot's state, parsed with the game's message. */
    public <T> T state(Parser<T> parser) {
        return parse(parser, lastSnapshot().getState(), "snapshot state");
    }

    /** The game's events to this player (sent to it, or to the room), in order. */
    public List<GameEvent> events() {
        pump();
        return List.copyOf(events);
    }

    /** The events' payloads, parsed with the game's event message. */
    public <T> List<T> events(Parser<T> parser) {
        List<T> parsed = new ArrayList<>();
        for (GameEvent event : events()) {
            parsed.add(parse(parser, event.getPayload(), "event of tick " + event.getTick()));
        }
        return parsed;
    }

    /** Chat lines from players (notices, with player id 0, are in {@link #notices()}). */
    public List<ChatLine> chat() {
        pump();
        List<ChatLine> lines = new ArrayList<>();
        for (ChatLine line : chat) {
            if (line.getPlayerId() != 0) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The texts of the server's notices (chat lines with player id 0) to this player. */
    public List<String> notices() {
        pump();
        List<String> notices = new ArrayList<>();
        for (ChatLine line : chat) {
            if (line.getPlayerId() == 0) {
                notices.add(line.getText());
            }
        }
        return notices;
    }

    /** The errors the server answered this player with. */
    public List<io.tickwave.protocol.Error> errors() {
        pump();
        return List.copyOf(errors);
    }

    /** Whether an error with this code arrived. */
    public boolean receivedError(ErrorCode code) {
        for (io.tickwave.protocol.Error error : errors()) {
            if (error.getCode() == code) {
                return true;
            }
        }
        return false;
    }

    /** The room's announcements of joins: this player's own (right after its welcome), then those who came later. */
    public List<PlayerJoined> playersJoined() {
        pump();
        return List.copyOf(playersJoined);
    }

    /** The room's announcements of players who left. */
    public List<PlayerLeft> playersLeft() {
        pump();
        return List.copyOf(playersLeft);
    }

    /** Forgets what arrived so far (the lists above start empty); the welcome and the rebuilt state stay. */
    public void clearReceived() {
        pump();
        received.clear();
        snapshots.clear();
        events.clear();
        chat.clear();
        errors.clear();
        playersJoined.clear();
        playersLeft.clear();
    }

    @Override
    public String toString() {
        return "TestPlayer[" + requestedName + (welcome == null ? "" : ", id " + welcome.getPlayerId()) + "]";
    }

    // ---------------------------------------------------------------- internals

    /** Sorts the messages that arrived since the last call. Called after every tick and by every accessor. */
    void pump() {
        if (connection == null) {
            return;
        }
        List<ServerMessage> arrived = connection.received();
        while (seen < arrived.size()) {
            ServerMessage message = arrived.get(seen++);
            received.add(message);
            switch (message.getKindCase()) {
                case WELCOME -> welcomed(message.getWelcome());
                case SNAPSHOT -> applySnapshot(message.getSnapshot());
                case EVENT -> events.add(message.getEvent());
                case CHAT -> chat.add(message.getChat());
                case ERROR -> errors.add(message.getError());
                case PLAYER_JOINED -> playersJoined.add(message.getPlayerJoined());
                case PLAYER_LEFT -> playersLeft.add(message.getPlayerLeft());
                default -> {
                    // pongs and anything newer: kept in received() only
                }
            }
        }
    }

    private void welcomed(Welcome message) {
        welcome = message;
        // A new connection holds no state, as a real client's: its first snapshot is complete.
        replica = message.hasReplicationSchema()
                ? new ReplicaClient(Schema.fromMessage(message.getReplicationSchema()))
                : null;
    }

    private void applySnapshot(Snapshot snapshot) {
        snapshots.add(snapshot);
        newestSnapshotTick = Math.max(newestSnapshotTick, snapshot.getTick());
        ackedInputSeq = Integer.toUnsignedLong(snapshot.getAckInputSeq());
        if (replica == null) {
            return;
        }
        byte[] state = snapshot.getState().toByteArray();
        try {
            replica.apply(snapshot.getTick(), snapshot.getBaselineTick(), state, 0, state.length);
        } catch (MalformedStateException e) {
            throw new AssertionError(requestedName + " could not apply the snapshot of tick " + snapshot.getTick()
                    + " (baseline " + snapshot.getBaselineTick() + "): " + e.getMessage(), e);
        }
        if (snapshot.hasStateHash() && snapshot.getStateHash() != replica.stateHash()) {
            throw new AssertionError(requestedName + "'s state after the snapshot of tick " + snapshot.getTick()
                    + " hashes to " + Integer.toHexString(replica.stateHash()) + ", the server's to "
                    + Integer.toHexString(snapshot.getStateHash()));
        }
    }

    private MemoryConnection requireConnection() {
        if (connection == null) {
            throw new IllegalStateException(requestedName + (left ? " has left" : " is not connected (dropped):"
                    + " reconnect() first"));
        }
        return connection;
    }

    /** Why there is no welcome: the error or close the server answered with, for messages. */
    String describeRefusal() {
        pump();
        if (!errors.isEmpty()) {
            io.tickwave.protocol.Error error = errors.get(errors.size() - 1);
            return "the server answered " + error.getCode() + " \"" + error.getMessage() + "\""
                    + (closeCode() == 0 ? "" : " and closed with " + closeCode());
        }
        if (closeCode() != 0) {
            return "the server closed the connection with " + closeCode();
        }
        return "nothing has arrived; run a tick (the server seats players at ticks)";
    }

    /** The refusal to throw for a join that brought no welcome; {@code answered}: the newest error is its answer. */
    JoinRefusedException refusal(boolean answered) {
        io.tickwave.protocol.Error error = answered && !errors.isEmpty() ? errors.get(errors.size() - 1) : null;
        return new JoinRefusedException(requestedName, error == null ? null : error.getCode(),
                error == null ? "" : error.getMessage(), closeCode());
    }

    private static <T> T parse(Parser<T> parser, ByteString bytes, String what) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("the " + what + " does not parse with this parser: " + e.getMessage(), e);
        }
    }
}
