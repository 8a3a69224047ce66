package io.tickwave.server.loop;

import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes problem reports from the game-loop thread without blocking it, and logs them on a daemon
 * thread of its own, so the loop never does I/O. When reports come faster than they can be logged,
 * the excess is counted and summarized instead of queued.
 *
 * <p>Threads: {@link #report} is called by the game-loop thread and by IO threads (a failed drain);
 * the logging thread drains.
 */
public final class ProblemReporter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.tickwave.server.problems");
    private static final int CAPACITY = 1_024;

    private final BlockingQueue<Report> reports = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread logger;
    private final AtomicLong unreported = new AtomicLong();
    private volatile boolean running = true;

    private record Report(String what, Throwable error) {
    }

    public ProblemReporter() {
        logger = new Thread(this::logReports, "tickwave-problem-log");
        logger.setDaemon(true);
        logger.start();
    }

    /** Queues a report; never blocks. Any thread. */
    public void report(String what, Throwable error) {
        if (!reports.offer(new Report(what, error))) {
            unreported.incrementAndGet();
        }
    }

    private void logReports() {
        long unreportedLogged = 0;
        while (running || !reports.isEmpty()) {
            try {
                Report report = reports.poll(100, TimeUnit.MILLISECONDS);
                if (report != null) {
                    LOG.log(Level.WARNING, report.what(), report.error());
                }
                long missed = unreported.get();
                if (missed != unreportedLogged) {
                    LOG.log(Level.WARNING, "{0} further problem reports were dropped", missed - unreportedLogged);
                    unreportedLogged = missed;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            logger.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
