package io.tickwave.server.net;

import io.tickwave.server.concurrent.OneToOneArrayQueue;
import io.tickwave.server.loop.ProblemReporter;
import io.tickwave.server.metrics.ServerMetrics;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connections of one IO thread that have something to send. The loop adds connections as it fills
 * their outboxes and flushes once per duty cycle: one task per IO thread per flush instead of one per
 * connection, since handing a task to an XNIO thread takes a lock and usually a selector wake-up (a
 * system call).
 *
 * <p>A drain that throws (a transport bug, a broken channel) is contained to its connection: counted
 * ({@code tickwave_drain_errors_total}), reported off the hot path, and that client is closed with
 * 1011, so it is not left joined but unserved; the rest of the batch is drained as usual.
 *
 * <p>Threads: {@link #add} and {@link #flush} are called by the game-loop thread only; {@link #run} runs
 * on the IO thread.
 */
public final class IoThreadBatch implements Runnable {

    private static final int CAPACITY = 1 << 16;

    private final Executor ioThread;
    private final ServerMetrics metrics;
    private final ProblemReporter problems;
    private final OneToOneArrayQueue<ClientConnection> pending = new OneToOneArrayQueue<>(CAPACITY);
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public IoThreadBatch(Executor ioThread, ServerMetrics metrics, ProblemReporter problems) {
        this.ioThread = ioThread;
        this.metrics = metrics;
        this.problems = problems;
    }

    /** Queues a connection for the next flush; false when the batch is full (then run it on its own). */
    boolean add(ClientConnection connection) {
        return pending.offer(connection);
    }

    /** Hands the batch to its IO thread unless it is empty or already handed over. */
    public void flush() {
        if (!pending.isEmpty() && scheduled.compareAndSet(false, true)) {
            ioThread.execute(this);
        }
    }

    @Override
    public void run() {
        // Cleared first: a connection added from now on is either drained below or flushed again.
        scheduled.set(false);
        for (ClientConnection connection = pending.poll(); connection != null; connection = pending.poll()) {
            try {
                connection.drain();
            } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
                // Other errors (out of memory and the like) leave the JVM untrustworthy: let them out.
                failed(connection, e);
            }
        }
    }

    private void failed(ClientConnection connection, Throwable error) {
        metrics.drainErrors.increment();
        problems.report("draining connection " + connection.connectionId() + " failed; closing it with 1011", error);
        try {
            connection.closeOnIoThread(CloseCodes.INTERNAL_ERROR, "internal error");
        } catch (RuntimeException closeError) {
            problems.report("closing connection " + connection.connectionId() + " after a failed drain failed too",
                    closeError);
        }
    }
}
