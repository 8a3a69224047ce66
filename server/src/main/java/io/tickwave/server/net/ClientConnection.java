package io.tickwave.server.net;

import io.tickwave.server.ServerSettings;
import io.tickwave.server.metrics.ServerMetrics;

import java.nio.ByteBuffer;

/**
 * One client's connection, independent of the transport that carries it.
 *
 * <p>Threads: inbound state (rate limiters, join state, last input seq) and all sending belong to the
 * connection's IO thread. {@link #outbox()} is the hand-off from the game-loop thread. The
 * {@link #loopSession} field is read and written only by the game-loop thread, which is also the only
 * caller of {@link #requestDrain()}. Any thread may call {@link #requestClose}; it hops to the IO thread.
 */
public abstract class ClientConnection {

    /** At most this many outbox frames are handed to the transport and not yet written, per client. */
    private static final int MAX_FRAMES_IN_FLIGHT = 8;
    /**
     * Past this many unwritten frames of any kind (pongs and errors included) the client is not reading:
     * it is closed as too slow rather than letting the transport's queue grow.
     */
    private static final int MAX_FRAMES_UNWRITTEN = 64;

    private final long connectionId;
    private final Outbox outbox;
    private final ServerMetrics metrics;
    private final Runnable drainTask = this::drain;

    // IO-thread state
    final RateLimiter messageLimiter;
    final RateLimiter chatLimiter;
    boolean joinPublished;
    /** The message decoded last, reused for every frame. */
    final DecodedMessage decoded = new DecodedMessage();
    long lastInputSeq;
    private long lastReceivedNs;
    private int framesInFlight;
    private boolean snapshotInFlight;
    private boolean closing;
    private boolean draining;
    private boolean drainAgain;

    /**
     * The tick of the newest snapshot this connection handed to its socket: the client's baseline. Over
     * TCP what was handed to the socket arrives, in order, or the connection dies, so no ack is needed.
     * Written by the IO thread, read by the loop.
     */
    private volatile long baselineTick;

    /** Game-loop state: the session this connection joined as, or null. */
    public Object loopSession;

    protected ClientConnection(long connectionId, ServerSettings settings, ServerMetrics metrics, long nowNs) {
        this.connectionId = connectionId;
        this.metrics = metrics;
        this.outbox = new Outbox(settings.outboxCapacity(), 512);
        this.messageLimiter = new RateLimiter(settings.maxMessagesPerSecond(), settings.maxMessagesPerSecond(), nowNs);
        this.chatLimiter = new RateLimiter(settings.chatLinesPerSecond(), settings.chatLinesPerSecond() * 3, nowNs);
        this.lastReceivedNs = nowNs;
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
     * Writes one binary frame. IO thread. The transport must call {@link #onSendComplete} on the IO
     * thread once the frame is written or has failed, passing {@code snapshot} back and whether the
     * frame was handed to the socket whole.
     */
    protected abstract void sendBinary(ByteBuffer frame, SnapshotFrame snapshot);

    /** Sends a close frame with {@code code} and ends the connection. IO thread. */
    protected abstract void closeWithCode(int code, String reason);

    /** Runs {@code task} on this connection's IO thread after {@code delayMs}. Any thread. */
    protected abstract void executeOnIoThreadLater(Runnable task, long delayMs);

    /** The clock used for timeouts; the same clock as the loop's. */
    protected abstract long nanoTime();

    // ------------------------------------------------------------------ IO thread

    /** Records that a frame arrived, for the idle timeout. */
    final void frameReceived(long nowNs) {
        lastReceivedNs = nowNs;
    }

    /** True when nothing arrived for longer than {@code idleTimeoutNs}. */
    public final boolean isIdle(long nowNs, long idleTimeoutNs) {
        return nowNs - lastReceivedNs > idleTimeoutNs;
    }

    /** Sends a pong or an error answer outside the outbox, straight from the IO thread. */
    final void sendDirect(byte[] encodedServerMessage) {
        if (closing) {
            return;
        }
        if (framesInFlight >= MAX_FRAMES_UNWRITTEN) {
            closeOnIoThread(CloseCodes.TOO_SLOW, "too slow: " + framesInFlight + " frames not taken");
            return;
        }
        framesInFlight++;
        outbox.startedWaiting(nanoTime());
        metrics.framesOut(encodedServerMessage.length);
        sendBinary(ByteBuffer.wrap(encodedServerMessage), null);
    }

    /**
     * Sends what the outbox holds, as far as the in-flight limit allows. IO thread. A transport may
     * report a send complete from inside {@code sendBinary}, which calls back in here: such a nested call
     * only asks the running drain to go round again, so the stack stays flat however much is queued.
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
            sendBinary(ByteBuffer.wrap(message), null);
        }
        if (!snapshotInFlight && framesInFlight < MAX_FRAMES_IN_FLIGHT) {
            SnapshotFrame snapshot = outbox.takeSnapshot();
            if (snapshot != null) {
                snapshotInFlight = true;
                framesInFlight++;
                outbox.startedWaiting(nanoTime());
                metrics.framesOut(snapshot.length());
                sendBinary(snapshot.prepareForSend(), snapshot);
            }
        }
    }

    /** The transport reports a finished send; {@code written}: the whole frame went to the socket. IO thread. */
    protected final void onSendComplete(SnapshotFrame snapshot, boolean written) {
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
        metrics.closed(code);
        closeWithCode(code, reason);
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

    /** Closes the connection with {@code code}, on its IO thread. */
    public final void requestClose(int code, String reason) {
        executeOnIoThread(() -> closeOnIoThread(code, reason));
    }
}
