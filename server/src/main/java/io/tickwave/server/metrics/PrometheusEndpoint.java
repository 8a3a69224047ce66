package io.tickwave.server.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * Exposes {@link ServerMetrics} in the Prometheus text format through the Prometheus Java client.
 * Values are read at scrape time through callbacks, so the hot paths only touch plain counters.
 *
 * <p>Threads: {@link #scrape()} may be called from any thread; scrapes are serialized because the
 * cumulative histograms are folded from the recorders' intervals.
 */
public final class PrometheusEndpoint {

    private static final double NANOS_PER_SECOND = 1e9;
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final CumulativeHistogram tickDuration;
    private final CumulativeHistogram tickLateness;

    public PrometheusEndpoint(ServerMetrics metrics) {
        tickDuration = new CumulativeHistogram(metrics.tickDurationNs);
        tickLateness = new CumulativeHistogram(metrics.tickLatenessNs);

        counter("tickwave_connections_opened", "WebSocket connections accepted", metrics.connectionsOpened);
        counter("tickwave_frames_in", "Binary frames received", metrics.framesIn);
        counter("tickwave_bytes_in", "Bytes of binary frames received", metrics.bytesIn);
        counter("tickwave_frames_out", "Frames handed to the network", metrics.framesOut);
        counter("tickwave_bytes_out", "Bytes of frames handed to the network", metrics.bytesOut);
        counter("tickwave_decode_errors", "Frames that were not a decodable ClientMessage (incl. text frames)",
                metrics.decodeErrors);
        counter("tickwave_protocol_errors", "Decodable messages refused (before join, bad seq, too long...)",
                metrics.protocolErrors);
        counter("tickwave_ring_full_drops", "Events dropped because the event ring was full", metrics.ringFullDrops);
        counter("tickwave_rate_limited", "Messages over a client's rate limit", metrics.rateLimited);
        counter("tickwave_ticks", "Simulation ticks run", metrics.ticks);
        counter("tickwave_tick_overruns", "Tick deadlines missed by more than one tick interval", metrics.tickOverruns);
        counter("tickwave_snapshots_sent", "Snapshot frames encoded for clients", metrics.snapshotsSent);
        counter("tickwave_stale_snapshots_dropped", "Unsent snapshots replaced by a newer one (slow clients)",
                metrics.staleSnapshotsDropped);
        counter("tickwave_inputs", "Inputs delivered to games", metrics.inputsApplied);
        counter("tickwave_joins", "Players joined", metrics.joins);
        counter("tickwave_leaves", "Players left", metrics.leaves);
        counter("tickwave_chat_lines", "Chat lines broadcast", metrics.chatLines);
        counter("tickwave_game_errors", "Exceptions thrown by game code", metrics.gameErrors);
        gauge("tickwave_players", "Players in rooms", metrics.players::get);
        gauge("tickwave_rooms", "Rooms open", metrics.rooms::get);
        gauge("tickwave_tick", "The game loop's tick counter", metrics.currentTick::get);
        CounterWithCallback.builder()
                .name("tickwave_closes")
                .help("Connections closed by the server, by WebSocket close code")
                .labelNames("code")
                .callback(callback -> metrics.closesByCode()
                        .forEach((code, count) -> callback.call(count, String.valueOf(code))))
                .register(registry);
        summary("tickwave_tick_duration_seconds", "Time to run one tick, snapshots included", tickDuration);
        summary("tickwave_tick_lateness_seconds", "How late a tick started after its deadline", tickLateness);
    }

    /** The current metrics in the Prometheus text format. */
    public synchronized String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public String contentType() {
        return writer.getContentType();
    }

    private void counter(String name, String help, LongAdder value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.sum())).register(registry);
    }

    private void counter(String name, String help, AtomicLong value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.get())).register(registry);
    }

    private void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.getAsDouble())).register(registry);
    }

    private void summary(String name, String help, CumulativeHistogram histogram) {
        SummaryWithCallback.builder().name(name).help(help)
                .callback(callback -> {
                    Histogram snapshot = histogram.update();
                    Quantile[] quantiles = new Quantile[QUANTILES.length];
                    for (int i = 0; i < QUANTILES.length; i++) {
                        quantiles[i] = new Quantile(QUANTILES[i],
                                snapshot.getValueAtPercentile(QUANTILES[i] * 100) / NANOS_PER_SECOND);
                    }
                    long count = snapshot.getTotalCount();
                    callback.call(count, snapshot.getMean() * count / NANOS_PER_SECOND, Quantiles.of(quantiles));
                })
                .register(registry);
    }

    /** Folds a recorder's intervals into one histogram since start. Used under the scrape lock. */
    private static final class CumulativeHistogram {
        private final Recorder recorder;
        private final Histogram total;
        private Histogram interval;

        CumulativeHistogram(Recorder recorder) {
            this.recorder = recorder;
            this.total = recorder.getIntervalHistogram();
            this.total.reset();
        }

        Histogram update() {
            interval = recorder.getIntervalHistogram(interval);
            total.add(interval);
            return total;
        }
    }
}
