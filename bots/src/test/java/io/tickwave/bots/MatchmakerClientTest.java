package io.tickwave.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Join;

/** The bots' matchmaking pieces that need no cluster: the request's address, the answer, the join, the report. */
class MatchmakerClientTest {

    @Test
    void shouldPostToTheMatchmakePathOfANodesAddress() {
        assertEquals(URI.create("http://127.0.0.1:8080/matchmake"), MatchmakerClient.endpointOf(URI.create("http://127.0.0.1:8080")));
        assertEquals(URI.create("http://127.0.0.1:8080/matchmake"), MatchmakerClient.endpointOf(URI.create("http://127.0.0.1:8080/")));
        assertEquals(URI.create("https://mm.example.com/api/mm"), MatchmakerClient.endpointOf(URI.create("https://mm.example.com/api/mm")));
        assertThrows(IllegalArgumentException.class, () -> MatchmakerClient.endpointOf(URI.create("ws://127.0.0.1:8080/ws")));
    }

    @Test
    void shouldReadASeatOrSayWhyThereIsNone() {
        MatchmakerClient.Answer seat = MatchmakerClient.answerOf(200, "{\"url\":\"ws://127.0.0.1:9001/ws\",\"seatToken\":\"v1.a.b\","
                + "\"roomId\":17,\"nodeId\":\"game-2\",\"expiresInMs\":5000}");
        assertEquals(new MatchmakerClient.Seat(URI.create("ws://127.0.0.1:9001/ws"), "v1.a.b", 17, "game-2"), seat.seat());
        assertNull(seat.problem());

        MatchmakerClient.Answer down = MatchmakerClient.answerOf(503, "{\"error\":\"matchmaking unavailable: the cluster's Redis cannot be reached\"}");
        assertNull(down.seat());
        assertTrue(down.problem().contains("503") && down.problem().contains("Redis cannot be reached"), down.problem());

        MatchmakerClient.Answer tls = MatchmakerClient.answerOf(200, "{\"url\":\"wss://game-2.example.com/ws\",\"seatToken\":\"t\"}");
        assertNull(tls.seat(), "the bots speak plain ws:// only");
        assertTrue(tls.problem().contains("ws://"), tls.problem());

        assertNull(MatchmakerClient.answerOf(200, "<html>").seat());
        assertNull(MatchmakerClient.answerOf(200, "{\"url\":\"ws://h:1/ws\"}").seat(), "no seat token: no seat");
    }

    @Test
    void shouldJoinWithTheSeatTokenAndOmitWhatIsNotGiven() throws Exception {
        Join seated = ClientMessage.parseFrom(ClientFrames.join("bot-7", 2, null, "v1.seat.sig")).getJoin();
        assertEquals("bot-7", seated.getName());
        assertEquals("v1.seat.sig", seated.getSeatToken());
        assertTrue(seated.getReconnectToken().isEmpty());

        Join resuming = ClientMessage.parseFrom(ClientFrames.join("bot-7", 2, new byte[] {1, 2, 3}, null)).getJoin();
        assertEquals("", resuming.getSeatToken());
        assertEquals(3, resuming.getReconnectToken().size());
    }

    @Test
    void shouldRefuseAMatchmakerThatIsNotHttpAsUsageError() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine cl = BotsMain.commandLine(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        cl.setErr(new java.io.PrintWriter(bytes, true, StandardCharsets.UTF_8));
        int exit = cl.execute("--matchmake", "ws://127.0.0.1:1/ws");
        assertEquals(2, exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReportRematchCountsAndTimesInTextAndJson() {
        Histogram rematchUs = new Histogram(3);
        for (int i = 1; i <= 100; i++) {
            rematchUs.recordValue(i * 10_000L); // 10 .. 1000 ms
        }
        RunReport.Matchmade matchmade = new RunReport.Matchmade(130, 5, 2, 100, 100, 99, 0, LatencySummary.of(rematchUs));
        RunReport.Reconnects reconnects = new RunReport.Reconnects(100, 100, 0, 0, 40, 0, LatencySummary.of(rematchUs), matchmade);
        SwarmSettings settings = SwarmSettings.defaults(URI.create("ws://127.0.0.1:1/ws"))
                .withMatchmaker(URI.create("http://127.0.0.1:8080"), "arena");
        RunReport report = report(settings, reconnects);

        JsonNode mm = report.toJson().get("reconnects").get("matchmaker");
        assertEquals("http://127.0.0.1:8080", mm.get("url").asText());
        assertEquals(130, mm.get("requests").asLong());
        assertEquals(100, mm.get("rematched").asLong());
        assertEquals(99, mm.get("playing_again").asLong());
        assertEquals(100, mm.get("rematch_ms").get("count").asLong());
        assertEquals(500, mm.get("rematch_ms").get("p50").asDouble(), 1);
        assertEquals(1000, mm.get("rematch_ms").get("max").asDouble(), 1);

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        report.printTable(new PrintStream(text, true, StandardCharsets.UTF_8));
        String table = text.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("rematches: 100 started, 100 in a new seat, 99 playing again"), table);
        assertTrue(table.contains("rematch time, drop -> welcome in the new seat (ms): p50 50"), table);

        RunReport single = report(SwarmSettings.defaults(URI.create("ws://127.0.0.1:1/ws")), RunReport.Reconnects.NONE);
        assertFalse(single.toJson().get("reconnects").has("matchmaker"), "no matchmaker section without one");
    }

    private static RunReport report(SwarmSettings settings, RunReport.Reconnects reconnects) {
        WindowResult w = new WindowResult(30, 10, 10, 0, new Histogram(3), new Histogram(3), new Histogram(3), new Histogram(3),
                new Histogram(3), new Histogram(3), 6000, 5990, 9000, 300, 0, 9000, 300, 9400, 3_750_000, 15300, 200_000, 20, 2, StateStats.Totals.NONE);
        return new RunReport(Instant.parse("2026-12-01T23:00:00Z"), settings, 10, Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(30), w, 10, 0, 10, java.util.Map.of(), java.util.Map.of(), java.util.Map.of(),
                java.util.Map.of(), 0, 0, "unit", null, reconnects);
    }
}
