package io.tickwave.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tickwave.server.ServerSettings;
import io.tickwave.server.TickwaveServer;
import io.tickwave.server.testgame.BulkyGame;
import io.tickwave.server.testgame.ReplicatedWalkerGame;
import io.tickwave.server.testgame.WalkerGame;

/**
 * Real bots against a real in-process server over real WebSockets. Asserts counts, never latencies.
 */
class SwarmAgainstServerTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    private static TickwaveServer server(ServerSettings settings) {
        return TickwaveServer.start(settings.withPort(0).withHost("127.0.0.1"), WalkerGame::new);
    }

    private static URI url(TickwaveServer server) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }

    @Test
    void shouldReportTheCountsTheServerSaw() throws Exception {
        try (TickwaveServer server = server(ServerSettings.defaults().withTickRate(30).withSnapshotRate(30).withRoomCapacity(100))) {
            SwarmSettings settings = SwarmSettings.defaults(url(server)).withIoThreads(2);
            SwarmStats stats = new SwarmStats();
            RunReport report = SwarmRun.run(settings, 40, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(3),
                    out, true, "test", new ServerProbe(server::metricsText, 0), stats);

            assertEquals(40, report.window().connectedAtEnd(), log::toString);
            assertEquals(40, report.server().players(), "players on the server at the window's end");
            assertEquals(0, report.errors(), () -> report.errorsByKind() + " " + report.firstErrors());
            assertTrue(report.window().inputsSent() > 0 && report.window().snapshotsReceived() > 0);

            PrometheusText after = eventually(server, p -> p.counter("tickwave_inputs"), stats.inputsSent.sum());
            assertEquals(stats.welcomes.sum(), (long) after.counter("tickwave_joins"), "joins");
            assertEquals(stats.inputsSent.sum(), (long) after.counter("tickwave_inputs"), "inputs the game received");
            assertEquals(stats.framesSent.sum(), (long) after.counter("tickwave_frames_in"), "binary frames the server received");
            assertEquals(stats.bytesSent.sum(), (long) after.counter("tickwave_bytes_in"), "payload bytes the server received");
            assertTrue(report.closesByCode().isEmpty(), () -> "bots closed themselves, nothing else: " + report.closesByCode());
        }
    }

    @Test
    void shouldReportCloseCodeSeenByBot() throws Exception {
        // A server that allows 20 messages a second per client, and bots that send 30 inputs a second.
        try (TickwaveServer server = server(ServerSettings.defaults().withTickRate(30).withSnapshotRate(30)
                .withMaxMessagesPerSecond(20))) {
            SwarmSettings settings = SwarmSettings.defaults(url(server)).withInputRate(30);
            RunReport report = SwarmRun.run(settings, 5, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(3), out, false, "",
                    null, new SwarmStats());
            Map<String, Double> serverCloses = PrometheusText.parse(server.metricsText()).byLabel("tickwave_closes", "code");
            assertTrue(report.closesByCode().getOrDefault(4008, 0L) > 0, () -> "bots saw " + report.closesByCode() + "; server sent " + serverCloses);
            assertEquals(report.closesByCode().get(4008).doubleValue(), serverCloses.get("4008"), "bots report the closes the server sent");
            assertEquals(0, report.window().connectedAtEnd());
        }
    }

    @Test
    void shouldRecordRefusalOfV1JoinWhenRunWithProtocolVersion1AgainstV2Server() throws Exception {
        try (TickwaveServer server = server(ServerSettings.defaults().withTickRate(30).withSnapshotRate(30))) {
            SwarmSettings settings = SwarmSettings.defaults(url(server)).withProtocolVersion(1);
            RunReport report = SwarmRun.run(settings, 4, Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(1), out, false, "",
                    null, new SwarmStats());
            Map<String, Double> serverCloses = PrometheusText.parse(server.metricsText()).byLabel("tickwave_closes", "code");
            assertEquals(Map.of(4005, 4L), report.closesByCode(), "BAD_PROTOCOL_VERSION for every bot");
            assertEquals(4.0, serverCloses.get("4005"));
            assertEquals(0, report.welcomes());
        }
    }

    @Test
    void shouldSeeServerCloseTooSlowExactlyTheBotThatStopsReadingWhileTheOthersReadBigSnapshots() throws Exception {
        // 60 KB snapshots at 60 Hz fill the kernel buffers of a bot that stops reading within a
        // second; the server then waits its stall timeout (1 s here) and closes it with 4010. That
        // close frame sits behind the unread bytes, so the stalled bot learns of it when its next
        // input hits the closed socket and records 1006, as a stalled phone would. The readers keep
        // parsing 60 KB frames, each cut across several reads.
        try (TickwaveServer server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withTickRate(60).withSnapshotRate(60).withStallTimeoutMs(1_000), BulkyGame::new)) {
            SwarmSettings settings = SwarmSettings.defaults(url(server)).withSlow(0.25, Duration.ofMillis(300));
            SwarmStats stats = new SwarmStats();
            try (Swarm swarm = new Swarm(settings, stats)) {
                swarm.addBots(4, Duration.ZERO);
                for (int i = 0; i < 600 && stats.stalledClosesByCode().isEmpty(); i++) {
                    Thread.sleep(50);
                }
                long snapshotsBefore = stats.snapshotsReceived.sum();
                Thread.sleep(500);
                Map<String, Double> serverCloses = PrometheusText.parse(server.metricsText()).byLabel("tickwave_closes", "code");
                assertEquals(1.0, serverCloses.get("4010"), () -> "the server closed the stalled bot: " + serverCloses);
                assertEquals(Map.of(Bot.ABNORMAL_CLOSURE, 1L), stats.stalledClosesByCode(), "the stalled bot saw its connection end");
                assertTrue(stats.closesByCode().isEmpty(), () -> "readers were not closed: " + stats.closesByCode());
                assertEquals(3, stats.connected.get(), "the readers stay");
                assertTrue(stats.snapshotsReceived.sum() > snapshotsBefore + 30, "the readers still receive");
                assertEquals(0, stats.totalErrors(), () -> stats.errorsByKind() + " " + stats.firstErrorMessages());
            }
        }
    }

    @Test
    void shouldWriteJsonReportChartAndPercentileFilesFromTheCommandLine() throws Exception {
        try (TickwaveServer server = server(ServerSettings.defaults().withTickRate(30).withSnapshotRate(30))) {
            Path json = dir.resolve("run.json");
            int exit = BotsMain.commandLine(out).execute("--url", url(server).toString(), "--bots", "10", "--ramp", "200ms",
                    "--warmup", "1s", "--duration", "2s", "--behaviour", "chase", "--json", json.toString(),
                    "--hgrm", dir.resolve("hgrm").toString(), "--server-metrics", "http://127.0.0.1:" + server.port() + "/metrics",
                    "--label", "cli", "--append-md", dir.resolve("results.md").toString(), "--append-jsonl", dir.resolve("results.jsonl").toString());
            assertEquals(0, exit, log::toString);
            JsonNode root = RunReport.JSON.readTree(json.toFile());
            assertEquals(10, root.get("connected").asInt(), log::toString);
            assertEquals(0, root.get("errors").asInt(), root::toPrettyString);
            for (String name : List.of("input_to_snapshot_ms", "rtt_ms")) {
                for (String p : List.of("p50", "p90", "p99", "p999", "max")) {
                    assertTrue(root.get(name).has(p), name + "." + p);
                }
                assertTrue(root.get(name).get("count").asLong() > 0, name + " recorded nothing");
            }
            assertTrue(root.get("recv_kbps_per_bot").asDouble() > 0);
            assertEquals(10, root.get("server").get("players").asInt(), root::toPrettyString);
            assertTrue(Files.size(dir.resolve("run.png")) > 1000, "chart written");
            assertTrue(Files.readString(dir.resolve("hgrm/input_to_snapshot.hgrm")).contains("Total count"));
            assertEquals(3, Files.readAllLines(dir.resolve("results.md")).size(), "header, separator, one row");
            assertEquals(1, Files.readAllLines(dir.resolve("results.jsonl")).size());
        }
    }

    @Test
    void shouldVerifyEveryReplicatedSnapshotWithoutAMismatchAndReportTheStateFigures() throws Exception {
        // A hash every 3 snapshots at 30 Hz: about 10 checks per bot per second.
        try (TickwaveServer server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withTickRate(30).withSnapshotRate(30).withStateHashEvery(3), ReplicatedWalkerGame::new)) {
            Path json = dir.resolve("verify.json");
            int exit = BotsMain.commandLine(out).execute("--url", url(server).toString(), "--bots", "8", "--ramp", "200ms",
                    "--warmup", "500ms", "--duration", "2s", "--verify", "--json", json.toString(), "--quiet");
            assertEquals(0, exit, log::toString);
            JsonNode root = RunReport.JSON.readTree(json.toFile());
            assertEquals(0, root.get("errors").asInt(), root::toPrettyString);
            JsonNode state = root.get("state");
            assertEquals(8, state.get("decoding_bots").asInt(), "--verify: every bot decodes");
            assertTrue(state.get("hashes_checked").asLong() >= 8, state::toPrettyString);
            assertEquals(0, state.get("hash_mismatches").asLong(), state::toPrettyString);
            assertEquals(0, state.get("decode_failures").asLong(), state::toPrettyString);
            assertTrue(state.get("updated_per_snapshot").asDouble() > 0, "the wandering walkers move: " + state.toPrettyString());
            assertTrue(state.get("bytes_per_updated_entity").asDouble() > 0, state::toPrettyString);
            assertTrue(state.get("state_bytes_per_snapshot").asDouble() > 0, state::toPrettyString);
            assertTrue(log.toString().contains("state (8 bots decoding, --verify)"), log::toString);
        }
    }

    @Test
    void shouldDecodeOnlyTheSampledBotsWithoutVerify() throws Exception {
        try (TickwaveServer server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withTickRate(30).withSnapshotRate(30).withStateHashEvery(3), ReplicatedWalkerGame::new)) {
            SwarmSettings settings = SwarmSettings.defaults(url(server)).withStateDecoding(new StateDecoding(false, 4));
            SwarmStats stats = new SwarmStats();
            RunReport report = SwarmRun.run(settings, 8, Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1),
                    out, false, "", null, stats);
            assertEquals(0, report.errors(), () -> report.errorsByKind() + " " + report.firstErrors());
            assertEquals(2, stats.state.decodingBots.get(), "bots 0 and 4 of 8");
            assertTrue(stats.state.hashesChecked.sum() > 0, "the sampled bots check the hashes too");
            assertTrue(stats.state.snapshots.sum() <= stats.snapshotsReceived.sum() / 3,
                    () -> "a quarter of the bots decode: " + stats.state.snapshots.sum() + " of " + stats.snapshotsReceived.sum());
        }
    }

    /** The server applies inputs on its loop thread a moment after they arrive: wait until it caught up. */
    private static PrometheusText eventually(TickwaveServer server, ToDoubleFunction<PrometheusText> value, long expected)
            throws InterruptedException {
        PrometheusText p = PrometheusText.parse(server.metricsText());
        for (int i = 0; i < 100 && value.applyAsDouble(p) < expected; i++) {
            Thread.sleep(20);
            p = PrometheusText.parse(server.metricsText());
        }
        return p;
    }
}
