package io.tickwave.server.net;

import io.tickwave.server.ServerSettings;
import io.tickwave.server.metrics.ServerMetrics;

import io.tickwave.server.net.websocket.FrameHeaders;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * One client's connection, independent of the transport that carries it: inbound state, the outbox
 * drain, and the {@link OutboundQueue} of WebSocket frames written to the socket by gathering writes.
 * A transport supplies the socket operations (the abstract hooks below).
 *
 * <p>Threads: inbound state (rate limiters, join state, last input seq) and all sending belong to the
 * connection's IO thread. {@link #outbox()} is the hand-off from the game-loop thread. The
 * {@link #loopSession} field is read and written only by the game-loop thread, which is also the only
 * caller of {@link #requestDrain()}. Any thread may call {@link #requestClose}; it hops to the IO thread.
 */
public abstract class ClientConnection {

    /** At most this many outbox frames are handed to the socket and not yet written, per client. */
    private static final int MAX_FRAMES_IN_FLIGHT = 8;
    /**
     * Past this many unwritten frames of any kind (pongs and errors included) the client is not reading:
     * it is closed as too slow rather than letting the queue grow.
     */
    private static final int MAX_FRAMES_UNWRITTEN = 64;

    private final long connectionId;
    private final Outbox outbox;
    private final ServerMetrics metrics;
    private final Runnable drainTask = this::drain;
    /** When the connection was set up (the WebSocket upgrade), on the {@link #nanoTime()} clock. */
    private final long connectedAtNs;
    private final OutboundQueue queue;
    private final OutboundQueue.Sink socket = this::writeToSocket;
    private final OutboundQueue.Done frameDone = this::onFrameDone;

    // IO-thread state
    final RateLimiter messageLimiter;
    /** Every WebSocket frame the client sends, control frames and continuations included. */
    private final RateLimiter frameLimiter;
    /** The clock reading {@link #frameLimiter} was last asked with; see {@link #tryAcquireFrame()}. */
    private long frameClockNs;
    final RateLimiter chatLimiter;
    boolean joinPublished;
    /** A leave went to the loop (through the ring or deferred); a connection sends at most one. */
    boolean leaveSent;
    /** The message decoded last, reused for every frame. */
    final DecodedMessage decoded = new DecodedMessage();
    long lastInputSeq;
    private long lastReceivedNs;
    /** Frames in {@link #queue} other than a close frame: outbox frames, pongs and errors. */
    private int framesInFlight;
    private boolean snapshotInFlight;
    private boolean closing;
    private boolean peerClosed;
    private boolean ended;
    private boolean draining;
    private boolean drainAgain;
    private boolean flushing;
    private boolean flushAgain;
    private boolean awaitingWritable;

    /**
     * The tick of the newest snapshot this connection handed to its socket: the client's baseline. Over
     * TCP what was handed to the socket arrives, in order, or the connection dies, so no ack is needed.
     * Written by the IO thread, read by the loop.
     */
    private volatile long baselineTick;

    /**
     * The room a cluster seat token placed this connection in (0: none, a single node). Written by the IO
     * thread before it publishes the join, read by the loop after it takes the join off the ring.
     */
    public int seatRoomId;
    /** The matchmaker's reservation that seat fills (null: none); written and read like {@link #seatRoomId}. */
    public String seatReservation;

    /**
     * The latest join's {@code options} (immutable, checked against {@link JoinOptions}), {@code room_id}
     * (0: join or create) and {@code create_room}; written and read like {@link #seatRoomId}. Room id and
     * create room are 0 and false on a cluster node, where the seat token names the room.
     */
    public Map<String, String> joinOptions = Map.of();
    public int joinRoomId;
    public boolean joinCreateRoom;

    /** Game-loop state: the session this connection joined as, or null. */
    public Object loopSession;

    /**
     * The token the seat of this connection's join will carry: made on the IO thread at the first join,
     * before the join is published, so the loop reads it through the ring. Null before.
     */
    public ReconnectToken issuedToken;
    /** The token the client presented in its latest join to take a seat back, or null; set like {@link #issuedToken}. */
    public ReconnectToken presentedToken;
    /**
     * Whether a drop of this connection keeps its seat for a reconnect: false once the client closed with
     * 1000 (it left on purpose) or the server closed it for breaking the protocol. IO thread; read by
     * the loop after the leave is published.
     */
    public boolean keepsSeat = true;
    /**
     * Set by the loop when it refused a join's reconnect token: the connection may send one more join,
     * which the IO thread takes (and clears this) instead of answering ALREADY_JOINED.
     */
    volatile boolean joinAgainAllowed;

    /**
     * @param ioThread the index of the connection's IO thread among the transport's, below the number
     *                 of IO threads in the settings: it picks that thread's view of shared state buffers
     */
    protected ClientConnection(long connectionId, int ioThread, ServerSettings settings, ServerMetrics metrics,
                               long nowNs) {
        this.connectionId = connectionId;
        this.metrics = metrics;
        this.outbox = new Outbox(settings.outboxCapacity());
        this.queue = new OutboundQueue(MAX_FRAMES_UNWRITTEN + 2, ioThread);
        this.messageLimiter = new RateLimiter(settings.maxMessagesPerSecond(), settings.maxMessagesPerSecond(), nowNs);
        this.frameLimiter = new RateLimiter(settings.maxFramesPerSecond(), settings.maxFramesPerSecond(), nowNs);
        this.frameClockNs = nowNs;
        this.chatLimiter = new RateLimiter(settings.chatLinesPerSecond(), settings.chatLinesPerSecond() * 3, nowNs);
        this.lastReceivedNs = nowNs;
        this.connectedAtNs = nowNs;
    }

    public final long connectionId() {
        return connectionId;
    }

    public final Outbox outbox() {
        return outbox;
    }

    // ------------------------------------------------------------------ transport hooks

    /** Runs {@code task} on this connection's IO thread. Any thread. */
    protected abstract void executeOnIoThread(Runnable task);

    /**
     * The batch of this connection's IO thread that the loop flushes once per duty cycle, or null to
     * have every drain scheduled on its own.
     */
    protected abstract IoThreadBatch ioThreadBatch();

    /**
     * Writes {@code buffers[offset, offset + length)} as far as the socket takes them now, without
     * blocking (a gathering write), and advances their positions. IO thread.
     *
     * @throws IOException when the connection is broken; the caller then ends it
     */
    protected abstract long writeToSocket(ByteBuffer[] buffers, int offset, int length) throws IOException;

    /** Asks for one {@link #onWritable()} call once the socket can take more. IO thread. */
    protected abstract void awaitWritable();

    /**
     * The server started closing with {@code code}: the close frame is queued behind what is unwritten.
     * The transport gives the peer a grace period to answer, reading and discarding what it still sends,
     * then ends the connection. IO thread.
     */
    protected abstract void closeStarted(int code, String reason);

    /** Our close frame was written, and the peer has not closed yet: no more output. IO thread. */
    protected abstract void closeFrameWritten();

    /** Closes the socket now; the transport then calls {@link #onTransportClosed()}. IO thread. */
    protected abstract void endConnection();

    /** The clock used for timeouts; the same clock as the loop's. */
    protected abstract long nanoTime();

    // ------------------------------------------------------------------ IO thread

    /** Records that a frame arrived, for the idle timeout. */
    final void frameReceived(long nowNs) {
        lastReceivedNs = nowNs;
    }

    /**
     * Takes a token of the frame rate limit for one arriving frame. The clock is read only when the
     * tokens at its last reading are used up: an older reading can only show fewer tokens, never more,
     * so the limit is exact, and a client within it costs about one clock read per burst of frames
     * rather than one per frame. False: the client is over the limit.
     */
    final boolean tryAcquireFrame() {
        if (frameLimiter.tryAcquire(frameClockNs)) {
            return true;
        }
        frameClockNs = nanoTime();
        return frameLimiter.tryAcquire(frameClockNs);
    }

    /** True when nothing arrived for longer than {@code idleTimeoutNs}. */
    public final boolean isIdle(long nowNs, long idleTimeoutNs) {
        return nowNs - lastReceivedNs > idleTimeoutNs;
    }

    /**
     * True when no join was accepted (none published, or only a refused reconnect) and more than
     * {@code joinTimeoutNs} passed since the connection was set up. Nothing the client sends moves this
     * deadline.
     */
    public final boolean isPastJoinDeadline(long nowNs, long joinTimeoutNs) {
        return (!joinPublished || joinAgainAllowed) && nowNs - connectedAtNs > joinTimeoutNs;
    }

    /** Sends a pong or an error answer outside the outbox, straight from the IO thread. */
    final void sendDirect(byte[] encodedServerMessage) {
        if (!mayQueueDirect()) {
            return;
        }
        metrics.framesOut(encodedServerMessage.length);
        queue.addMessage(encodedServerMessage);
        flush();
    }

    /** Answers a WebSocket ping with a pong carrying the same payload. IO thread. */
    public final void answerWebSocketPing(ByteBuffer payload) {
        if (!mayQueueDirect()) {
            return;
        }
        queue.addControlFrame(FrameHeaders.pongFrame(payload), false);
        flush();
    }

    private boolean mayQueueDirect() {
        if (closing) {
            return false;
        }
        if (framesInFlight >= MAX_FRAMES_UNWRITTEN) {
            closeOnIoThread(CloseCodes.TOO_SLOW, "too slow: " + framesInFlight + " frames not taken");
            return false;
        }
        framesInFlight++;
        outbox.startedWaiting(nanoTime());
        return true;
    }

    /**
     * Sends what the outbox holds, as far as the in-flight limit allows. IO thread. A frame written at
     * once calls back in here: such a nested call only asks the running drain to go round again, so the
     * stack stays flat however much is queued.
     */
    final void drain() {
        outbox.releaseDrain();
        if (draining) {
            drainAgain = true;
            return;
        }
        draining = true;
        try {
            do {
                drainAgain = false;
                drainOnce();
            } while (drainAgain);
        } finally {
            draining = false;
        }
    }

    private void drainOnce() {
        if (closing) {
            return;
        }
        while (framesInFlight < MAX_FRAMES_IN_FLIGHT) {
            byte[] message = outbox.takeMessage();
            if (message == null) {
                break;
            }
            framesInFlight++;
            outbox.startedWaiting(nanoTime());
            metrics.framesOut(message.length);
            queue.addMessage(message);
        }
        if (!snapshotInFlight && framesInFlight < MAX_FRAMES_IN_FLIGHT) {
            SnapshotFrame snapshot = outbox.takeSnapshot();
            if (snapshot != null) {
                snapshotInFlight = true;
                framesInFlight++;
                outbox.startedWaiting(nanoTime());
                metrics.framesOut(snapshot.messageLength());
                queue.addSnapshot(snapshot);
            }
        }
        flush();
    }

    /**
     * Writes what is queued in one gathering write, unless the socket is known to be full. Frames a
     * completion queues meanwhile are written by the same call, never by a nested one.
     */
    private void flush() {
        if (flushing) {
            flushAgain = true;
            return;
        }
        flushing = true;
        try {
            do {
                flushAgain = false;
                if (awaitingWritable || ended) {
                    return;
                }
                if (!queue.writeTo(socket, frameDone)) {
                    awaitingWritable = true;
                    awaitWritable();
                    return;
                }
            } while (flushAgain);
        } catch (IOException broken) {
            endConnection();
        } finally {
            flushing = false;
        }
    }

    /** The socket can take more: writes on. IO thread. */
    protected final void onWritable() {
        awaitingWritable = false;
        flush();
    }

    private void onFrameDone(SnapshotFrame snapshot, boolean close, boolean written) {
        if (!close) {
            onSendComplete(snapshot, written);
        } else if (written) {
            if (peerClosed) {
                endConnection();
            } else {
                closeFrameWritten();
            }
        }
    }

    /** A frame left the queue; {@code written}: the whole frame went to the socket. IO thread. */
    private void onSendComplete(SnapshotFrame snapshot, boolean written) {
        framesInFlight--;
        if (snapshot != null) {
            if (written && snapshot.tick() > baselineTick) {
                baselineTick = snapshot.tick();
            }
            snapshotInFlight = false;
            outbox.recycle(snapshot);
        }
        outbox.progress(framesInFlight, nanoTime());
        drain();
    }

    /** Closes with {@code code} once; later calls are ignored. IO thread. */
    final void closeOnIoThread(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        if (code != CloseCodes.IDLE_TIMEOUT && code != CloseCodes.TOO_SLOW) {
            keepsSeat = false; // closed for breaking the rules, or the server is going: not a drop to resume
        }
        metrics.closed(code);
        queue.addControlFrame(FrameHeaders.closeFrame(code, reason), true);
        closeStarted(code, reason);
        flush();
    }

    /**
     * The peer sent a close frame. If the server had not closed yet it answers with a close frame of
     * the same code and ends the connection once that is written; if it had, the close handshake is
     * complete and the connection ends now. Not counted as a close by the server. IO thread.
     */
    public final void onPeerClose(int code) {
        peerClosed = true;
        if (code == 1000 && !closing) {
            keepsSeat = false; // a normal closure is a leave on purpose
        }
        if (closing) {
            endConnection();
            return;
        }
        closing = true;
        // Codes an endpoint may not send (RFC 6455 §7.4): none, 1004-1006, 1015, and the reserved 1016-2999.
        boolean echoable = code >= 1000 && code <= 4999 && code != FrameHeaders.NO_STATUS_CODE
                && code != 1004 && code != 1006 && code != 1015 && !(code >= 1016 && code <= 2999);
        queue.addControlFrame(FrameHeaders.closeFrame(echoable ? code : 1000, ""), true);
        closeStarted(code, "closed by the client");
        flush();
    }

    /** The peer broke the WebSocket framing rules: closes with {@code code} (1002, 1008 or 1009). IO thread. */
    public final void onFramingViolation(int code, String reason) {
        metrics.decodeErrors.increment();
        closeOnIoThread(code, reason);
    }

    /**
     * The socket is closed: frames not yet written are dropped (a snapshot among them does not become
     * the baseline) and every shared state this connection still holds goes back to its pool. IO thread.
     */
    protected final void onTransportClosed() {
        ended = true;
        closing = true;
        queue.failAll(frameDone);
        outbox.discardPendingSnapshot();
    }

    /** True once a close was started by the server. IO thread. */
    public final boolean isClosing() {
        return closing;
    }

    // ------------------------------------------------------------------ any thread

    /** The tick of the newest snapshot handed to this connection's socket, 0 if none. Any thread. */
    public final long baselineTick() {
        return baselineTick;
    }

    /**
     * Schedules a drain on the IO thread unless one is already scheduled: through the IO thread's batch
     * (sent at the loop's next flush), or on its own. Game-loop thread.
     */
    public final void requestDrain() {
        if (outbox.claimDrain()) {
            IoThreadBatch batch = ioThreadBatch();
            if (batch == null || !batch.add(this)) {
                executeOnIoThread(drainTask);
            }
        }
    }

    /**
     * The loop refused this connection's reconnect token: it may join again. Set before the refusal is
     * queued, so the client's next join, sent after it read the refusal, finds it. Game-loop thread.
     */
    public final void allowJoinAgain() {
        joinAgainAllowed = true;
    }

    /** Closes the connection with {@code code}, on its IO thread. */
    public final void requestClose(int code, String reason) {
        executeOnIoThread(() -> closeOnIoThread(code, reason));
    }

    /**
     * Closes the connection with {@code code} after {@code lastMessage} (an encoded server message, such
     * as the Error that says why), on its IO thread: what the loop queued before goes out first as far
     * as the in-flight limit allows, then the last message, whatever that limit, then the close frame.
     * Game-loop thread.
     */
    public final void requestClose(byte[] lastMessage, int code, String reason) {
        executeOnIoThread(() -> closeAfter(lastMessage, code, reason));
    }

    private void closeAfter(byte[] lastMessage, int code, String reason) {
        if (closing) {
            return;
        }
        drain();
        if (closing) {
            return; // the drain found the client too slow and closed it
        }
        framesInFlight++;
        outbox.startedWaiting(nanoTime());
        metrics.framesOut(lastMessage.length);
        queue.addMessage(lastMessage);
        closeOnIoThread(code, reason);
    }
}
