package io.tickwave.bots;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.undertow.server.DefaultByteBufferPool;
import io.undertow.websockets.client.WebSocketClient;
import io.undertow.websockets.core.WebSocketChannel;
import org.xnio.IoFuture;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/**
 * A swarm of bots against one server: an XNIO worker with a few IO threads (one {@link BotLane}
 * each) carrying every connection, non-blocking. No thread per bot.
 *
 * <p><b>Threading.</b> {@link #addBots} and {@link #close} are called by one controlling thread (the
 * CLI's main thread or a test); connections complete and bots run on the IO threads.
 */
final class Swarm implements AutoCloseable {

    private final SwarmSettings settings;
    private final SwarmStats stats;
    private final XnioWorker worker;
    private final DefaultByteBufferPool buffers;
    private final BotLane[] lanes;
    private final OptionMap connectionOptions = OptionMap.create(Options.TCP_NODELAY, true);
    /**
     * Bots that will stop reading get a small receive buffer, so that their stall reaches the server
     * in seconds rather than after megabytes of kernel buffering (what a phone on a bad link is like).
     */
    private final OptionMap slowConnectionOptions = OptionMap.builder()
            .set(Options.TCP_NODELAY, true).set(Options.RECEIVE_BUFFER, 16 * 1024).getMap();
    private volatile boolean closing;
    private int nextIndex;

    Swarm(SwarmSettings settings, SwarmStats stats) throws IOException {
        this.settings = settings;
        this.stats = stats;
        Xnio xnio = Xnio.getInstance(Swarm.class.getClassLoader());
        this.worker = xnio.createWorker(OptionMap.builder()
                .set(Options.WORKER_NAME, "tickwave-bots")
                .set(Options.WORKER_IO_THREADS, settings.ioThreads())
                .set(Options.WORKER_TASK_CORE_THREADS, 1)
                .set(Options.WORKER_TASK_MAX_THREADS, 2)
                .set(Options.TCP_NODELAY, true)
                .getMap());
        // Direct 16 KiB buffers (room for a large snapshot frame from the server), a per-thread cache, a bounded pool.
        this.buffers = new DefaultByteBufferPool(true, 16 * 1024, 4096, 64);
        this.lanes = new BotLane[worker.getIoThreadCount()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new BotLane(worker.getIoThread(i));
            lanes[i].start();
        }
    }

    SwarmStats stats() {
        return stats;
    }

    /** Bots started so far (connected or not). */
    int started() {
        return nextIndex;
    }

    /**
     * Starts {@code count} more bots, their connects spread evenly over {@code ramp}; returns when the
     * last connect has been issued (not completed).
     */
    void addBots(int count, Duration ramp) {
        long startNs = System.nanoTime();
        long spacingNs = count <= 1 ? 0 : ramp.toNanos() / count;
        for (int i = 0; i < count && !closing; i++) {
            long dueNs = startNs + i * spacingNs;
            long waitNs = dueNs - System.nanoTime();
            if (waitNs > 0) {
                LockSupport.parkNanos(waitNs);
            }
            connect(new Bot(nextIndex++, settings, stats));
        }
    }

    private void connect(Bot bot) {
        stats.connectAttempts.increment();
        IoFuture<WebSocketChannel> future = WebSocketClient.connectionBuilder(worker, buffers, settings.url())
                .setOptionMap(settings.isSlow(bot.index()) ? slowConnectionOptions : connectionOptions)
                .connect();
        future.addNotifier(new IoFuture.HandlingNotifier<WebSocketChannel, Bot>() {
            @Override
            public void handleDone(WebSocketChannel channel, Bot b) {
                BotLane lane = laneOf(channel.getIoThread());
                lane.ioThread.execute(() -> {
                    lane.add(b, channel);
                    if (closing) {
                        b.closeByUs();
                    }
                });
            }

            @Override
            public void handleFailed(IOException error, Bot b) {
                stats.connectFailures.increment();
                stats.recordError("connect", String.valueOf(error));
            }
        }, bot);
    }

    private BotLane laneOf(XnioIoThread thread) {
        for (BotLane lane : lanes) {
            if (lane.ioThread == thread) {
                return lane;
            }
        }
        throw new IllegalStateException("connection on an IO thread of another worker: " + thread);
    }

    /**
     * Closes every bot with code 1000, waits up to {@code grace} for the server's answers, then stops
     * the IO threads.
     */
    void close(Duration grace) {
        closing = true;
        for (BotLane lane : lanes) {
            lane.closeAllLater();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (stats.connected.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        // Stop the timers on their own threads before the threads go, or a timer re-arms on a dying thread.
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(lanes.length);
        for (BotLane lane : lanes) {
            lane.ioThread.execute(() -> {
                lane.stopTimer();
                stopped.countDown();
            });
        }
        try {
            stopped.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        buffers.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(3));
    }
}
