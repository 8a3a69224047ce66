package io.tickwave.server.net;

import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connections of one IO thread that have something to send. The loop adds connections as it fills
 * their outboxes and flushes once per duty cycle: one task per IO thread per flush instead of one per
 * connection, since handing a task to an XNIO thread takes a lock and usually a selector wake-up (a
 * system call).
 *
 * <p>Threads: {@link #add} and {@link #flush} are called by the game-loop thread only; {@link #run} runs
 * on the IO thread.
 */
public final class IoThreadBatch implements Runnable {

    private static final int CAPACITY = 1 << 16;

    private final Executor ioThread;
    private final OneToOneConcurrentArrayQueue<ClientConnection> pending = new OneToOneConcurrentArrayQueue<>(CAPACITY);
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public IoThreadBatch(Executor ioThread) {
        this.ioThread = ioThread;
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
            connection.drain();
        }
    }
}
