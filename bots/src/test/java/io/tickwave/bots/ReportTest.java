package io.tickwave.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Percentiles, JSON, table, .hgrm files and charts from known recorded values. */
class ReportTest {

    @TempDir
    Path dir;

    @Test
    void shouldComputePercentilesFromKnownRecordedValues() {
        Histogram us = new Histogram(3);
        for (int ms = 1; ms <= 1000; ms++) {
            us.recordValue(ms * 1000L);
        }
        LatencySummary l = LatencySummary.of(us);
        assertEquals(1000, l.count());
        // HdrHistogram with 3 significant digits: within 0.1 % of the exact order statistic.
        assertEquals(500, l.p50(), 0.5);
        assertEquals(900, l.p90(), 0.9);
        assertEquals(990, l.p99(), 1.0);
        assertEquals(999, l.p999(), 1.0);
        assertEquals(1000, l.max(), 1.0);
        assertEquals(500.5, l.mean(), 0.5);
    }

    @Test
    void shouldReportZerosForAnEmptyHistogram() {
        LatencySummary l = LatencySummary.of(new Histogram(3));
        assertEquals(0, l.count());
        assertEquals(0, l.p99());
    }

    @Test
    void shouldWriteJsonReportWithRequiredFields() throws Exception {
        RunReport report = report();
        Path json = dir.resolve("out/report.json");
        report.writeJson(json);
        JsonNode root = RunReport.JSON.readTree(json.toFile());
        assertEquals(10, root.get("connected").asInt());
        assertEquals(2, root.get("errors").asLong());
        for (String name : List.of("input_to_snapshot_ms", "rtt_ms")) {
            JsonNode n = root.get(name);
            for (String p : List.of("p50", "p90", "p99", "p999", "max")) {
                assertTrue(n.has(p), name + "." + p);
            }
        }
        assertEquals(45.0, root.get("input_to_snapshot_ms").get("p50").asDouble(), 0.05);
        assertEquals(2.0, root.get("rtt_ms").get("max").asDouble(), 0.01);
        // 30 s, 10 bots, 3,750,000 bytes: 100 kbit/s each
        assertEquals(100.0, root.get("recv_kbps_per_bot").asDouble(), 0.01);
        assertEquals(3, root.get("closes_by_code").get("4008").asLong());
        assertFalse(root.get("bot_process").get("bottleneck").asBoolean());
    }

    @Test
    void shouldPrintReadableTableAndWriteHgrmFiles() throws Exception {
        RunReport report = report();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("input -> snapshot (from due time)"), table);
        assertTrue(table.contains("4008=3"), table);
        report.writeHgrm(dir.resolve("hgrm"));
        String hgrm = Files.readString(dir.resolve("hgrm/input_to_snapshot.hgrm"));
        assertTrue(hgrm.contains("Total count") && hgrm.contains("1000]"), hgrm);
    }

    @Test
    void shouldDrawPercentileAndCapacityCharts() throws Exception {
        Path png = dir.resolve("run.png");
        report().writeChart(png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1100, image.getWidth());
        Path cap = dir.resolve("capacity.png");
        Charts.capacity(cap, "capacity", List.of(new Charts.CapacityPoint(50, 20, 30, 35, true),
                new Charts.CapacityPoint(100, 22, 45, 60, true), new Charts.CapacityPoint(150, 40, 80, 120, false)), 50, 100);
        assertEquals(640, ImageIO.read(cap.toFile()).getHeight());
        String keep = System.getProperty("tickwave.bots.keepCharts");
        if (keep != null) { // to look at them: -Dtickwave.bots.keepCharts=/tmp
            Files.copy(png, Path.of(keep, "run.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(cap, Path.of(keep, "capacity.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Two decoding bots, three snapshots: 100 bytes creating 10 entities (10 B each), then 60 bytes
     * updating 20 and removing 1 (3 B each), then 4 bytes that sent nothing (not in the average).
     */
    private static StateStats.Totals state() {
        StateStats s = new StateStats(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        s.decodingBots.set(2);
        StateStats.Totals before = s.totals();
        s.recordSnapshot(100, 10, 0, 0);
        s.recordSnapshot(60, 0, 20, 1);
        s.recordSnapshot(4, 0, 0, 0);
        s.hashesChecked.add(3);
        return s.totals().minus(before);
    }

    @Test
    void shouldReportStateFiguresPerSnapshotAndPerUpdatedEntity() throws Exception {
        RunReport report = report();
        JsonNode state = report.toJson().get("state");
        assertEquals(2, state.get("decoding_bots").asInt());
        assertEquals(3, state.get("snapshots").asLong());
        assertEquals(164 / 3.0, state.get("state_bytes_per_snapshot").asDouble(), 0.01);
        assertEquals(10 / 3.0, state.get("created_per_snapshot").asDouble(), 0.01);
        assertEquals(20 / 3.0, state.get("updated_per_snapshot").asDouble(), 0.01);
        assertEquals(1 / 3.0, state.get("removed_per_snapshot").asDouble(), 0.01);
        assertEquals(6.5, state.get("bytes_per_updated_entity").asDouble(), 0.001, "(10 + 3) / 2: the empty snapshot is left out");
        assertEquals(3, state.get("hashes_checked").asLong());
        assertEquals(0, state.get("hash_mismatches").asLong());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("state (2 bots decoding, one in 50): 54.7 bytes per snapshot"), table);
        assertTrue(table.contains("6.50 bytes per updated entity"), table);
        String row = report.markdownRow();
        assertTrue(row.endsWith("| 55 | 6.50 |\n"), row);
        assertEquals(RunReport.MD_HEADER.lines().findFirst().orElseThrow().split("\\|").length, row.trim().split("\\|").length,
                "as many columns as the header");
    }

    private static RunReport report() {
        Histogram input = new Histogram(3);
        Histogram raw = new Histogram(3);
        Histogram rtt = new Histogram(3);
        for (int i = 0; i < 1000; i++) {
            input.recordValue(40_000 + i * 10L); // 40 .. 50 ms
            raw.recordValue(39_000 + i * 10L);
            rtt.recordValue(1000 + i);           // 1 .. 2 ms
        }
        WindowResult w = new WindowResult(30, 10, 10, 0, input, raw, rtt, new Histogram(3), new Histogram(3), new Histogram(3),
                6000, 5990, 9000, 300, 0, 9000, 300, 9400, 3_750_000, 15300, 200_000, 20, 2, state());
        SwarmSettings settings = SwarmSettings.defaults(URI.create("ws://127.0.0.1:1/ws"));
        return new RunReport(Instant.parse("2026-11-27T12:00:00Z"), settings, 10, Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(30), w, 10, 0, 10, java.util.Map.of(4008, 3L), java.util.Map.of(),
                java.util.Map.of("server:STALE_INPUT", 2L), java.util.Map.of(), 2, 0, "unit", null, RunReport.Reconnects.NONE);
    }
}
