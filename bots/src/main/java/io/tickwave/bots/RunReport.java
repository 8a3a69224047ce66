package io.tickwave.bots;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/**
 * The final report of one measured run: a readable table, a JSON document, HdrHistogram percentile
 * files and a percentile chart.
 *
 * <p>Immutable once built; any thread.
 *
 * @param startedAt when the run began (wall clock)
 * @param bots      bots asked for
 * @param window    what the measured window saw
 * @param closesByCode connections the server ended, over the whole run, by close code (1006: no close frame)
 * @param stalledClosesByCode the same for the bots that had stopped reading on purpose
 * @param errorsByKind errors over the whole run
 * @param inputsCollapsed due inputs that late bots folded into a later one, over the whole run
 * @param label     a scenario name for result files ("" if none)
 * @param server    the server's own figures over the window, or null when not probed
 * @param reconnects drops and reconnects over the whole run
 */
record RunReport(Instant startedAt, SwarmSettings settings, int bots, Duration ramp, Duration warmup, Duration duration,
                 WindowResult window, long connectAttempts, long connectFailures, long welcomes,
                 Map<Integer, Long> closesByCode, Map<Integer, Long> stalledClosesByCode,
                 Map<String, Long> errorsByKind, Map<String, String> firstErrors, long errors, long inputsCollapsed,
                 String label, ServerProbe.ServerWindow server, Reconnects reconnects) {

    /**
     * Over the whole run: joined bots whose connection ended unexpectedly ({@code drops}), welcomes
     * after one ({@code reconnected}, of which {@code resumed} got their seat back), refused tokens,
     * 4013 closes ({@code rematches}), bots that gave up, and drop → welcome-again times in ms; with a
     * matchmaker, its part ({@link Matchmade}).
     */
    record Reconnects(long drops, long reconnected, long resumed, long refused, long rematches, long givenUp,
                      LatencySummary reconnectMs, Matchmade matchmade) {
        static final Reconnects NONE = new Reconnects(0, 0, 0, 0, 0, 0, LatencySummary.of(new org.HdrHistogram.Histogram(3)),
                Matchmade.NONE);

        static Reconnects of(SwarmStats stats) {
            return new Reconnects(stats.drops.sum(), stats.reconnects.sum(), stats.resumed.sum(),
                    stats.reconnectsRefused.sum(), stats.rematches.sum(), stats.reconnectsGivenUp.sum(),
                    LatencySummary.of(stats.reconnectUs.copy()), Matchmade.of(stats));
        }
    }

    /**
     * With a matchmaker, over the whole run: {@code POST /matchmake} requests and those answered with
     * no seat; joins refused (SEAT_REFUSED, SERVER_DRAINING); outages mended by a new seat: started,
     * welcomed ({@code rematched}), playing again (a snapshot in the new seat), given up; and the rematch
     * time, drop (or close) → welcome in the new seat, in ms.
     */
    record Matchmade(long requests, long failures, long seatsRefused, long started, long rematched, long playing,
                     long givenUp, LatencySummary rematchMs) {
        static final Matchmade NONE = new Matchmade(0, 0, 0, 0, 0, 0, 0, LatencySummary.of(new org.HdrHistogram.Histogram(3)));

        static Matchmade of(SwarmStats stats) {
            return new Matchmade(stats.matchmakeRequests.sum(), stats.matchmakeFailures.sum(), stats.seatsRefused.sum(),
                    stats.rematchesStarted.sum(), stats.rematched.sum(), stats.rematchedPlaying.sum(),
                    stats.rematchesGivenUp.sum(), LatencySummary.of(stats.rematchUs.copy()));
        }
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static RunReport of(Instant startedAt, SwarmSettings settings, int bots, Duration ramp, Duration warmup,
                        Duration duration, WindowResult window, SwarmStats stats, String label,
                        ServerProbe.ServerWindow server) {
        return new RunReport(startedAt, settings, bots, ramp, warmup, duration, window,
                stats.connectAttempts.sum(), stats.connectFailures.sum(), stats.welcomes.sum(),
                stats.closesByCode(), stats.stalledClosesByCode(), stats.errorsByKind(), stats.firstErrorMessages(),
                stats.totalErrors(), stats.inputsCollapsed.sum(), label, server, Reconnects.of(stats));
    }

    LatencySummary inputToSnapshot() {
        return LatencySummary.of(window.inputToSnapshotUs());
    }

    LatencySummary rtt() {
        return LatencySummary.of(window.rttUs());
    }

    ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("tool", "tickwave-bots");
        root.put("label", label);
        root.put("started_at", startedAt.toString());
        root.put("url", settings.matchmaker() != null ? "matchmade" : settings.url().toString());
        ObjectNode s = root.putObject("settings");
        s.put("bots", bots);
        s.put("ramp_s", ramp.toMillis() / 1000.0);
        s.put("warmup_s", warmup.toMillis() / 1000.0);
        s.put("duration_s", duration.toMillis() / 1000.0);
        s.put("input_rate_hz", settings.inputRateHz());
        s.put("ping_interval_s", settings.pingInterval().toMillis() / 1000.0);
        s.put("behaviour", settings.behaviour().name().toLowerCase(Locale.ROOT));
        s.put("slow_fraction", settings.slowFraction());
        s.put("io_threads", settings.ioThreads());
        s.put("protocol_version", settings.protocolVersion());
        root.put("measured_s", round(window.seconds()));
        root.put("connected", window.connectedAtEnd());
        root.put("connected_avg", round(window.connectedAvg()));
        root.put("stalled", window.stalledAtEnd());
        root.put("connect_attempts", connectAttempts);
        root.put("connect_failures", connectFailures);
        root.put("joined", welcomes);
        root.put("errors", errors);
        ObjectNode ek = root.putObject("errors_by_kind");
        errorsByKind.forEach(ek::put);
        ObjectNode fe = root.putObject("first_error_messages");
        firstErrors.forEach(fe::put);
        ObjectNode closes = root.putObject("closes_by_code");
        closesByCode.forEach((code, n) -> closes.put(String.valueOf(code), n));
        ObjectNode stalledCloses = root.putObject("stalled_closes_by_code");
        stalledClosesByCode.forEach((code, n) -> stalledCloses.put(String.valueOf(code), n));
        putLatency(root, "input_to_snapshot_ms", window.inputToSnapshotUs());
        putLatency(root, "input_to_snapshot_raw_ms", window.inputToSnapshotRawUs());
        putLatency(root, "rtt_ms", window.rttUs());
        putLatency(root, "snapshot_interarrival_ms", window.snapshotInterArrivalUs());
        putLatency(root, "join_to_first_snapshot_ms", window.joinToFirstSnapshotUs());
        putLatency(root, "send_lag_ms", window.sendLagUs());
        root.put("recv_kbps_per_bot", round(window.recvKbpsPerBot()));
        root.put("recv_bytes_per_bot_per_s", round(window.recvBytesPerBotPerSecond()));
        root.put("recv_frames_per_bot_per_s", round(window.recvFramesPerBotPerSecond()));
        ObjectNode sent = root.putObject("sent");
        sent.put("inputs", window.inputsSent());
        sent.put("inputs_collapsed_whole_run", inputsCollapsed);
        sent.put("acks", window.acksSent());
        sent.put("pings", window.pingsSent());
        sent.put("chats", window.chatsSent());
        sent.put("frames", window.framesSent());
        sent.put("bytes", window.bytesSent());
        ObjectNode received = root.putObject("received");
        received.put("inputs_acked", window.inputsAcked());
        received.put("snapshots", window.snapshotsReceived());
        received.put("pongs", window.pongsReceived());
        received.put("frames", window.framesReceived());
        received.put("bytes", window.bytesReceived());
        putState(root.putObject("state"));
        ObjectNode cpu = root.putObject("bot_process");
        cpu.put("cpu_pct_of_one_core", round(window.botCpuPctOfOneCore()));
        cpu.put("cpu_us_per_message", round(window.botCpuUsPerMessage()));
        cpu.put("messages", window.framesSent() + window.framesReceived());
        cpu.put("cores", window.botCores());
        cpu.put("bottleneck", window.botBottleneck());
        ObjectNode rc = root.putObject("reconnects");
        rc.put("drops", reconnects.drops());
        rc.put("reconnected", reconnects.reconnected());
        rc.put("resumed", reconnects.resumed());
        rc.put("tokens_refused", reconnects.refused());
        rc.put("rematches", reconnects.rematches());
        rc.put("given_up", reconnects.givenUp());
        ObjectNode rcMs = rc.putObject("drop_to_welcome_ms");
        rcMs.put("count", reconnects.reconnectMs().count());
        rcMs.put("p50", reconnects.reconnectMs().p50());
        rcMs.put("p99", reconnects.reconnectMs().p99());
        rcMs.put("max", reconnects.reconnectMs().max());
        if (settings.matchmaker() != null) {
            Matchmade mm = reconnects.matchmade();
            ObjectNode rm = rc.putObject("matchmaker");
            rm.put("url", settings.matchmaker().toString());
            rm.put("requests", mm.requests());
            rm.put("failures", mm.failures());
            rm.put("seats_refused", mm.seatsRefused());
            rm.put("rematches_started", mm.started());
            rm.put("rematched", mm.rematched());
            rm.put("playing_again", mm.playing());
            rm.put("given_up", mm.givenUp());
            ObjectNode rmMs = rm.putObject("rematch_ms");
            rmMs.put("count", mm.rematchMs().count());
            rmMs.put("p50", mm.rematchMs().p50());
            rmMs.put("p90", mm.rematchMs().p90());
            rmMs.put("p99", mm.rematchMs().p99());
            rmMs.put("p999", mm.rematchMs().p999());
            rmMs.put("max", mm.rematchMs().max());
            rmMs.put("mean", mm.rematchMs().mean());
        }
        if (server != null) {
            server.putJson(root);
        }
        return root;
    }

    /** The replicated state as the decoding bots saw it over the window (see {@link StateDecoding}). */
    private void putState(ObjectNode n) {
        StateStats.Totals st = window.state();
        n.put("verify", settings.stateDecoding().verify());
        n.put("sample_every", settings.stateDecoding().sampleEvery());
        n.put("decoding_bots", st.decodingBots());
        n.put("snapshots", st.snapshots());
        n.put("state_bytes_per_snapshot", round(st.stateBytesPerSnapshot()));
        n.put("created_per_snapshot", round(st.createdPerSnapshot()));
        n.put("updated_per_snapshot", round(st.updatedPerSnapshot()));
        n.put("removed_per_snapshot", round(st.removedPerSnapshot()));
        n.put("bytes_per_updated_entity", round(st.bytesPerUpdatedEntity()));
        n.put("hashes_checked", st.hashesChecked());
        n.put("hash_mismatches", st.hashMismatches());
        n.put("decode_failures", st.decodeFailures());
    }

    static void putLatency(ObjectNode parent, String name, Histogram us) {
        LatencySummary l = LatencySummary.of(us);
        ObjectNode n = parent.putObject(name);
        n.put("count", l.count());
        n.put("p50", l.p50());
        n.put("p90", l.p90());
        n.put("p99", l.p99());
        n.put("p999", l.p999());
        n.put("max", l.max());
        n.put("mean", l.mean());
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    void printTable(PrintStream out) {
        out.printf(Locale.ROOT, "%n=== tickwave-bots: %d bots, %s, %d inputs/s each, measured %.1f s after %s warm-up ===%n",
                bots, settings.behaviour().name().toLowerCase(Locale.ROOT), settings.inputRateHz(), window.seconds(),
                human(warmup));
        out.printf(Locale.ROOT, "connected %d (avg %.1f, %d stalled on purpose) | connect attempts %d, failures %d | errors %d%n",
                window.connectedAtEnd(), window.connectedAvg(), window.stalledAtEnd(), connectAttempts, connectFailures, errors);
        if (!errorsByKind.isEmpty()) {
            out.println("errors by kind: " + errorsByKind + (firstErrors.isEmpty() ? "" : "  first: " + firstErrors));
        }
        out.println("closes by server, by code: " + (closesByCode.isEmpty() ? "none" : closesByCode)
                + (stalledClosesByCode.isEmpty() ? "" : " | of stalled bots: " + stalledClosesByCode));
        if (reconnects.drops() > 0) {
            out.printf(Locale.ROOT, "reconnects: %d drops, %d back (%d resumed their seat), %d tokens refused,"
                            + " %d rematches (4013), %d gave up | drop -> welcome ms p50 %.1f p99 %.1f max %.1f%n",
                    reconnects.drops(), reconnects.reconnected(), reconnects.resumed(), reconnects.refused(),
                    reconnects.rematches(), reconnects.givenUp(), reconnects.reconnectMs().p50(),
                    reconnects.reconnectMs().p99(), reconnects.reconnectMs().max());
        }
        if (settings.matchmaker() != null) {
            Matchmade mm = reconnects.matchmade();
            out.printf(Locale.ROOT, "matchmaker %s: %d requests (%d without a seat), %d joins refused | rematches: %d started,"
                            + " %d in a new seat, %d playing again, %d gave up%n",
                    settings.matchmaker(), mm.requests(), mm.failures(), mm.seatsRefused(), mm.started(), mm.rematched(),
                    mm.playing(), mm.givenUp());
            if (mm.rematchMs().count() > 0) {
                out.printf(Locale.ROOT, "rematch time, drop -> welcome in the new seat (ms): p50 %.1f p90 %.1f p99 %.1f"
                                + " p99.9 %.1f max %.1f (%d rematches)%n", mm.rematchMs().p50(), mm.rematchMs().p90(),
                        mm.rematchMs().p99(), mm.rematchMs().p999(), mm.rematchMs().max(), mm.rematchMs().count());
            }
        }
        out.printf("%n%-34s %9s %9s %9s %9s %9s %9s %10s%n", "latency (ms)", "p50", "p90", "p99", "p99.9", "max", "mean", "count");
        row(out, "input -> snapshot (from due time)", window.inputToSnapshotUs());
        row(out, "input -> snapshot (raw, from sent)", window.inputToSnapshotRawUs());
        row(out, "ping -> pong RTT", window.rttUs());
        row(out, "snapshot inter-arrival", window.snapshotInterArrivalUs());
        row(out, "join -> first snapshot (whole run)", window.joinToFirstSnapshotUs());
        row(out, "bot send lag (bot's own delay)", window.sendLagUs());
        out.printf(Locale.ROOT, "%nper reading bot: %.1f kbit/s, %.1f frames/s, %.0f bytes/s received%n",
                window.recvKbpsPerBot(), window.recvFramesPerBotPerSecond(), window.recvBytesPerBotPerSecond());
        StateStats.Totals st = window.state();
        if (st.decodingBots() > 0 || settings.stateDecoding().verify()) {
            out.printf(Locale.ROOT, "state (%d bot%s decoding%s): %.1f bytes per snapshot, per snapshot %.1f entities created, %.1f updated,"
                            + " %.1f removed, %.2f bytes per updated entity | hashes checked %d, mismatches %d, decode failures %d%n",
                    st.decodingBots(), st.decodingBots() == 1 ? "" : "s",
                    settings.stateDecoding().verify() ? ", --verify"
                            : settings.behaviour().readsState() ? ", every " + settings.behaviour().name().toLowerCase(Locale.ROOT) + " bot steers by it"
                            : ", one in " + settings.stateDecoding().sampleEvery(),
                    st.stateBytesPerSnapshot(), st.createdPerSnapshot(), st.updatedPerSnapshot(), st.removedPerSnapshot(),
                    st.bytesPerUpdatedEntity(), st.hashesChecked(), st.hashMismatches(), st.decodeFailures());
        }
        out.printf(Locale.ROOT, "sent: %d inputs (%d acked), %d snapshot acks (v1), %d pings, %d chats | received: %d snapshots, %d pongs, %d frames%n",
                window.inputsSent(), window.inputsAcked(), window.acksSent(), window.pingsSent(), window.chatsSent(),
                window.snapshotsReceived(), window.pongsReceived(), window.framesReceived());
        if (inputsCollapsed > 0) {
            out.printf(Locale.ROOT, "late bots folded %d due inputs into later ones (latency still counted from each due time)%n", inputsCollapsed);
        }
        out.printf(Locale.ROOT, "bot process: cpu %.0f%% of one core (%d core%s available), %.2f us of cpu per message sent or received (%d messages)%s%n",
                window.botCpuPctOfOneCore(), window.botCores(), window.botCores() == 1 ? "" : "s",
                window.botCpuUsPerMessage(), window.framesSent() + window.framesReceived(),
                window.botBottleneck() ? "  WARNING: the bots fell behind (saturated or starved of CPU); the latencies include their own delay" : "");
        if (server != null) {
            out.printf(Locale.ROOT, "machine: other processes used %.0f%% of one core during the window%s%n", server.otherCpuPct(),
                    server.otherCpuPct() > 20 ? "  WARNING: the machine was busy with other work; latencies are not trustworthy" : "");
            out.printf(Locale.ROOT, "server: cpu %.0f%% of one core, rss %.0f MB, tick duration p99 %.3f ms, tick lateness p99 %.3f ms,"
                            + " %.0f players in %.0f rooms, %.1f kbit/s per player sent, overruns %.0f, stale snapshots dropped %.0f%n",
                    server.cpuPct(), server.rssMb(), server.tickDurationP99Ms(), server.tickLatenessP99Ms(), server.players(),
                    server.rooms(), server.kbpsPerPlayer(), server.tickOverruns(), server.staleSnapshotsDropped());
        }
    }

    static final String MD_HEADER = "| date (UTC) | scenario | bots | connected | behaviour | p50 ms | p99 ms | p99.9 ms | max ms | raw p99 ms"
            + " | RTT p99 ms | kbit/s/bot | errors | closes | bot CPU % | bot µs/msg | server CPU % | other CPU % | server RSS MB | tick p99 ms | lateness p99 ms | state B/snap | B/upd entity |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";

    /** One row of the results table in Markdown (header added by the caller when the file is new). */
    String markdownRow() {
        LatencySummary in = inputToSnapshot();
        LatencySummary raw = LatencySummary.of(window.inputToSnapshotRawUs());
        LatencySummary r = rtt();
        return String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f | %d | %s | %.0f%s | %.2f | %s | %s | %s | %s | %s | %s | %s |%n",
                startedAt.toString().substring(0, 16).replace('T', ' '), label.isEmpty() ? "-" : label, bots, window.connectedAtEnd(),
                settings.behaviour().name().toLowerCase(Locale.ROOT) + (settings.slowFraction() > 0 ? String.format(Locale.ROOT, ", %.0f%% slow", settings.slowFraction() * 100) : ""),
                in.p50(), in.p99(), in.p999(), in.max(), raw.p99(), r.p99(), window.recvKbpsPerBot(), errors,
                closesByCode.isEmpty() && stalledClosesByCode.isEmpty() ? "none" : (closesByCode + (stalledClosesByCode.isEmpty() ? "" : " slow:" + stalledClosesByCode)).replace("|", "/"),
                window.botCpuPctOfOneCore(), window.botBottleneck() ? " (behind)" : "", window.botCpuUsPerMessage(),
                server == null ? "-" : String.format(Locale.ROOT, "%.0f", server.cpuPct()),
                server == null ? "-" : String.format(Locale.ROOT, "%.0f", server.otherCpuPct()),
                server == null ? "-" : String.format(Locale.ROOT, "%.0f", server.rssMb()),
                server == null ? "-" : String.format(Locale.ROOT, "%.2f", server.tickDurationP99Ms()),
                server == null ? "-" : String.format(Locale.ROOT, "%.2f", server.tickLatenessP99Ms()),
                window.state().snapshots() == 0 ? "-" : String.format(Locale.ROOT, "%.0f", window.state().stateBytesPerSnapshot()),
                window.state().snapshots() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", window.state().bytesPerUpdatedEntity()));
    }

    private static void row(PrintStream out, String name, Histogram us) {
        LatencySummary l = LatencySummary.of(us);
        out.printf(Locale.ROOT, "%-34s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %10d%n", name, l.p50(), l.p90(), l.p99(), l.p999(), l.max(), l.mean(), l.count());
    }

    void writeJson(Path path) throws IOException {
        createParent(path);
        JSON.writeValue(path.toFile(), toJson());
    }

    /** One HdrHistogram percentile file per latency, values in milliseconds. */
    void writeHgrm(Path dir) throws IOException {
        Files.createDirectories(dir);
        hgrm(dir.resolve("input_to_snapshot.hgrm"), window.inputToSnapshotUs());
        hgrm(dir.resolve("input_to_snapshot_raw.hgrm"), window.inputToSnapshotRawUs());
        hgrm(dir.resolve("rtt.hgrm"), window.rttUs());
        hgrm(dir.resolve("snapshot_interarrival.hgrm"), window.snapshotInterArrivalUs());
        hgrm(dir.resolve("join_to_first_snapshot.hgrm"), window.joinToFirstSnapshotUs());
    }

    private static void hgrm(Path file, Histogram us) throws IOException {
        try (PrintStream ps = new PrintStream(Files.newOutputStream(file), false, java.nio.charset.StandardCharsets.UTF_8)) {
            if (us.getTotalCount() > 0) {
                us.outputPercentileDistribution(ps, 1000.0);
            }
        }
    }

    void writeChart(Path png) throws IOException {
        createParent(png);
        Charts.percentiles(png, String.format(Locale.ROOT, "%d bots, %s, %d inputs/s, %s", bots,
                        settings.behaviour().name().toLowerCase(Locale.ROOT), settings.inputRateHz(),
                        startedAt.toString().substring(0, 16).replace('T', ' ') + " UTC" + (label.isEmpty() ? "" : ", " + label)),
                chartSeries());
    }

    private Map<String, Histogram> chartSeries() {
        Map<String, Histogram> series = new java.util.LinkedHashMap<>();
        series.put("input -> snapshot, from due time (corrected)", window.inputToSnapshotUs());
        series.put("input -> snapshot, from sent time (raw)", window.inputToSnapshotRawUs());
        series.put("ping -> pong RTT", window.rttUs());
        return series;
    }

    static void createParent(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
