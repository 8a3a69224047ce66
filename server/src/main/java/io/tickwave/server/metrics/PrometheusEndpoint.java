package io.tickwave.server.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.tickwave.server.net.ConnectionRefusal;
import org.HdrHistogram.Histogram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * Exposes {@link ServerMetrics} in the Prometheus text format through the Prometheus Java client.
 * Values are read at scrape time through callbacks, so the hot paths only touch plain counters.
 *
 * <p>Threads: {@link #scrape()} may be called from any thread. A daemon sampler thread rotates the
 * windows of the tick and client-view-lag histograms every five seconds.
 */
public final class PrometheusEndpoint implements AutoCloseable {

    private static final double NANOS_PER_SECOND = 1e9;
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};
    /** Quantiles cover the last WINDOW_BUCKETS × BUCKET_SECONDS seconds (30 s), give or take a bucket. */
    private static final int WINDOW_BUCKETS = 6;
    private static final long BUCKET_SECONDS = 5;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final WindowedHistogram tickDuration;
    private final WindowedHistogram tickLateness;
    private final WindowedHistogram clientViewLag;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tickwave-metrics-sampler");
        thread.setDaemon(true);
        return thread;
    });

    public PrometheusEndpoint(ServerMetrics metrics) {
        tickDuration = new WindowedHistogram(metrics.tickDurationNs, WINDOW_BUCKETS);
        tickLateness = new WindowedHistogram(metrics.tickLatenessNs, WINDOW_BUCKETS);
        clientViewLag = new WindowedHistogram(metrics.clientViewLagTicks, WINDOW_BUCKETS);
        sampler.scheduleAtFixedRate(() -> {
            tickDuration.rotate();
            tickLateness.rotate();
            clientViewLag.rotate();
        }, BUCKET_SECONDS, BUCKET_SECONDS, TimeUnit.SECONDS);

        counter("tickwave_connections_opened", "WebSocket connections accepted", metrics.connectionsOpened);
        counter("tickwave_frames_in", "Binary messages received (whole, after reassembly)", metrics.framesIn);
        counter("tickwave_websocket_frames_in", "WebSocket frames received: data, continuations, pings, pongs, closes",
                metrics.webSocketFramesIn);
        counter("tickwave_bytes_in", "Bytes of binary frames received", metrics.bytesIn);
        counter("tickwave_frames_out", "Frames handed to the network", metrics.framesOut);
        counter("tickwave_bytes_out", "Bytes of frames handed to the network", metrics.bytesOut);
        counter("tickwave_decode_errors", "Frames that were not a decodable ClientMessage (incl. text frames)",
                metrics.decodeErrors);
        counter("tickwave_protocol_errors", "Decodable messages refused (before join, bad seq, too long...)",
                metrics.protocolErrors);
        counter("tickwave_ring_full_drops", "Events dropped because the event ring was full", metrics.ringFullDrops);
        counter("tickwave_rate_limited", "Messages, frames and chat lines over a client's rate limits",
                metrics.rateLimited);
        counter("tickwave_leaves_deferred", "Leaves the full ring could not take, handed to the loop beside it",
                metrics.leavesDeferred);
        counter("tickwave_drain_errors", "Connection drains that threw; each such client was closed with 1011",
                metrics.drainErrors);
        counter("tickwave_ticks", "Simulation ticks run", metrics.ticks);
        counter("tickwave_tick_overruns", "Tick deadlines missed by more than one tick interval", metrics.tickOverruns);
        counter("tickwave_snapshots_sent", "Snapshot frames encoded for clients", metrics.snapshotsSent);
        counter("tickwave_stale_snapshots_dropped", "Unsent snapshots replaced by a newer one (slow clients)",
                metrics.staleSnapshotsDropped);
        counter("tickwave_inputs", "Inputs delivered to games", metrics.inputsApplied);
        counter("tickwave_joins", "Players joined", metrics.joins);
        counter("tickwave_leaves", "Players left", metrics.leaves);
        counter("tickwave_chat_lines", "Chat lines broadcast", metrics.chatLines);
        CounterWithCallback.builder()
                .name("tickwave_reconnects")
                .help("Joins with a reconnect token, by outcome: resumed (the seat taken back) or refused"
                        + " (RECONNECT_REFUSED)")
                .labelNames("outcome")
                .callback(callback -> {
                    callback.call(metrics.reconnectsResumed.get(), "resumed");
                    callback.call(metrics.reconnectsRefused.get(), "refused");
                })
                .register(registry);
        gauge("tickwave_seats_waiting", "Dropped players whose seat waits for a reconnect (in the grace period)",
                metrics.seatsWaiting::get);
        counter("tickwave_seats_expired", "Dropped seats whose reconnect grace ran out: each a leave",
                metrics.seatsExpired);
        counter("tickwave_game_errors", "Exceptions thrown by game code", metrics.gameErrors);
        counter("tickwave_loop_errors", "Ring events the game loop failed to handle (server bugs)", metrics.loopErrors);
        CounterWithCallback.builder()
                .name("tickwave_replication_entities_sent")
                .help("Entities in replicated snapshots, by kind: created (sent whole), updated (changed fields), removed")
                .labelNames("kind")
                .callback(callback -> {
                    callback.call(metrics.replicationEntitiesCreated.get(), "created");
                    callback.call(metrics.replicationEntitiesUpdated.get(), "updated");
                    callback.call(metrics.replicationEntitiesRemoved.get(), "removed");
                })
                .register(registry);
        counter("tickwave_replication_entities_skipped", "Entity creations and updates deferred because a viewer's"
                + " byte budget was spent", metrics.replicationEntitiesSkipped);
        counter("tickwave_replication_encodings_shared", "Viewers sent an encoding made for another viewer of the same"
                + " snapshot", metrics.replicationEncodingsShared);
        counter("tickwave_replication_state_bytes", "Bytes of replicated state handed to viewers",
                metrics.replicationStateBytes);
        gauge("tickwave_players", "Players in rooms", metrics.players::get);
        gauge("tickwave_connections_open", "WebSocket connections open (handshakes under way included)",
                metrics.connectionsOpen::get);
        CounterWithCallback.builder()
                .name("tickwave_connections_refused")
                .help("WebSocket upgrades refused before the handshake, by reason (global cap, per-address cap, origin)")
                .labelNames("reason")
                .callback(callback -> {
                    for (ConnectionRefusal reason : ConnectionRefusal.values()) {
                        callback.call(metrics.connectionRefused(reason).sum(), reason.label());
                    }
                })
                .register(registry);
        gauge("tickwave_rooms", "Rooms open", metrics.rooms::get);
        gauge("tickwave_tick", "The game loop's tick counter", metrics.currentTick::get);
        CounterWithCallback.builder()
                .name("tickwave_closes")
                .help("Connections closed by the server, by WebSocket close code")
                .labelNames("code")
                .callback(callback -> metrics.closesByCode()
                        .forEach((code, count) -> callback.call(count, String.valueOf(code))))
                .register(registry);
        summary("tickwave_tick_duration_seconds",
                "Time to run one tick, snapshots included (quantiles over the last 30 s)", tickDuration, NANOS_PER_SECOND);
        summary("tickwave_tick_lateness_seconds",
                "How late a tick started after its deadline (quantiles over the last 30 s)", tickLateness, NANOS_PER_SECOND);
        summary("tickwave_client_view_lag_ticks",
                "Per input: the room's tick minus the newest snapshot tick the client reported having"
                        + " (quantiles over the last 30 s)", clientViewLag, 1);
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

    /** A summary of a windowed histogram; recorded values are divided by {@code unit} (1e9: ns to seconds). */
    private void summary(String name, String help, WindowedHistogram histogram, double unit) {
        SummaryWithCallback.builder().name(name).help(help)
                .callback(callback -> {
                    WindowedHistogram.Snapshot snapshot = histogram.snapshot();
                    Histogram window = snapshot.window();
                    Quantile[] quantiles = new Quantile[QUANTILES.length];
                    for (int i = 0; i < QUANTILES.length; i++) {
                        quantiles[i] = new Quantile(QUANTILES[i],
                                window.getValueAtPercentile(QUANTILES[i] * 100) / unit);
                    }
                    callback.call(snapshot.totalCount(), snapshot.totalSum() / unit,
                            Quantiles.of(quantiles));
                })
                .register(registry);
    }

    /** Stops the sampler thread. */
    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
