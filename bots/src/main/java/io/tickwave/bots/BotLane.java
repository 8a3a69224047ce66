package io.tickwave.bots;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * The bots whose connections live on one XNIO IO thread, the 1 ms timer that sends their scheduled
 * messages, and the scratch buffers their receive path reuses.
 *
 * <p><b>Threading.</b> Owned by {@link #ioThread}: every method except {@link #start} and
 * {@link #closeAllLater} must be called on it. One lane per IO thread means a bot's sends and
 * receives never race, and no lock is needed anywhere on the hot path.
 */
final class BotLane {

    private static final long TIMER_PERIOD_MS = 1;

    final XnioIoThread ioThread;
    private final ArrayList<Bot> bots = new ArrayList<>();
    private byte[] scratch = new byte[64 * 1024];
    private int copiedLength;
    private final FrameHandler handler = new FrameHandler();
    private XnioExecutor.Key timer;

    /** Shared by the lane's bots; the context is the bot that sent. */
    final WebSocketCallback<Bot> sendCallback = new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel channel, Bot bot) {
        }

        @Override
        public void onError(WebSocketChannel channel, Bot bot, Throwable error) {
            bot.onSendError(error);
        }
    };

    BotLane(XnioIoThread ioThread) {
        this.ioThread = ioThread;
    }

    /** Any thread: start the lane's timer on its IO thread. */
    void start() {
        timer = ioThread.executeAtInterval(this::onTimer, TIMER_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    void stopTimer() {
        if (timer != null) {
            timer.remove();
        }
    }

    void add(Bot bot, WebSocketChannel channel) {
        bots.add(bot);
        bot.attach(this, channel);
    }

    /** Any thread: asks every bot of the lane to close, on the lane's thread. */
    void closeAllLater() {
        ioThread.execute(() -> {
            for (Bot bot : bots) {
                bot.closeByUs();
            }
        });
    }

    private void onTimer() {
        long nowNs = System.nanoTime();
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

    /** Copies a received message into the lane's scratch array (grown when needed) and returns it. */
    byte[] copy(ByteBuffer[] buffers) {
        int total = 0;
        for (ByteBuffer b : buffers) {
            total += b.remaining();
        }
        if (total > scratch.length) {
            scratch = new byte[Math.max(total, scratch.length * 2)];
        }
        int at = 0;
        for (ByteBuffer b : buffers) {
            int n = b.remaining();
            b.get(scratch, at, n);
            at += n;
        }
        copiedLength = total;
        return scratch;
    }

    /** Length of the last {@link #copy}. */
    int copiedLength() {
        return copiedLength;
    }

    ServerFrameReader.Handler handlerFor(Bot bot, long nowNs) {
        handler.bot = bot;
        handler.nowNs = nowNs;
        return handler;
    }

    /** Routes decoded fields to the bot being read; reused for every frame of the lane. */
    private static final class FrameHandler implements ServerFrameReader.Handler {
        Bot bot;
        long nowNs;

        @Override
        public void welcome(int playerId, int roomId, int tickRate, int snapshotRate, long tick, byte[] buf, int gameInfoOffset, int gameInfoLength) {
            bot.onWelcome(nowNs, playerId, snapshotRate, buf, gameInfoOffset, gameInfoLength);
        }

        @Override
        public void snapshot(long tick, int ackInputSeq, byte[] buf, int stateOffset, int stateLength) {
            bot.onSnapshot(nowNs, tick, ackInputSeq, buf, stateOffset, stateLength);
        }

        @Override
        public void pong(long clientTime) {
            bot.onPong(nowNs, clientTime);
        }

        @Override
        public void error(int code, String message) {
            bot.onServerError(code, message);
        }

        @Override
        public void other(int member) {
        }
    }
}
