package io.tickwave.client;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.LongSupplier;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;

import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Welcome;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.MalformedStateException;
import io.tickwave.replication.ReplicaClient;
import io.tickwave.replication.Schema;

/**
 * One player's side of the Tickwave protocol (docs/protocol.md), with no transport: it writes the
 * client's frames into a {@link FrameSink} and is fed the server's frames with {@link #receive}. A
 * transport (the JDK WebSocket of {@link TickwaveClient}, a test's, a bot's) moves the bytes and tells
 * it when a connection opens and ends.
 *
 * <p>What it does for the caller:
 * <ul>
 *   <li><b>Join</b> with a {@link JoinRequest}; on a later connection {@link #join} resumes the seat with
 *       the reconnect token of the newest welcome. A refused token (RECONNECT_REFUSED) is forgotten and
 *       a fresh join for a new seat goes out at once.</li>
 *   <li><b>Inputs</b>: each gets the next {@code seq} (a uint32 from 1, strictly increasing, kept across
 *       connections so that a resumed seat's inputs go on above the old ones) and the newest snapshot
 *       tick received ({@code Input.newest_snapshot_tick}).</li>
 *   <li><b>Pings</b>: {@link #ping} stamps the session's clock; each pong gives the round trip
 *       ({@link #rttNanos}, and a smoothed one).</li>
 *   <li><b>State</b>: for a game that replicates, every snapshot is applied to a {@link ReplicaClient}
 *       built from the welcome's schema, with entity callbacks and {@code state_hash} checks; a state
 *       that fails to decode waits for the next complete snapshot.</li>
 *   <li><b>Dispatch</b> of welcome, snapshots, events, chat, joins and leaves, errors to a
 *       {@link TickwaveListener}.</li>
 * </ul>
 *
 * <p><b>Threading.</b> One owning thread: every method, and so every listener call, on it. Nothing is
 * synchronized.
 */
public final class ClientSession {

    /** Where the session's frames go: each array is one binary WebSocket message, handed over for good. */
    @FunctionalInterface
    public interface FrameSink {
        void send(byte[] frame);
    }

    /** The largest {@code seq}: 2^32 - 1 (a uint32). */
    private static final long MAX_SEQ = 0xFFFF_FFFFL;

    private final FrameSink out;
    private final TickwaveListener listener;
    private final LongSupplier nanoClock;
    private final Reader reader = new Reader();
    private final StateUpdate update = new StateUpdate();

    private JoinRequest request;
    private boolean joinPending;
    private boolean resuming;
    private boolean joined;
    private Welcome welcome;
    private byte[] reconnectToken;
    private long lastSeq;
    private int ackedInputSeq;
    private long newestSnapshotTick;
    private long rttNanos = -1;
    private long smoothedRttNanos = -1;

    private ReplicaClient replica;
    private ByteString replicaSchema;
    /** The replica failed to apply a snapshot: later deltas are skipped until a complete one. */
    private boolean stateLost;
    private final ReplicaClient.Listener entities = new ReplicaClient.Listener() {
        @Override
        public void added(int id, EntityType type) {
            listener.onEntityAdded(id, type, replica);
        }

        @Override
        public void changed(int id, EntityType type, int changedMask) {
            listener.onEntityChanged(id, type, changedMask, replica);
        }

        @Override
        public void removed(int id, EntityType type) {
            listener.onEntityRemoved(id, type);
        }
    };

    /** A session on {@link System#nanoTime()}. */
    public ClientSession(FrameSink out, TickwaveListener listener) {
        this(out, listener, System::nanoTime);
    }

    /** {@code nanoClock} stamps pings and times pongs. */
    public ClientSession(FrameSink out, TickwaveListener listener, LongSupplier nanoClock) {
        this.out = out;
        this.listener = listener;
        this.nanoClock = nanoClock;
    }

    // ---------------------------------------------------------------- sending

    /**
     * Joins with {@code request}, which the session keeps for later connections. When it holds a
     * reconnect token (a welcome came on an earlier connection), the join resumes that seat instead.
     */
    public void join(JoinRequest request) {
        if (joined) {
            throw new IllegalStateException("already joined on this connection");
        }
        this.request = request;
        joinPending = true;
        resuming = reconnectToken != null;
        out.send(joinFrame(request, resuming ? reconnectToken : null));
    }

    /** Joins again with the kept request: resuming the seat when a token is held. For a transport's reconnect. */
    public void rejoin() {
        if (request == null) {
            throw new IllegalStateException("never joined");
        }
        join(request);
    }

    private static byte[] joinFrame(JoinRequest request, byte[] token) {
        return ClientMessages.join(request.name(), ClientMessages.PROTOCOL_VERSION, token,
                token == null ? request.seatToken() : null, request.options(), request.roomId(), request.createRoom());
    }

    /** Sends {@code payload} (the game's input message) as the next input; returns its seq (unsigned). */
    public long sendInput(MessageLite payload) {
        long seq = nextSeq();
        out.send(ClientMessages.input((int) seq, payload, newestSnapshotTick));
        return seq;
    }

    /** Sends {@code payload}'s bytes (the game's input message) as the next input; returns its seq (unsigned). */
    public long sendInput(byte[] payload) {
        long seq = nextSeq();
        out.send(ClientMessages.input((int) seq, payload, 0, payload.length, newestSnapshotTick));
        return seq;
    }

    private long nextSeq() {
        if (!joined) {
            throw new IllegalStateException("not joined: the server would answer NOT_JOINED");
        }
        if (lastSeq == MAX_SEQ) {
            throw new IllegalStateException("input seq exhausted (2^32 - 1 inputs): join anew");
        }
        return ++lastSeq;
    }

    public void chat(String text) {
        out.send(ClientMessages.chat(text));
    }

    /** Sends a ping stamped with the session's clock; answered even before a join. */
    public void ping() {
        out.send(ClientMessages.ping(nanoClock.getAsLong()));
    }

    // ---------------------------------------------------------------- the connection

    /**
     * The connection ended: the session is no longer joined (the seat may be resumed on the next
     * connection with {@link #rejoin}). The replicated state is kept for a resume, whose first snapshot
     * is complete.
     */
    public void connectionEnded() {
        joined = false;
        joinPending = false;
        resuming = false;
        newestSnapshotTick = 0;
    }

    /** Forget the seat: the next join takes a new one. */
    public void forgetSeat() {
        reconnectToken = null;
    }

    // ---------------------------------------------------------------- receiving

    /** One binary message from the server: {@code buf[offset, offset + length)}. */
    public void receive(byte[] buf, int offset, int length) {
        reader.frame = buf;
        reader.frameOffset = offset;
        reader.frameLength = length;
        try {
            ServerMessageReader.read(buf, offset, length, reader);
        } catch (IOException e) {
            listener.onDecodeError("an undecodable server message of " + length + " bytes: " + e.getMessage());
        } finally {
            reader.frame = null;
        }
    }

    /** Routes the reader's fields to the session and its listener. */
    private final class Reader implements ServerMessageReader.Handler {
        byte[] frame;
        int frameOffset;
        int frameLength;

        @Override
        public void welcome(int playerId, int roomId, int tickRate, int snapshotRate, long tick, byte[] buf, int gameInfoOffset,
                            int gameInfoLength, int schemaOffset, int schemaLength) {
            Welcome parsed;
            try {
                // Once a connection: the whole message, players and all, for the listener.
                parsed = ServerMessage.parseFrom(ByteString.copyFrom(frame, frameOffset, frameLength)).getWelcome();
            } catch (InvalidProtocolBufferException e) {
                listener.onDecodeError("an undecodable welcome: " + e.getMessage());
                return;
            }
            onWelcome(parsed);
        }

        @Override
        public void snapshot(long tick, int ackInputSeq, long baselineTick, long stateHash, byte[] buf, int stateOffset,
                             int stateLength) {
            onSnapshot(tick, ackInputSeq, baselineTick, stateHash, buf, stateOffset, stateLength);
        }

        @Override
        public void pong(long clientTime) {
            long rtt = Math.max(0, nanoClock.getAsLong() - clientTime);
            rttNanos = rtt;
            smoothedRttNanos = smoothedRttNanos < 0 ? rtt : smoothedRttNanos + (rtt - smoothedRttNanos) / 8;
            listener.onRtt(rtt);
        }

        @Override
        public void error(int code, String message) {
            onError(code, message);
        }

        @Override
        public void event(long tick, byte[] buf, int payloadOffset, int payloadLength) {
            listener.onEvent(tick, Arrays.copyOfRange(buf, payloadOffset, payloadOffset + payloadLength));
        }

        @Override
        public void chat(int playerId, String name, String text) {
            listener.onChat(playerId, name, text);
        }

        @Override
        public void playerJoined(int playerId, String name) {
            listener.onPlayerJoined(playerId, name);
        }

        @Override
        public void playerLeft(int playerId, String name) {
            listener.onPlayerLeft(playerId, name);
        }
    }

    private void onWelcome(Welcome message) {
        joined = true;
        joinPending = false;
        resuming = false;
        welcome = message;
        // A resumed seat drops inputs at or below its last one: go on above it (a new process holding a
        // stored token starts at 0).
        lastSeq = Math.max(lastSeq, Integer.toUnsignedLong(message.getLastInputSeq()));
        reconnectToken = message.getReconnectToken().isEmpty() ? null : message.getReconnectToken().toByteArray();
        if (!message.hasReplicationSchema()) {
            replica = null;
            replicaSchema = null;
        } else {
            ByteString schemaBytes = message.getReplicationSchema().toByteString();
            // A resumed seat keeps its replica, so that the callbacks report what really changed.
            if (!(message.getResumed() && replica != null && schemaBytes.equals(replicaSchema))) {
                try {
                    replica = new ReplicaClient(Schema.fromMessage(message.getReplicationSchema()));
                    replica.setListener(entities);
                    replicaSchema = schemaBytes;
                } catch (RuntimeException e) {
                    replica = null;
                    replicaSchema = null;
                    listener.onDecodeError("the welcome's replication schema is unusable: " + e.getMessage());
                }
            }
        }
        stateLost = false;
        listener.onWelcome(message);
    }

    private void onSnapshot(long tick, int ackInputSeq, long baselineTick, long stateHash, byte[] buf, int stateOffset,
                            int stateLength) {
        if (tick > newestSnapshotTick) {
            newestSnapshotTick = tick;
        }
        this.ackedInputSeq = ackInputSeq;
        ReplicaClient applied = null;
        if (replica != null && !(stateLost && baselineTick != 0)) {
            try {
                if (baselineTick == 0 && tick <= replica.tick()) {
                    // A complete snapshot on a connection whose room restarted its clock: start over.
                    ReplicaClient fresh = new ReplicaClient(replica.schema());
                    fresh.setListener(entities);
                    replica = fresh;
                }
                replica.apply(tick, baselineTick, buf, stateOffset, stateLength);
                stateLost = false;
                applied = replica;
                if (stateHash != ServerMessageReader.NO_STATE_HASH && (replica.stateHash() & 0xFFFF_FFFFL) != stateHash) {
                    listener.onDecodeError(String.format("snapshot %d: state_hash %08x, the replica's %08x", tick, stateHash,
                            replica.stateHash() & 0xFFFF_FFFFL));
                }
            } catch (MalformedStateException e) {
                stateLost = true;
                listener.onDecodeError("snapshot " + tick + " (baseline " + baselineTick + ") could not be applied: " + e.getMessage());
            }
        }
        update.tick = tick;
        update.ackInputSeq = ackInputSeq;
        update.baselineTick = baselineTick;
        update.stateHash = stateHash;
        update.replica = applied;
        update.buf = buf;
        update.stateOffset = stateOffset;
        update.stateLength = stateLength;
        try {
            listener.onState(update);
        } finally {
            update.buf = null;
            update.replica = null;
        }
    }

    private void onError(int code, String message) {
        if (joinPending && code == ErrorCode.RECONNECT_REFUSED_VALUE && resuming) {
            // The seat is gone (the grace ran out, or another server): take a new one on this connection.
            reconnectToken = null;
            listener.onError(code, message);
            join(request);
            return;
        }
        if (joinPending && code != ErrorCode.ALREADY_JOINED_VALUE) {
            joinPending = false;
            listener.onJoinRefused(code, message);
            return;
        }
        listener.onError(code, message);
    }

    // ---------------------------------------------------------------- what the session knows

    /** Whether a welcome came on the current connection (and it has not ended). */
    public boolean joined() {
        return joined;
    }

    /** A join was sent and neither welcome nor refusal came yet. */
    public boolean joinPending() {
        return joinPending;
    }

    /** The newest welcome; null before the first. */
    public Welcome welcome() {
        return welcome;
    }

    /** The player id of the newest welcome; 0 before the first. */
    public int playerId() {
        return welcome == null ? 0 : welcome.getPlayerId();
    }

    /** Whether the next {@link #join} resumes a seat (a reconnect token is held). */
    public boolean holdsSeat() {
        return reconnectToken != null;
    }

    /** The seq of the newest input sent (unsigned; 0: none). */
    public long lastInputSeq() {
        return lastSeq;
    }

    /** {@code ack_input_seq} of the newest snapshot (the wire's uint32 as an int). */
    public int ackedInputSeq() {
        return ackedInputSeq;
    }

    /** The newest snapshot tick received on this connection; 0: none. */
    public long newestSnapshotTick() {
        return newestSnapshotTick;
    }

    /** The round trip of the newest pong; -1 before the first. */
    public long rttNanos() {
        return rttNanos;
    }

    /** An exponentially smoothed round trip (1/8 of each new sample, as TCP does); -1 before the first pong. */
    public long smoothedRttNanos() {
        return smoothedRttNanos;
    }

    /** The replicated state; null for a game that does not replicate or before the welcome. */
    public ReplicaClient replica() {
        return replica;
    }
}
