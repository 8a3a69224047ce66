package io.tickwave.bots;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;

/**
 * One simulated player: one WebSocket connection, its open-loop input schedule and its measurements.
 *
 * <p><b>Threading.</b> Created on the thread that starts the swarm; from {@link #attach} on, owned by
 * the XNIO IO thread of its connection, which runs its receive callbacks and (through its
 * {@link BotLane}'s 1 ms timer) its sends. No field is touched by any other thread afterwards, so
 * nothing here is synchronized.
 *
 * <p><b>Open loop.</b> Inputs fall due every {@code inputPeriodNs} on a fixed schedule, whatever
 * happened before, and each input's latency is counted from when it was <i>due</i>, not from when it
 * left. That is the coordinated-omission correction: a stall (the server's, the network's or the
 * bot's own) cannot make the bots wait politely and so hide itself.
 *
 * <p>A bot that finds several inputs overdue at once (its thread was starved) does not burst them
 * all, which would break the server's rate limit and get it closed: it sends one input standing for
 * all of them, due when the oldest was due, and when that input is answered it records one latency
 * per overdue input, each from its own due time (counted in {@code inputsCollapsed}). Acks are
 * coalesced the same way: the timer sends one ack for the newest snapshot read since the last tick.
 */
final class Bot {

    /** RFC 6455's code for a connection that ended without a close frame; never sent on the wire. */
    static final int ABNORMAL_CLOSURE = 1006;

    private final int index;
    private final SwarmSettings settings;
    private final SwarmStats stats;
    private final Pilot pilot;
    private final SplittableRandom random;
    private final boolean slow;

    private BotLane lane;
    private WebSocketChannel channel;

    private final long inputPeriodNs;
    /** Null when the bot sends no inputs. */
    private final InputSchedule inputs;
    private long nextPingDueNs;
    private long nextChatDueNs;
    private int chatLines;

    private long joinSentNs;
    private boolean joined;
    private boolean firstSnapshotSeen;
    private long lastSnapshotNs;
    private long newestSnapshotTick;
    private long stallAtNs;
    private boolean stalled;
    private boolean closingByUs;
    private boolean closeRecorded;
    private boolean closed;

    Bot(int index, SwarmSettings settings, SwarmStats stats) {
        this.index = index;
        this.settings = settings;
        this.stats = stats;
        this.random = new SplittableRandom(settings.seed() * 1_000_003L + index);
        this.pilot = new Pilot(settings.behaviour(), random.split());
        this.slow = settings.isSlow(index);
        this.inputPeriodNs = settings.inputRateHz() == 0 ? 0 : 1_000_000_000L / settings.inputRateHz();
        this.inputs = inputPeriodNs == 0 ? null : new InputSchedule(inputPeriodNs);
    }

    int index() {
        return index;
    }

    boolean isClosed() {
        return closed;
    }

    /** On the connection's IO thread: start listening, send the join. */
    void attach(BotLane lane, WebSocketChannel channel) {
        this.lane = lane;
        this.channel = channel;
        channel.getReceiveSetter().set(new Receiver());
        channel.getCloseSetter().set(c -> onChannelClosed());
        channel.resumeReceives();
        String name = settings.namePrefix() + "-" + index;
        joinSentNs = System.nanoTime();
        send(ClientFrames.join(name.length() > 24 ? name.substring(0, 24) : name));
    }

    /** The lane's timer, about every millisecond: send whatever is due. */
    void onTimer(long nowNs) {
        if (!joined || closed || closingByUs) {
            return;
        }
        if (stallAtNs != 0 && !stalled && nowNs - stallAtNs >= 0) {
            stalled = true;
            stats.stalled.incrementAndGet();
            channel.suspendReceives();
        }
        if (inputs != null) {
            int seq = inputs.next(nowNs);
            if (seq != 0) {
                sendInput(seq, nowNs);
            }
        }
        if (nextPingDueNs != 0 && nowNs - nextPingDueNs >= 0) {
            stats.pingsSent.increment();
            send(ClientFrames.ping(nowNs));
            nextPingDueNs += settings.pingInterval().toNanos();
            if (nowNs - nextPingDueNs >= 0) { // late by more than an interval: no burst of pings
                nextPingDueNs = nowNs + settings.pingInterval().toNanos();
            }
        }
        if (nextChatDueNs != 0 && nowNs - nextChatDueNs >= 0) {
            stats.chatsSent.increment();
            send(ClientFrames.chat(settings.namePrefix() + "-" + index + " says hello #" + (++chatLines)));
            nextChatDueNs = nowNs + 1_500_000_000L + random.nextLong(1_000_000_000L);
        }
    }

    private void sendInput(int seq, long nowNs) {
        pilot.beforeInput(nowNs);
        stats.inputsSent.increment();
        if (inputs.lastCovered() > 1) {
            stats.inputsCollapsed.add(inputs.lastCovered() - 1);
        }
        if (!stalled) {
            stats.sendLagUs.recordValue(inputs.lastLagNs() / 1000);
        }
        send(ClientFrames.arenaInput(seq, pilot.moveX, pilot.moveY, pilot.aim, pilot.fire));
    }

    /** On the IO thread: ask the server to close (code 1000); the bot stops sending. */
    void closeByUs() {
        if (closed || closingByUs) {
            return;
        }
        closingByUs = true;
        WebSockets.sendClose(CloseMessage.NORMAL_CLOSURE, "", channel, null);
    }

    private void send(ByteBuffer frame) {
        if (closeRecorded || !channel.isOpen()) {
            return; // the server has closed this connection: nothing more to say
        }
        stats.framesSent.increment();
        stats.bytesSent.add(frame.remaining());
        WebSockets.sendBinary(frame, channel, lane.sendCallback, this);
    }

    void onSendError(Throwable error) {
        // A send racing the server's close is not an error of its own: the close is counted.
        if (!closed && !closingByUs && !closeRecorded) {
            stats.transportErrors.increment();
            stats.recordError(stalled ? "send-stalled" : "send", String.valueOf(error));
        }
    }

    private void onChannelClosed() {
        if (closed) {
            return;
        }
        closed = true;
        if (joined) {
            stats.connected.decrementAndGet();
        }
        if (stalled) {
            stats.stalled.decrementAndGet();
        }
        if (!closingByUs && !closeRecorded) {
            closeRecorded = true;
            // The connection ended without a close frame from the server: "abnormal closure".
            stats.recordClose(ABNORMAL_CLOSURE, stalled);
        }
    }

    private void onFrame(byte[] buf, int length, long nowNs) {
        stats.framesReceived.increment();
        stats.bytesReceived.add(length + (length < 126 ? 2 : length < 65536 ? 4 : 10));
        try {
            ServerFrameReader.read(buf, length, lane.handlerFor(this, nowNs));
        } catch (IOException e) {
            stats.recordError("decode", e.getMessage() + " (frame of " + length + " bytes)");
        }
    }

    // ------------------------------------------------------------ decoded messages (via BotLane's handler)

    void onWelcome(long nowNs, int playerId, int snapshotRate, byte[] buf, int infoOffset, int infoLength) {
        if (joined) {
            return;
        }
        joined = true;
        stats.welcomes.increment();
        stats.connected.incrementAndGet();
        pilot.welcome(playerId, buf, infoOffset, infoLength);
        // Spread the bots' schedules over the period so that they do not all send in the same millisecond.
        if (inputs != null) {
            inputs.start(nowNs + random.nextLong(inputPeriodNs));
        }
        long pingNs = settings.pingInterval().toNanos();
        if (pingNs > 0) {
            nextPingDueNs = nowNs + random.nextLong(pingNs) + 1;
        }
        if (settings.behaviour() == Behaviour.CHATTY) {
            nextChatDueNs = nowNs + random.nextLong(2_000_000_000L) + 1;
        }
        if (slow) {
            stallAtNs = nowNs + settings.slowAfter().toNanos();
            if (stallAtNs == 0) {
                stallAtNs = 1;
            }
        }
    }

    void onSnapshot(long nowNs, long tick, int ackInputSeq, byte[] buf, int stateOffset, int stateLength) {
        stats.snapshotsReceived.increment();
        if (!firstSnapshotSeen) {
            firstSnapshotSeen = true;
            stats.joinToFirstSnapshotUs.recordValue((nowNs - joinSentNs) / 1000);
        } else {
            stats.snapshotInterArrivalUs.recordValue((nowNs - lastSnapshotNs) / 1000);
        }
        lastSnapshotNs = nowNs;
        // Every input up to ack_input_seq is answered by this snapshot, the first that shows it.
        if (inputs != null) {
            stats.inputsAcked.add(inputs.acked(ackInputSeq, nowNs, stats.inputToSnapshotUs, stats.inputToSnapshotRawUs));
        }
        if (pilot.wantsState(nowNs)) {
            pilot.observe(nowNs, buf, stateOffset, stateLength);
        }
        if (tick > newestSnapshotTick) {
            newestSnapshotTick = tick; // acked by the next timer tick, at most a millisecond from now
        }
    }

    void onPong(long nowNs, long clientTime) {
        stats.pongsReceived.increment();
        stats.rttUs.recordValue(Math.max(0, nowNs - clientTime) / 1000);
    }

    void onServerError(int code, String message) {
        stats.serverErrors.increment();
        stats.recordError("server:" + errorName(code), message);
    }

    private static String errorName(int code) {
        io.tickwave.protocol.ErrorCode known = io.tickwave.protocol.ErrorCode.forNumber(code);
        return known == null ? String.valueOf(code) : known.name();
    }

    /** Undertow's callbacks for this bot's connection; on the IO thread. */
    private final class Receiver extends AbstractReceiveListener {

        @Override
        @SuppressWarnings("deprecation") // BufferedBinaryMessage hands out XNIO's deprecated Pooled; it is Undertow's API.
        protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
            long nowNs = System.nanoTime();
            org.xnio.Pooled<ByteBuffer[]> data = message.getData();
            try {
                byte[] scratch = lane.copy(data.getResource());
                onFrame(scratch, lane.copiedLength(), nowNs);
            } finally {
                data.free();
            }
        }

        @Override
        protected void onCloseMessage(CloseMessage close, WebSocketChannel ch) {
            if (!closingByUs && !closeRecorded) {
                closeRecorded = true;
                stats.recordClose(close.getCode(), stalled);
            }
        }

        @Override
        protected void onError(WebSocketChannel ch, Throwable error) {
            if (!closingByUs && !closed) {
                stats.transportErrors.increment();
                stats.recordError("transport", String.valueOf(error));
            }
            super.onError(ch, error);
        }
    }
}
