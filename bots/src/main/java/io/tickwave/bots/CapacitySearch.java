package io.tickwave.bots;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code --find-capacity}: adds bots step by step, measures each step, and stops at the first step
 * whose input → snapshot p99 breaks the SLO (or whose bots could not all connect). The capacity is
 * the most players of a step that held.
 *
 * <p>Bots are only ever added, never removed, so each step's load includes the previous steps' bots;
 * the answer lies between the last step that held and the first that broke (both reported).
 *
 * <p><b>Threading.</b> {@link #run} blocks the calling thread.
 */
final class CapacitySearch {

    /**
     * @param start       players of the first step
     * @param growth      each step has {@code max(players + minStep, players × growth)} players
     * @param minStep     the smallest step
     * @param max         no step goes beyond this many players
     * @param stepWarmup  time after a step's joins before measuring
     * @param stepMeasure how long each step is measured
     * @param sloP99      the input → snapshot p99 a step must stay at or below
     */
    record Plan(int start, double growth, int minStep, int max, Duration stepWarmup, Duration stepMeasure, Duration sloP99) {
    }

    /**
     * The outcome; {@code limitedBy} says why the search stopped: slo, connections or max, marked
     * inconclusive when the bots themselves were behind in the failing step.
     */
    record Result(Instant startedAt, Plan plan, SwarmSettings settings, List<Charts.CapacityPoint> points,
                  List<WindowResult> windows, List<ServerProbe.ServerWindow> servers, int capacity, int firstFailing, String limitedBy) {

        ObjectNode toJson() {
            ObjectNode root = RunReport.JSON.createObjectNode();
            root.put("tool", "tickwave-bots");
            root.put("mode", "find-capacity");
            root.put("started_at", startedAt.toString());
            root.put("url", settings.url().toString());
            root.put("slo_p99_ms", plan.sloP99().toNanos() / 1e6);
            root.put("behaviour", settings.behaviour().name().toLowerCase(Locale.ROOT));
            root.put("input_rate_hz", settings.inputRateHz());
            root.put("capacity", capacity);
            if (firstFailing > 0) {
                root.put("first_failing", firstFailing);
            } else {
                root.putNull("first_failing");
            }
            root.put("limited_by", limitedBy);
            ArrayNode steps = root.putArray("steps");
            for (int i = 0; i < points.size(); i++) {
                Charts.CapacityPoint p = points.get(i);
                WindowResult w = windows.get(i);
                ObjectNode s = steps.addObject();
                s.put("players", p.players());
                s.put("held", p.held());
                RunReport.putLatency(s, "input_to_snapshot_ms", w.inputToSnapshotUs());
                RunReport.putLatency(s, "input_to_snapshot_raw_ms", w.inputToSnapshotRawUs());
                RunReport.putLatency(s, "rtt_ms", w.rttUs());
                s.put("recv_kbps_per_bot", RunReport.round(w.recvKbpsPerBot()));
                s.put("bot_cpu_pct_of_one_core", RunReport.round(w.botCpuPctOfOneCore()));
                s.put("bot_bottleneck", w.botBottleneck());
                if (servers.get(i) != null) {
                    servers.get(i).putJson(s);
                }
            }
            return root;
        }
    }

    private CapacitySearch() {
    }

    static Result run(SwarmSettings settings, Plan plan, PrintStream out, boolean progress, ServerProbe probe) throws IOException {
        Instant startedAt = Instant.now();
        SwarmStats stats = new SwarmStats();
        List<Charts.CapacityPoint> points = new ArrayList<>();
        List<WindowResult> windows = new ArrayList<>();
        List<ServerProbe.ServerWindow> servers = new ArrayList<>();
        double sloMs = plan.sloP99().toNanos() / 1e6;
        int capacity = 0;
        int firstFailing = 0;
        String limitedBy = "max";
        try (Swarm swarm = new Swarm(settings, stats);
             Reporter reporter = new Reporter(stats, swarm::started, out, progress)) {
            int target = plan.start();
            for (int step = 1; ; step++) {
                int toAdd = target - swarm.started();
                reporter.phase("step " + step);
                // Joins at up to 500 a second: a step's arrival burst should not be what breaks the SLO.
                swarm.addBots(toAdd, Duration.ofMillis(Math.max(200, toAdd * 2L)));
                SwarmRun.sleep(plan.stepWarmup());
                if (probe != null) {
                    probe.begin();
                }
                reporter.openWindow();
                SwarmRun.sleep(plan.stepMeasure());
                WindowResult w = reporter.closeWindow();
                servers.add(probe == null ? null : probe.end());
                LatencySummary l = LatencySummary.of(w.inputToSnapshotUs());
                boolean allConnected = w.connectedAtEnd() >= Math.ceil(target * 0.99);
                boolean held = l.count() > 0 && l.p99() <= sloMs && allConnected;
                points.add(new Charts.CapacityPoint(w.connectedAtEnd(), l.p50(), l.p99(), l.p999(), held));
                windows.add(w);
                out.printf(Locale.ROOT, "step %d: %d players (%d asked), p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms -> %s%n",
                        step, w.connectedAtEnd(), target, l.p50(), l.p99(), l.p999(),
                        held ? "held" : (allConnected ? "SLO broken" : "not all bots connected"));
                if (w.botBottleneck()) {
                    out.printf(Locale.ROOT, "  (the bots fell behind in this step: cpu %.0f%% of one core, send lag p99 %.1f ms; its figures include their delay)%n",
                            w.botCpuPctOfOneCore(), w.sendLagUs().getTotalCount() == 0 ? 0.0 : w.sendLagUs().getValueAtPercentile(99) / 1000.0);
                }
                if (!held) {
                    firstFailing = w.connectedAtEnd();
                    limitedBy = (allConnected ? "slo" : "connections") + (w.botBottleneck() ? " (bots behind: inconclusive)" : "");
                    break;
                }
                capacity = w.connectedAtEnd();
                if (target >= plan.max()) {
                    break;
                }
                target = (int) Math.min(plan.max(), Math.max(target + (long) plan.minStep(), Math.round(target * plan.growth())));
            }
            reporter.phase("closing");
        }
        return new Result(startedAt, plan, settings, points, windows, servers, capacity, firstFailing, limitedBy);
    }

    static void writeChart(Result r, Path png) throws IOException {
        RunReport.createParent(png);
        Charts.capacity(png, String.format(Locale.ROOT, "capacity at input -> snapshot p99 <= %.0f ms: %d players (%s, %d inputs/s)",
                        r.plan().sloP99().toNanos() / 1e6, r.capacity(), r.settings().behaviour().name().toLowerCase(Locale.ROOT),
                        r.settings().inputRateHz()),
                r.points(), r.plan().sloP99().toNanos() / 1e6, r.capacity());
    }
}
