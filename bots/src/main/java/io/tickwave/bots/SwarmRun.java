package io.tickwave.bots;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * One measured run: ramp the bots up, warm up, measure for a fixed time, close everything, report.
 *
 * <p><b>Threading.</b> {@link #run} blocks the calling thread for the whole run; the bots run on the
 * swarm's IO threads and the progress line on the reporter's thread.
 */
final class SwarmRun {

    private SwarmRun() {
    }

    static RunReport run(SwarmSettings settings, int bots, Duration ramp, Duration warmup, Duration duration,
                         PrintStream out, boolean progress, String label, ServerProbe probe) throws IOException {
        return run(settings, bots, ramp, warmup, duration, out, progress, label, probe, new SwarmStats());
    }

    /** As above, recording into {@code stats}, which the caller may read after the run (whole-run counts). */
    static RunReport run(SwarmSettings settings, int bots, Duration ramp, Duration warmup, Duration duration,
                         PrintStream out, boolean progress, String label, ServerProbe probe, SwarmStats stats) throws IOException {
        Instant startedAt = Instant.now();
        WindowResult window;
        ServerProbe.ServerWindow server = null;
        try (Swarm swarm = new Swarm(settings, stats);
             Reporter reporter = new Reporter(stats, swarm::started, out, progress)) {
            reporter.phase("ramp");
            swarm.addBots(bots, ramp);
            reporter.phase("warmup");
            sleep(warmup);
            if (probe != null) {
                probe.begin();
            }
            reporter.openWindow();
            reporter.phase("measure");
            sleep(duration);
            window = reporter.closeWindow();
            if (probe != null) {
                server = probe.end();
            }
            reporter.phase("closing");
        }
        return RunReport.of(startedAt, settings, bots, ramp, warmup, duration, window, stats, label, server);
    }

    static void sleep(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        for (long left = d.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
