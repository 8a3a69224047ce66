package io.tickwave.bots;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the server reports about itself over a measurement window: its {@code /metrics} at the
 * window's start and end, and, when its process id is given, its CPU time and resident memory from
 * {@code /proc} (Linux).
 *
 * <p><b>Threading.</b> Used by the controlling thread only ({@link #begin} and {@link #end} around a
 * window); blocking HTTP, never on the bots' threads.
 */
final class ServerProbe {

    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ; 100 on every Linux we run on

    private final Supplier<String> metrics;
    private final long pid;
    private PrometheusText before;
    private long beforeCpuTicks;
    private long beforeNs;
    private long beforeMachineBusyTicks;
    private long beforeBotCpuNs;

    /** @param metrics fetches the current metrics text; {@code pid} ≤ 0: no /proc readings */
    ServerProbe(Supplier<String> metrics, long pid) {
        this.metrics = metrics;
        this.pid = pid;
    }

    /** Fetches {@code /metrics} over HTTP. */
    static Supplier<String> http(URI url) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return () -> {
            try {
                HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
                return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        };
    }

    void begin() {
        before = PrometheusText.parse(metrics.get());
        beforeCpuTicks = cpuTicks();
        beforeMachineBusyTicks = machineBusyTicks();
        beforeBotCpuNs = CpuMeter.processCpuNs();
        beforeNs = System.nanoTime();
    }

    /** What changed since {@link #begin}; quantiles are the server's own summaries, read at the end. */
    ServerWindow end() {
        PrometheusText after = PrometheusText.parse(metrics.get());
        if (after.samples().isEmpty() || before.samples().isEmpty()) {
            // The server did not answer /metrics (too busy, or gone): say so rather than report differences of nothing.
            PrometheusText none = new PrometheusText(Map.of());
            before = none;
            after = none;
        }
        long cpuTicks = cpuTicks();
        long machineBusy = machineBusyTicks();
        long botCpuNs = CpuMeter.processCpuNs();
        double seconds = (System.nanoTime() - beforeNs) / 1e9;
        double cpuPct = cpuTicks < 0 || beforeCpuTicks < 0 ? Double.NaN
                : 100.0 * (cpuTicks - beforeCpuTicks) / CLOCK_TICKS_PER_SECOND / seconds;
        double machinePct = machineBusy < 0 || beforeMachineBusyTicks < 0 ? Double.NaN
                : 100.0 * (machineBusy - beforeMachineBusyTicks) / CLOCK_TICKS_PER_SECOND / seconds;
        double botPct = 100.0 * (botCpuNs - beforeBotCpuNs) / 1e9 / seconds;
        // What neither the server nor the bots used: other work on the machine that competed with the run.
        double otherPct = Double.isNaN(machinePct) ? Double.NaN : Math.max(0, machinePct - botPct - (Double.isNaN(cpuPct) ? 0 : cpuPct));
        return new ServerWindow(seconds, cpuPct, otherPct, rssMb(),
                after.quantile("tickwave_tick_duration_seconds", "0.99") * 1000,
                after.quantile("tickwave_tick_lateness_seconds", "0.99") * 1000,
                after.value("tickwave_players"), after.value("tickwave_rooms"),
                after.counter("tickwave_joins") - before.counter("tickwave_joins"),
                after.counter("tickwave_inputs") - before.counter("tickwave_inputs"),
                after.counter("tickwave_frames_out") - before.counter("tickwave_frames_out"),
                after.counter("tickwave_bytes_out") - before.counter("tickwave_bytes_out"),
                after.counter("tickwave_tick_overruns") - before.counter("tickwave_tick_overruns"),
                after.counter("tickwave_stale_snapshots_dropped") - before.counter("tickwave_stale_snapshots_dropped"),
                after.counter("tickwave_ring_full_drops") - before.counter("tickwave_ring_full_drops"),
                after.byLabel("tickwave_closes", "code"));
    }

    private long cpuTicks() {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime (fields 14 and 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Busy time of all CPUs (everything but idle and iowait) from /proc/stat, in clock ticks; -1 if unknown. */
    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private double rssMb() {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /**
     * The server's side of a window. Counter fields are increases over the window.
     *
     * @param cpuPct CPU of the server process in % of one core (NaN without a pid)
     * @param otherCpuPct CPU used on this machine by anything but the server and the bots, in % of one
     *                    core: work that competed with the run (other builds, tests). Large values make
     *                    the latencies unreliable.
     */
    record ServerWindow(double seconds, double cpuPct, double otherCpuPct, double rssMb, double tickDurationP99Ms, double tickLatenessP99Ms,
                        double players, double rooms, double joins, double inputs, double framesOut, double bytesOut,
                        double tickOverruns, double staleSnapshotsDropped, double ringFullDrops,
                        Map<String, Double> closesByCodeTotal) {

        double kbpsPerPlayer() {
            return players <= 0 ? 0 : bytesOut * 8 / 1000.0 / seconds / players;
        }

        void putJson(ObjectNode parent) {
            ObjectNode n = parent.putObject("server");
            n.put("cpu_pct_of_one_core", RunReport.round(cpuPct));
            n.put("rss_mb", RunReport.round(rssMb));
            n.put("other_cpu_pct_of_one_core", RunReport.round(otherCpuPct));
            n.put("tick_duration_p99_ms", RunReport.round(tickDurationP99Ms * 1000) / 1000);
            n.put("tick_lateness_p99_ms", RunReport.round(tickLatenessP99Ms * 1000) / 1000);
            n.put("players", players);
            n.put("rooms", rooms);
            n.put("joins", joins);
            n.put("inputs", inputs);
            n.put("frames_out", framesOut);
            n.put("bytes_out", bytesOut);
            n.put("send_kbps_per_player", RunReport.round(kbpsPerPlayer()));
            n.put("tick_overruns", tickOverruns);
            n.put("stale_snapshots_dropped", staleSnapshotsDropped);
            n.put("ring_full_drops", ringFullDrops);
            ObjectNode closes = n.putObject("closes_by_code_total");
            closesByCodeTotal.forEach(closes::put);
        }
    }
}
