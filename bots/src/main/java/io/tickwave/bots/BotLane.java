package io.tickwave.bots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * One selector thread and the bots whose connections it carries: it connects them, reads and parses
 * their frames, and every millisecond runs their timers and flushes what they have due.
 *
 * <p><b>Threading.</b> Owned by its thread, {@code tickwave-bots-N}. Other threads only call
 * {@link #add}, {@link #execute}, {@link #closeAllLater} and {@link #stop}, which hand work over through a queue and
 * wake the selector. A bot's sends and receives therefore never race, and nothing on the hot path is
 * locked. The scratch buffers ({@link #input}, {@link #output}) are shared by the lane's bots, one
 * at a time: a bot fills the output buffer and flushes it before the lane moves to the next bot.
 */
final class BotLane implements Runnable {

    private static final long TIMER_PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Ready connections handled between two looks at the clock. A snapshot tick makes every bot's
     * connection readable at once; handling hundreds of them in one go would hold the timers back by
     * milliseconds (send lag the latency figures then include), so the timer gets its turn in between.
     */
    private static final int READY_KEYS_PER_TIMER_CHECK = 16;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** The lane's bots, in slots 0..count-1; {@link #wakeNs} holds each one's next timer time. */
    private Bot[] bots = new Bot[64];
    /**
     * When each bot's timer next has something to do (System.nanoTime). Scanned every millisecond:
     * a flat array of longs stays in the cache where touching two thousand bot objects would not.
     */
    private long[] wakeNs = new long[64];
    private int count;
    private final SplittableRandom random;
    /** Reads land here; heap, so that frames can be parsed in place from its array. */
    private final ByteBuffer input = ByteBuffer.allocate(64 * 1024);
    /** Frames are encoded here, direct so that the write is a single copy into the kernel. */
    private final ByteBuffer output = ByteBuffer.allocateDirect(64 * 1024);
    private volatile boolean running = true;
    /** When the timer runs next; lane thread. */
    private long nextTimerNs;
    private int readySinceTimerCheck;

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
            if (count == bots.length) {
                bots = Arrays.copyOf(bots, count * 2);
                wakeNs = Arrays.copyOf(wakeNs, count * 2);
            }
            bots[count] = bot;
            wakeNs[count] = System.nanoTime();
            bot.placeAt(count++);
            bot.start(this);
            if (closing) {
                bot.closeByUs();
            }
        });
    }

    /** Any thread: asks every bot of the lane to close (code 1000), on the lane's thread. */
    void closeAllLater() {
        execute(() -> {
            for (int i = 0; i < count; i++) {
                bots[i].closeByUs();
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

    /** Any thread: runs {@code task} on this lane's thread (a matchmaker's answer, a bot to add). */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    @Override
    public void run() {
        nextTimerNs = System.nanoTime() + TIMER_PERIOD_NS;
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
                runTimerIfDue();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("selector of " + thread.getName(), e);
        } finally {
            for (int i = 0; i < count; i++) {
                bots[i].abandon();
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
        if (++readySinceTimerCheck == READY_KEYS_PER_TIMER_CHECK) {
            runTimerIfDue();
        }
    }

    /** Runs the bots' timers when their period is up; between ready keys too (see above). */
    private void runTimerIfDue() {
        readySinceTimerCheck = 0;
        long nowNs = System.nanoTime();
        if (nowNs - nextTimerNs >= 0) {
            onTimer(nowNs);
            nextTimerNs += TIMER_PERIOD_NS;
            if (nowNs - nextTimerNs >= 0) { // more than a period behind: no catch-up burst
                nextTimerNs = nowNs + TIMER_PERIOD_NS;
            }
        }
    }

    /** Lane thread: the bot in {@code slot} has something to do at the next timer run. */
    void wakeSoon(int slot) {
        wakeNs[slot] = System.nanoTime(); // not after the next run's "now"
    }

    private void onTimer(long nowNs) {
        for (int i = 0; i < count; i++) {
            if (nowNs - wakeNs[i] < 0) {
                continue; // nothing due: the bot object is not even touched
            }
            Bot bot = bots[i];
            if (bot.isClosed()) {
                // Swap-remove: order does not matter, and this keeps the loop O(n).
                int last = --count;
                bots[i] = bots[last];
                wakeNs[i] = wakeNs[last];
                bots[i].placeAt(i);
                bots[last] = null;
                i--;
                continue;
            }
            wakeNs[i] = bot.onTimer(nowNs);
        }
    }
}
