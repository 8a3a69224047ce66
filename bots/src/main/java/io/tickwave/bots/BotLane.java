package io.tickwave.bots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * One selector thread and the bots whose connections it carries: it connects them, reads and parses
 * their frames, and every millisecond runs their timers and flushes what they have due.
 *
 * <p><b>Threading.</b> Owned by its thread, {@code tickwave-bots-N}. Other threads only call
 * {@link #add}, {@link #closeAllLater} and {@link #stop}, which hand work over through a queue and
 * wake the selector. A bot's sends and receives therefore never race, and nothing on the hot path is
 * locked. The scratch buffers ({@link #input}, {@link #output}) are shared by the lane's bots, one
 * at a time: a bot fills the output buffer and flushes it before the lane moves to the next bot.
 */
final class BotLane implements Runnable {

    private static final long TIMER_PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ArrayList<Bot> bots = new ArrayList<>();
    private final SplittableRandom random;
    /** Reads land here; heap, so that frames can be parsed in place from its array. */
    private final ByteBuffer input = ByteBuffer.allocate(64 * 1024);
    /** Frames are encoded here, direct so that the write is a single copy into the kernel. */
    private final ByteBuffer output = ByteBuffer.allocateDirect(64 * 1024);
    private volatile boolean running = true;

    BotLane(int number, long seed) throws IOException {
        this.selector = Selector.open();
        this.random = new SplittableRandom(seed * 31 + number);
        this.thread = new Thread(this, "tickwave-bots-" + number);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    SplittableRandom random() {
        return random;
    }

    ByteBuffer input() {
        return input;
    }

    ByteBuffer output() {
        return output;
    }

    /** Any thread: the bot joins this lane and connects from its thread. */
    void add(Bot bot, boolean closing) {
        execute(() -> {
            bots.add(bot);
            bot.start(this);
            if (closing) {
                bot.closeByUs();
            }
        });
    }

    /** Any thread: asks every bot of the lane to close (code 1000), on the lane's thread. */
    void closeAllLater() {
        execute(() -> {
            for (Bot bot : bots) {
                bot.closeByUs();
            }
        });
    }

    /** Any thread: ends the thread and closes whatever sockets are left; waits up to {@code waitMs}. */
    void stop(long waitMs) {
        running = false;
        selector.wakeup();
        try {
            thread.join(waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    @Override
    public void run() {
        long nextTimerNs = System.nanoTime() + TIMER_PERIOD_NS;
        try {
            while (running) {
                long waitNs = nextTimerNs - System.nanoTime();
                if (waitNs > 0) {
                    // select's timeout is in whole milliseconds: wait at most one period.
                    selector.select(this::onReady, Math.max(1, waitNs / 1_000_000));
                } else {
                    selector.selectNow(this::onReady);
                }
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                    task.run();
                }
                long nowNs = System.nanoTime();
                if (nowNs - nextTimerNs >= 0) {
                    onTimer(nowNs);
                    nextTimerNs += TIMER_PERIOD_NS;
                    if (nowNs - nextTimerNs >= 0) { // more than a period behind: no catch-up burst
                        nextTimerNs = nowNs + TIMER_PERIOD_NS;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("selector of " + thread.getName(), e);
        } finally {
            for (Bot bot : bots) {
                bot.abandon();
            }
            try {
                selector.close();
            } catch (IOException e) {
                // The lane is gone either way.
            }
        }
    }

    private void onReady(SelectionKey key) {
        ((BotConnection) key.attachment()).onReady(key);
    }

    private void onTimer(long nowNs) {
        for (int i = 0; i < bots.size(); i++) {
            Bot bot = bots.get(i);
            if (bot.isClosed()) {
                // Swap-remove: order does not matter, and this keeps the loop O(n).
                Bot last = bots.remove(bots.size() - 1);
                if (i < bots.size()) {
                    bots.set(i, last);
                }
                i--;
                continue;
            }
            bot.onTimer(nowNs);
        }
    }
}
