package io.tickwave.bots;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Once a second: drains the swarm's recorders, adds the values to the open measurement window (values
 * recorded while no window is open, during ramp and warm-up, are dropped), prints a progress line and
 * warns when the bot process is the bottleneck.
 *
 * <p><b>Threading.</b> Runs on its own single thread, {@code tickwave-bots-reporter}. The controlling
 * thread opens and closes windows; every method that touches the window or the recorders is
 * synchronized on this reporter (once a second, never on the bots' hot path).
 */
final class Reporter implements AutoCloseable {

    private final SwarmStats stats;
    private final IntSupplier botsStarted;
    private final PrintStream out;
    private final boolean printProgress;
    private final ScheduledExecutorService thread;
    private final long startNs = System.nanoTime();

    // Interval histograms handed back to the recorders for reuse.
    private Histogram inputIv;
    private Histogram inputRawIv;
    private Histogram rttIv;
    private Histogram interArrivalIv;
    private Histogram joinIv;
    private Histogram sendLagIv;

    private Window window;
    /** Joins happen during the ramp, before any window: this one keeps every join of the run. */
    private final Histogram joinWholeRunUs = new Histogram(3);
    private String phase = "start";
    private long lastInputs;
    private long lastSnapshots;
    private long lastBytes;
    private long lastMessages;
    private StateStats.Totals lastState = StateStats.Totals.NONE;
    private long lastCpuNs = CpuMeter.processCpuNs();
    private long lastTickNs = System.nanoTime();
    private boolean warnedBottleneck;

    Reporter(SwarmStats stats, IntSupplier botsStarted, PrintStream out, boolean printProgress) {
        this.stats = stats;
        this.botsStarted = botsStarted;
        this.out = out;
        this.printProgress = printProgress;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tickwave-bots-reporter");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    synchronized void phase(String name) {
        this.phase = name;
    }

    /** Starts a measurement window: values recorded from now on count. */
    synchronized void openWindow() {
        drain(); // what was recorded before now is warm-up: dropped
        window = new Window(stats);
    }

    /** Ends the open window and returns what it measured. */
    synchronized WindowResult closeWindow() {
        if (window == null) {
            throw new IllegalStateException("no window open");
        }
        drain();
        window.joinToFirstSnapshotUs.add(joinWholeRunUs);
        WindowResult result = window.finish(stats);
        window = null;
        return result;
    }

    private synchronized void tick() {
        try {
            drain();
            long now = System.nanoTime();
            double seconds = (now - lastTickNs) / 1e9;
            long cpuNs = CpuMeter.processCpuNs();
            double cpuPct = cpuNs < 0 ? 0 : 100.0 * (cpuNs - lastCpuNs) / (now - lastTickNs);
            long inputs = stats.inputsSent.sum();
            long snapshots = stats.snapshotsReceived.sum();
            long bytes = stats.bytesReceived.sum();
            long messages = stats.framesSent.sum() + stats.framesReceived.sum();
            int connected = stats.connected.get();
            int reading = Math.max(1, connected - stats.stalled.get());
            if (window != null) {
                window.sample(connected);
            }
            Histogram latency = window != null ? window.inputToSnapshotUs : inputIv;
            boolean bottleneck = cpuPct / CpuMeter.cores() > BotLimits.CPU_PCT_BOTTLENECK
                    || (sendLagIv.getTotalCount() > 0 && sendLagIv.getValueAtPercentile(99) > BotLimits.SEND_LAG_P99_US_BOTTLENECK);
            StateStats.Totals state = stats.state.totals();
            StateStats.Totals stateSecond = state.minus(lastState);
            if (printProgress) {
                out.printf(Locale.ROOT,
                        "[%4ds] %-9s bots %d/%d  in/s %.0f  snap/s %.0f  p50 %.1f ms  p99 %.1f ms%s  recv %.1f kbit/s/bot  cpu %.0f%% of one core (%d available), %.2f us/msg%s%s%n",
                        (now - startNs) / 1_000_000_000L, phase, connected, botsStarted.getAsInt(),
                        (inputs - lastInputs) / seconds, (snapshots - lastSnapshots) / seconds,
                        latency.getTotalCount() == 0 ? 0.0 : latency.getValueAtPercentile(50) / 1000.0,
                        latency.getTotalCount() == 0 ? 0.0 : latency.getValueAtPercentile(99) / 1000.0,
                        window != null ? " (so far)" : "",
                        (bytes - lastBytes) * 8 / 1000.0 / seconds / reading,
                        cpuPct, CpuMeter.cores(), WindowResult.cpuUsPerMessage(cpuPct, seconds, messages - lastMessages),
                        bottleneck ? "  BOTS BEHIND" : "", stateProgress(stateSecond, state));
            }
            if (bottleneck && !warnedBottleneck) {
                warnedBottleneck = true;
                out.printf(Locale.ROOT, "WARNING: the bots are behind their own schedule (cpu %.0f%% of one core, %d available; send lag p99 %.1f ms):"
                                + " the bot process is saturated or starved of CPU, and its own delays are in the figures."
                                + " Use fewer bots per process, give it more cores, or quiet the machine.%n",
                        cpuPct, CpuMeter.cores(), sendLagIv.getTotalCount() == 0 ? 0.0 : sendLagIv.getValueAtPercentile(99) / 1000.0);
            }
            lastState = state;
            lastInputs = inputs;
            lastSnapshots = snapshots;
            lastBytes = bytes;
            lastMessages = messages;
            lastCpuNs = cpuNs;
            lastTickNs = now;
        } catch (RuntimeException e) {
            out.println("reporter: " + e);
        }
    }

    /** The progress line's state part: the last second's figures, and the run's problems so far. */
    private static String stateProgress(StateStats.Totals second, StateStats.Totals run) {
        if (run.decodingBots() == 0) {
            return "";
        }
        long problems = run.hashMismatches() + run.decodeFailures();
        return String.format(Locale.ROOT, "  state %.0f B/snap, %.2f B/upd entity%s", second.stateBytesPerSnapshot(),
                second.bytesPerUpdatedEntity(), problems == 0 ? "" : ", " + problems + " STATE CHECKS FAILED");
    }

    /** Moves what the recorders hold into the window (or drops it when none is open). */
    private void drain() {
        inputIv = take(stats.inputToSnapshotUs, inputIv);
        inputRawIv = take(stats.inputToSnapshotRawUs, inputRawIv);
        rttIv = take(stats.rttUs, rttIv);
        interArrivalIv = take(stats.snapshotInterArrivalUs, interArrivalIv);
        joinIv = take(stats.joinToFirstSnapshotUs, joinIv);
        sendLagIv = take(stats.sendLagUs, sendLagIv);
        joinWholeRunUs.add(joinIv);
        if (window != null) {
            window.inputToSnapshotUs.add(inputIv);
            window.inputToSnapshotRawUs.add(inputRawIv);
            window.rttUs.add(rttIv);
            window.snapshotInterArrivalUs.add(interArrivalIv);
            window.sendLagUs.add(sendLagIv);
        }
    }

    private static Histogram take(Recorder recorder, Histogram recycle) {
        return recorder.getIntervalHistogram(recycle);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** The open window: histograms so far and the counters at its start. Guarded by the reporter. */
    private static final class Window {
        final Histogram inputToSnapshotUs = new Histogram(3);
        final Histogram inputToSnapshotRawUs = new Histogram(3);
        final Histogram rttUs = new Histogram(3);
        final Histogram snapshotInterArrivalUs = new Histogram(3);
        /** Filled from the whole run at the end (see {@link #joinWholeRunUs}). */
        final Histogram joinToFirstSnapshotUs = new Histogram(3);
        final Histogram sendLagUs = new Histogram(3);
        final long startNs = System.nanoTime();
        final long startCpuNs = CpuMeter.processCpuNs();
        final long inputsSent;
        final long inputsAcked;
        final long acksSent;
        final long pingsSent;
        final long chatsSent;
        final long snapshotsReceived;
        final long pongsReceived;
        final long framesReceived;
        final long bytesReceived;
        final long framesSent;
        final long bytesSent;
        final StateStats.Totals stateAtStart;
        long connectedSum;
        int samples;

        Window(SwarmStats s) {
            inputsSent = s.inputsSent.sum();
            inputsAcked = s.inputsAcked.sum();
            acksSent = s.acksSent.sum();
            pingsSent = s.pingsSent.sum();
            chatsSent = s.chatsSent.sum();
            snapshotsReceived = s.snapshotsReceived.sum();
            pongsReceived = s.pongsReceived.sum();
            framesReceived = s.framesReceived.sum();
            bytesReceived = s.bytesReceived.sum();
            framesSent = s.framesSent.sum();
            bytesSent = s.bytesSent.sum();
            stateAtStart = s.state.totals();
            sample(s.connected.get());
        }

        void sample(int connected) {
            connectedSum += connected;
            samples++;
        }

        WindowResult finish(SwarmStats s) {
            long now = System.nanoTime();
            sample(s.connected.get());
            long cpuNs = CpuMeter.processCpuNs();
            double seconds = Math.max(1e-3, (now - startNs) / 1e9);
            double cpuPct = cpuNs < 0 ? 0 : 100.0 * (cpuNs - startCpuNs) / (now - startNs);
            return new WindowResult(seconds, (double) connectedSum / samples, s.connected.get(), s.stalled.get(),
                    inputToSnapshotUs, inputToSnapshotRawUs, rttUs, snapshotInterArrivalUs, joinToFirstSnapshotUs, sendLagUs,
                    s.inputsSent.sum() - inputsSent, s.inputsAcked.sum() - inputsAcked, s.acksSent.sum() - acksSent,
                    s.pingsSent.sum() - pingsSent, s.chatsSent.sum() - chatsSent,
                    s.snapshotsReceived.sum() - snapshotsReceived, s.pongsReceived.sum() - pongsReceived,
                    s.framesReceived.sum() - framesReceived, s.bytesReceived.sum() - bytesReceived,
                    s.framesSent.sum() - framesSent, s.bytesSent.sum() - bytesSent,
                    cpuPct, CpuMeter.cores(), s.state.totals().minus(stateAtStart));
        }
    }
}
