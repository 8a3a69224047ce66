package io.tickwave.server.net;

import io.tickwave.server.metrics.ServerMetrics;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Counts refused WebSocket upgrades by {@link ConnectionRefusal} and logs them off the hot path: a
 * daemon thread wakes once a second and writes at most one line per reason, with the count since its
 * last line and the latest address, so a flood of refusals costs IO threads a counter increment.
 *
 * <p>Threads: {@link #refused} is called on IO threads; the logging thread only reads.
 */
public final class RefusalLog implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RefusalLog.class.getName());
    private static final ConnectionRefusal[] REASONS = ConnectionRefusal.values();

    private final ServerMetrics metrics;
    private final AtomicReferenceArray<InetAddress> latestAddress = new AtomicReferenceArray<>(REASONS.length);
    /** Logging thread only. */
    private final long[] loggedCount = new long[REASONS.length];
    private final ScheduledExecutorService logger = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tickwave-refusal-log");
        thread.setDaemon(true);
        return thread;
    });

    public RefusalLog(ServerMetrics metrics) {
        this.metrics = metrics;
        logger.scheduleAtFixedRate(this::logNewRefusals, 1, 1, TimeUnit.SECONDS);
    }

    /** An upgrade from {@code address} was refused for {@code reason}. Any thread; never blocks. */
    public void refused(ConnectionRefusal reason, InetAddress address) {
        metrics.connectionRefused(reason).increment();
        latestAddress.lazySet(reason.ordinal(), address);
    }

    private void logNewRefusals() {
        for (ConnectionRefusal reason : REASONS) {
            long count = metrics.connectionRefused(reason).sum();
            long fresh = count - loggedCount[reason.ordinal()];
            if (fresh > 0) {
                loggedCount[reason.ordinal()] = count;
                InetAddress latest = latestAddress.get(reason.ordinal());
                LOG.log(Level.WARNING, "refused {0} WebSocket upgrade(s) with HTTP {1} ({2}); the latest from {3}",
                        fresh, reason.httpStatus(), reason.label(), latest == null ? "?" : latest.getHostAddress());
            }
        }
    }

    @Override
    public void close() {
        logger.shutdownNow();
    }
}
