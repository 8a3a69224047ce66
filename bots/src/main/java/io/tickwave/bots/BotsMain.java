package io.tickwave.bots;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code tickwave-bots} command line: a swarm of bots against a Tickwave server, with a latency
 * report, or a capacity search. Runs on the main thread; the bots on the swarm's IO threads.
 */
@Command(name = "tickwave-bots", mixinStandardHelpOptions = true, version = "tickwave-bots 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Drives a swarm of bots against a Tickwave server and reports input -> snapshot latency (open loop,",
            "corrected for coordinated omission), ping RTT, snapshot jitter and bandwidth.",
            "The run: joins spread over --ramp, then --warmup (not counted), then --duration (measured)."})
public final class BotsMain implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "ws://127.0.0.1:8080/ws", description = "server WebSocket URL (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--matchmake", description = {"a cluster node's http://host:port: each bot gets its seat from its POST /matchmake",
            "(then connects to the node it names, with the seat token) and matchmakes again after a rematch (close 4013),",
            "a refused seat (4014) or a lost node; --url is then unused"})
    URI matchmake;

    @Option(names = "--game", description = "with --matchmake: the game asked for (the nodes' game name, e.g. arena); default: any")
    String game;

    @Option(names = "--bots", defaultValue = "100", description = "number of bots (default: ${DEFAULT-VALUE})")
    int bots;

    @Option(names = "--ramp", defaultValue = "5s", converter = DurationConverter.class,
            description = "spread the joins evenly over this time (default: ${DEFAULT-VALUE})")
    Duration ramp;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
            description = "run this long after the ramp before measuring; excluded from the figures (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "measured time (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--input-rate", defaultValue = "20", description = "inputs per second per bot, on a fixed schedule (default: ${DEFAULT-VALUE})")
    int inputRate;

    @Option(names = "--ping-interval", defaultValue = "1s", converter = DurationConverter.class,
            description = "each bot pings this often, for the bare RTT; 0 for none (default: ${DEFAULT-VALUE})")
    Duration pingInterval;

    @Option(names = "--behaviour", defaultValue = "wander",
            description = "idle, wander, chase, fight or chatty (default: ${DEFAULT-VALUE})")
    String behaviour;

    @Option(names = "--slow-fraction", defaultValue = "0",
            description = "share of bots (0..1) that stop reading their socket, to test slow consumers (default: ${DEFAULT-VALUE})")
    double slowFraction;

    @Option(names = "--slow-after", defaultValue = "5s", converter = DurationConverter.class,
            description = "a slow bot stops reading this long after it joined (default: ${DEFAULT-VALUE})")
    Duration slowAfter;

    @Option(names = "--io-threads", description = "selector threads carrying all bots (default: cores, at most 4)")
    Integer ioThreads;

    @Option(names = "--protocol-version", defaultValue = "2",
            description = "2 for this server; 1 for the previous build (joins with 1, acks every snapshot, no tick in inputs) (default: ${DEFAULT-VALUE})")
    int protocolVersion;

    @Option(names = "--verify", description = "every bot decodes every snapshot's replicated state and checks state_hash when"
            + " present; mismatches and decode failures count as errors (the first few described on stderr)")
    boolean verify;

    @Option(names = "--state-stats", defaultValue = "" + StateDecoding.DEFAULT_SAMPLE_EVERY,
            description = "without --verify, one bot in N decodes the replicated state for the state figures"
                    + " (bytes per snapshot and per updated entity, entities created/updated/removed); 0: none (default: ${DEFAULT-VALUE})")
    int stateStatsEvery;

    @Option(names = "--name-prefix", defaultValue = "bot", description = "bots are named PREFIX-N (default: ${DEFAULT-VALUE})")
    String namePrefix;

    @Option(names = "--json", description = "write the final report as JSON to this file")
    Path json;

    @Option(names = "--hgrm", description = "write HdrHistogram percentile files (.hgrm, in ms) into this directory")
    Path hgrm;

    @Option(names = "--plot", description = "write a PNG chart here (default: next to --json, same name with .png)")
    Path plot;

    @Option(names = "--server-metrics", description = "the server's /metrics URL: its figures over the measured window join the report")
    URI serverMetrics;

    @Option(names = "--server-pid", defaultValue = "0", description = "the server's process id (same machine): its CPU and RSS join the report")
    long serverPid;

    @Option(names = "--label", defaultValue = "", description = "a scenario name, written into the report and result files")
    String label;

    @Option(names = "--append-jsonl", description = "append the report as one JSON line to this file")
    Path appendJsonl;

    @Option(names = "--append-md", description = "append the report as one Markdown table row to this file (header when new)")
    Path appendMd;

    @Option(names = "--quiet", description = "no progress line")
    boolean quiet;

    @Option(names = "--find-capacity", description = "add bots step by step until input -> snapshot p99 breaks --slo-p99")
    boolean findCapacity;

    @Option(names = "--slo-p99", defaultValue = "50ms", converter = DurationConverter.class,
            description = "the latency SLO for --find-capacity (default: ${DEFAULT-VALUE})")
    Duration sloP99;

    @Option(names = "--capacity-start", defaultValue = "50", description = "players in the first step (default: ${DEFAULT-VALUE})")
    int capacityStart;

    @Option(names = "--capacity-growth", defaultValue = "1.25", description = "each step grows the players by this factor (default: ${DEFAULT-VALUE})")
    double capacityGrowth;

    @Option(names = "--capacity-min-step", defaultValue = "50", description = "each step adds at least this many players (default: ${DEFAULT-VALUE})")
    int capacityMinStep;

    @Option(names = "--capacity-max", defaultValue = "5000", description = "stop at this many players (default: ${DEFAULT-VALUE})")
    int capacityMax;

    @Option(names = "--step-warmup", defaultValue = "3s", converter = DurationConverter.class,
            description = "capacity search: settle time after each step's joins (default: ${DEFAULT-VALUE})")
    Duration stepWarmup;

    @Option(names = "--step-duration", defaultValue = "10s", converter = DurationConverter.class,
            description = "capacity search: measured time per step (default: ${DEFAULT-VALUE})")
    Duration stepDuration;

    private final PrintStream out;

    public BotsMain() {
        this(System.out);
    }

    BotsMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine(System.out).execute(args));
    }

    static CommandLine commandLine(PrintStream out) {
        CommandLine cl = new CommandLine(new BotsMain(out));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        Behaviour b;
        try {
            b = Behaviour.valueOf(behaviour.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--behaviour must be idle, wander, chase, fight or chatty, not " + behaviour);
        }
        if (!"ws".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--url must be a ws://host:port/path URL (the bots speak plain WebSocket), not " + url);
        }
        if (protocolVersion != 1 && protocolVersion != 2) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--protocol-version must be 1 or 2, not " + protocolVersion);
        }
        if (stateStatsEvery < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--state-stats must be 0 (none) or N >= 1, not " + stateStatsEvery);
        }
        int threads = ioThreads != null ? ioThreads : Math.max(1, Math.min(4, CpuMeter.cores()));
        if (matchmake != null) {
            try {
                MatchmakerClient.endpointOf(matchmake);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--matchmake: " + e.getMessage());
            }
        }
        SwarmSettings settings = new SwarmSettings(url, inputRate, pingInterval, b, slowFraction, slowAfter, threads, namePrefix, 42,
                protocolVersion, new StateDecoding(verify, stateStatsEvery), matchmake, game == null || game.isBlank() ? null : game.strip());
        Path chart = plot != null ? plot : json != null ? json.resolveSibling(stripExtension(json.getFileName().toString()) + ".png") : null;
        ServerProbe probe = serverMetrics == null && serverPid <= 0 ? null
                : new ServerProbe(serverMetrics == null ? () -> "" : ServerProbe.http(serverMetrics), serverPid);
        if (findCapacity) {
            CapacitySearch.Result r = CapacitySearch.run(settings, new CapacitySearch.Plan(capacityStart, capacityGrowth,
                    capacityMinStep, capacityMax, stepWarmup, stepDuration, sloP99), out, !quiet, probe);
            out.printf(Locale.ROOT, "%ncapacity: %d players held input -> snapshot p99 <= %s (first failing: %s; limited by %s)%n",
                    r.capacity(), RunReport.human(sloP99), r.firstFailing() > 0 ? String.valueOf(r.firstFailing()) : "none", r.limitedBy());
            if (json != null) {
                RunReport.createParent(json);
                RunReport.JSON.writeValue(json.toFile(), r.toJson());
            }
            if (appendJsonl != null) {
                ObjectNode line = r.toJson();
                line.put("label", label);
                appendLine(appendJsonl, RunReport.JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(line) + "\n", null);
            }
            if (chart != null) {
                writeSafely(() -> CapacitySearch.writeChart(r, chart), chart);
            }
            return r.capacity() > 0 ? 0 : 1;
        }
        RunReport report = SwarmRun.run(settings, bots, ramp, warmup, duration, out, !quiet, label, probe);
        report.printTable(out);
        if (appendJsonl != null) {
            appendLine(appendJsonl, RunReport.JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.toJson()) + "\n", null);
        }
        if (appendMd != null) {
            appendLine(appendMd, report.markdownRow(), RunReport.MD_HEADER);
        }
        if (json != null) {
            report.writeJson(json);
            out.println("JSON report: " + json);
        }
        if (hgrm != null) {
            report.writeHgrm(hgrm);
            out.println("percentile files: " + hgrm);
        }
        if (chart != null) {
            writeSafely(() -> report.writeChart(chart), chart);
        }
        return exitCode(report, bots, out);
    }

    /**
     * 0 when every bot joined, some were still connected at the end and (with {@code --verify}) every
     * state check passed; otherwise 1, with one line that says what went wrong and, for the refusals a
     * newcomer meets, which setting to change.
     */
    static int exitCode(RunReport report, int bots, PrintStream out) {
        if (report.welcomes() < bots) {
            String first = report.firstErrors().getOrDefault("handshake", report.firstErrors().getOrDefault("connect", ""));
            out.printf(Locale.ROOT, "%d of %d bots never joined%s%n", bots - report.welcomes(), bots,
                    first.isEmpty() ? "" : " (first refusal: " + first + ")");
            if (first.contains(" 429 ")) {
                out.println("the server caps WebSockets per address (429): start it with a higher"
                        + " --max-connections-per-address, or run the bots on the server's machine (loopback is exempt)");
            } else if (first.contains(" 503 ")) {
                out.println("the server is at its --max-connections cap or shutting down (503)");
            }
            return 1;
        }
        long stateProblems = report.errorsByKind().getOrDefault(ReplicaCheck.MISMATCH, 0L)
                + report.errorsByKind().getOrDefault(ReplicaCheck.DECODE, 0L);
        if (report.settings().stateDecoding().verify() && stateProblems > 0) {
            out.printf(Locale.ROOT, "--verify: %d state hash mismatches, %d snapshots that could not be applied (first described on stderr)%n",
                    report.errorsByKind().getOrDefault(ReplicaCheck.MISMATCH, 0L), report.errorsByKind().getOrDefault(ReplicaCheck.DECODE, 0L));
            return 1;
        }
        return report.window().connectedAtEnd() > 0 ? 0 : 1;
    }

    private static void appendLine(Path file, String text, String headerIfNew) throws java.io.IOException {
        RunReport.createParent(file);
        boolean isNew = !java.nio.file.Files.exists(file) || java.nio.file.Files.size(file) == 0;
        String all = (isNew && headerIfNew != null ? headerIfNew : "") + text;
        java.nio.file.Files.writeString(file, all, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private interface Writer {
        void write() throws Exception;
    }

    /** A chart that cannot be drawn (no fonts on a bare machine) must not lose the run's figures. */
    private void writeSafely(Writer writer, Path chart) {
        try {
            writer.write();
            out.println("chart: " + chart);
        } catch (Exception | LinkageError | java.awt.AWTError e) {
            out.println("could not draw the chart " + chart + ": " + e);
        }
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
