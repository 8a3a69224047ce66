package io.tickwave.bots;

import java.io.IOException;
import java.net.URI;
import java.util.SplittableRandom;

import io.tickwave.client.ServerMessageReader;

/**
 * One simulated player: one WebSocket connection ({@link BotConnection}), its open-loop input
 * schedule and its measurements.
 *
 * <p><b>Threading.</b> Created on the thread that starts the swarm; from {@link #start} on, owned by
 * the thread of its {@link BotLane}, which runs its connection's callbacks and (every millisecond)
 * its timer. No field is touched by any other thread afterwards, so nothing here is synchronized.
 *
 * <p><b>Open loop.</b> Inputs fall due every {@code inputPeriodNs} on a fixed schedule, whatever
 * happened before, and each input's latency is counted from when it was <i>due</i>, not from when it
 * left. That is the coordinated-omission correction: a stall (the server's, the network's or the
 * bot's own) cannot make the bots wait politely and so hide itself.
 *
 * <p>A bot that finds several inputs overdue at once (its thread was starved) does not burst them
 * all, which would break the server's rate limit and get it closed: it sends one input standing for
 * all of them, due when the oldest was due, and when that input is answered it records one latency
 * per overdue input, each from its own due time (counted in {@code inputsCollapsed}).
 *
 * <p><b>Protocol.</b> Version 2 (the default): every input carries {@code newest_snapshot_tick}, the
 * newest snapshot tick this bot has read, and nothing else acknowledges snapshots. Version 1 (for
 * A/B runs against the previous server build): inputs carry no tick, and the timer sends one
 * {@code SnapshotAck} for the newest snapshot read since its last run, as the v1 bots did.
 *
 * <p>Everything a bot has due in one timer run leaves in one write (see {@link BotConnection}).
 *
 * <p><b>Reconnects.</b> When a joined bot's connection ends without the bot closing it, and not for
 * breaking the rules (see {@link #worthReconnecting}), it reconnects after a backoff (100 ms doubling to
 * 5 s, jittered; at most {@link #MAX_RECONNECT_ATTEMPTS} tries in a row) and joins with the reconnect
 * token of its last welcome, to get its seat back; a refused token (RECONNECT_REFUSED) makes it join a
 * new seat on the same connection. A close with 4013 (rematch: the server drains) is counted as a
 * rematch; without a matchmaker the bot reconnects to the same URL. Its input schedule and seqs go
 * on across connections, so the inputs due while it was away count against it (open loop). Bots that
 * stopped reading on purpose do not reconnect: their close is what they measure.
 *
 * <p><b>Matchmaking.</b> With a {@link MatchmakerClient} a bot gets its seat from {@code POST /matchmake}
 * (the request runs off the lane; the answer comes back on it), connects to the node's URL the answer
 * names and joins with its {@code seat_token}. It <i>rematches</i> (asks the matchmaker for a new seat)
 * after a close 4013 (the node drains) or 4014 (seat refused), when its node is gone (a reconnect whose
 * connect or upgrade fails), when its reconnect token is refused, and after {@link #MAX_RECONNECT_ATTEMPTS}
 * failed reconnects; other drops first try the same node with the reconnect token, as above. Rematch
 * attempts back off from 0-100 ms (jittered) doubling to {@link #MAX_REMATCH_BACKOFF_NS}, at most
 * {@link #MAX_REMATCH_ATTEMPTS} in a row; the time from the drop to the welcome in the new seat is the
 * rematch time.
 */
final class Bot implements BotConnection.Listener, ServerMessageReader.Handler {

    /** RFC 6455's code for a connection that ended without a close frame; never sent on the wire. */
    static final int ABNORMAL_CLOSURE = 1006;
    /** A slow reader's socket receive buffer: its stall reaches the server in seconds, not megabytes. */
    static final int SLOW_RECEIVE_BUFFER_BYTES = 16 * 1024;
    /** Failed reconnects in a row before a bot gives up. */
    static final int MAX_RECONNECT_ATTEMPTS = 10;
    /** The server drains: the client should find another server. */
    static final int REMATCH_CLOSE = 4013;
    /** Cluster nodes: the join's seat token was refused, or its room was full: matchmake again. */
    static final int SEAT_REFUSED_CLOSE = 4014;
    /** Matchmaking requests in a row that bring no playing seat before a bot gives up. */
    static final int MAX_REMATCH_ATTEMPTS = 15;
    /**
     * A rematch's backoff stops growing here: a dead node stays in placement until its keys expire
     * (up to 3 s), and a short ceiling finds the live nodes soon after; jitter spreads the herd.
     */
    static final long MAX_REMATCH_BACKOFF_NS = 1_000_000_000L;
    private static final long FIRST_BACKOFF_NS = 100_000_000L;
    private static final long MAX_BACKOFF_NS = 5_000_000_000L;

    private final int index;
    private final SwarmSettings settings;
    private final SwarmStats stats;
    private final Pilot pilot;
    private final SplittableRandom random;
    private final boolean slow;
    /** Null unless this bot decodes the replicated state ({@link StateDecoding}). */
    private final ReplicaCheck replica;
    /** Null: no matchmaker, every connection goes to {@code settings.url()}. */
    private final MatchmakerClient matchmaker;

    private BotConnection connection;
    private BotLane lane;
    /** This bot's slot in its lane's timer arrays; the lane moves it on removals. */
    private int slot;

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
    /** Protocol v1: the newest tick acknowledged so far. */
    private long ackedSnapshotTick;
    private long stallAtNs;
    private boolean stalled;
    private boolean closingByUs;
    private boolean closeRecorded;
    private boolean closed;
    /** The token of the newest welcome, or null: sent in the join of a reconnect. */
    private byte[] reconnectToken;
    private boolean welcomeResumed;
    private boolean everJoined;
    /** When the current drop began (the connection ended), for the reconnect time; 0 when not reconnecting. */
    private long droppedAtNs;
    /** When the next reconnect attempt is due; 0 when none is. */
    private long reconnectDueNs;
    private int reconnectAttempts;
    /** The close code of the server's close frame on the current connection; 1006 while none came. */
    private int serverCloseCode = ABNORMAL_CLOSURE;
    /** The time of the message being read, for the {@link ServerMessageReader.Handler} callbacks. */
    private long readNs;

    /** Where the current (or next) connection goes: {@code settings.url()}, or the node the matchmaker named. */
    private URI nodeUrl;
    /** The matchmaker's seat token for the next fresh join, or null; sent once. */
    private String seatToken;
    /** What {@link #reconnectDueNs} is due for: a matchmaking request (true) or a reconnect to {@link #nodeUrl}. */
    private boolean retryIsRematch;
    private boolean matchmakeInFlight;
    private int rematchAttempts;
    /** The current outage is being mended through the matchmaker (counted once in {@code rematchesStarted}). */
    private boolean rematching;
    /** Welcomed in a rematched seat; the next snapshot says the bot is playing again. */
    private boolean awaitingRematchSnapshot;
    /** The current connection never became a WebSocket (connect refused, upgrade refused). */
    private boolean connectFailed;
    /** We closed the current connection to take a new seat (our reconnect token was refused). */
    private boolean leavingForRematch;

    Bot(int index, SwarmSettings settings, SwarmStats stats) {
        this(index, settings, stats, null);
    }

    Bot(int index, SwarmSettings settings, SwarmStats stats, MatchmakerClient matchmaker) {
        this.index = index;
        this.matchmaker = matchmaker;
        this.settings = settings;
        this.stats = stats;
        this.random = new SplittableRandom(settings.seed() * 1_000_003L + index);
        this.pilot = new Pilot(settings.behaviour(), random.split());
        this.slow = settings.isSlow(index);
        this.inputPeriodNs = settings.inputRateHz() == 0 ? 0 : 1_000_000_000L / settings.inputRateHz();
        this.inputs = inputPeriodNs == 0 ? null : new InputSchedule(inputPeriodNs);
        // Chase and fight steer by the replicated state, and a replica must see every snapshot to keep it.
        this.replica = settings.stateDecoding().decodes(index) || settings.behaviour().readsState()
                ? new ReplicaCheck(index, stats) : null;
    }

    int index() {
        return index;
    }

    boolean isClosed() {
        return closed;
    }

    /** Lane thread: where this bot sits in the lane's timer arrays. */
    void placeAt(int slot) {
        this.slot = slot;
    }

    /** On the lane's thread: connect (or ask the matchmaker for a seat first). The join goes out when the upgrade succeeds. */
    void start(BotLane lane) {
        this.lane = lane;
        if (matchmaker != null) {
            requestSeat();
        } else {
            openConnection(settings.url());
        }
    }

    /** Lane thread: a new connection to {@code url}, the old one (if any) being over. */
    private void openConnection(URI url) {
        closeRecorded = false;
        serverCloseCode = ABNORMAL_CLOSURE;
        connectFailed = false;
        leavingForRematch = false;
        nodeUrl = url;
        stats.connectAttempts.increment();
        connection = new BotConnection(lane, this, url);
        connection.connect(slow && !everJoined ? SLOW_RECEIVE_BUFFER_BYTES : 0);
    }

    /** Lane thread: asks the matchmaker for a seat; {@link #onMatchmade} gets the answer on this thread. */
    private void requestSeat() {
        reconnectDueNs = 0;
        matchmakeInFlight = true;
        stats.matchmakeRequests.increment();
        matchmaker.request(name(), lane, this::onMatchmade);
    }

    /** Lane thread: the matchmaker answered; connect to the seat's node, or try again later. */
    private void onMatchmade(MatchmakerClient.Answer answer) {
        matchmakeInFlight = false;
        if (closed) {
            return;
        }
        if (closingByUs) {
            closed = true;
            wakeSoon();
            return;
        }
        if (answer.seat() == null) {
            stats.matchmakeFailures.increment();
            stats.recordError("matchmake", answer.problem());
            scheduleRematch(System.nanoTime());
            return;
        }
        seatToken = answer.seat().seatToken();
        reconnectToken = null; // a new seat; the old one's token means nothing on another node
        openConnection(answer.seat().url());
    }

    /** Lane thread: the seat is lost for good; matchmake again after a backoff, or give up. */
    private void scheduleRematch(long nowNs) {
        if (everJoined && !rematching) {
            rematching = true;
            stats.rematchesStarted.increment();
        }
        if (rematchAttempts >= MAX_REMATCH_ATTEMPTS) {
            stats.rematchesGivenUp.increment();
            closed = true;
            droppedAtNs = 0;
            wakeSoon();
            return;
        }
        long delayNs;
        if (rematchAttempts == 0) {
            delayNs = random.nextLong(FIRST_BACKOFF_NS); // at once, but not all bots in the same millisecond
        } else {
            long backoffNs = Math.min(MAX_REMATCH_BACKOFF_NS, FIRST_BACKOFF_NS << Math.min(rematchAttempts - 1, 6));
            delayNs = backoffNs / 2 + random.nextLong(backoffNs / 2 + 1);
        }
        rematchAttempts++;
        retryIsRematch = true;
        reconnectDueNs = nowNs + delayNs + 1;
        wakeSoon();
    }

    private String name() {
        String name = settings.namePrefix() + "-" + index;
        return name.length() > 24 ? name.substring(0, 24) : name;
    }

    @Override
    public void onOpen(long nowNs) {
        if (!everJoined) {
            joinSentNs = nowNs;
        }
        // A resuming join needs no seat token; a fresh one on a cluster node needs the matchmaker's, once.
        send(ClientFrames.join(name(), settings.protocolVersion(), reconnectToken, reconnectToken == null ? seatToken : null));
        seatToken = null;
        connection.flush();
    }

    /** Lane thread: a reconnect attempt (to the same node) is due. */
    private void reconnect() {
        reconnectDueNs = 0;
        reconnectAttempts++;
        openConnection(nodeUrl);
    }

    /** Lane thread: the connection ended unexpectedly, or a reconnect failed; tries again after a backoff. */
    private void scheduleReconnect(long nowNs) {
        if (reconnectAttempts >= MAX_RECONNECT_ATTEMPTS) {
            stats.reconnectsGivenUp.increment();
            closed = true;
            droppedAtNs = 0;
            wakeSoon();
            return;
        }
        long backoffNs = Math.min(MAX_BACKOFF_NS, FIRST_BACKOFF_NS << Math.min(reconnectAttempts, 6));
        retryIsRematch = false;
        reconnectDueNs = nowNs + backoffNs / 2 + random.nextLong(backoffNs / 2 + 1) + 1;
        wakeSoon();
    }

    /** How far ahead "nothing to do" reaches; the timer looks again then (or when woken). */
    private static final long IDLE_NS = 1_000_000_000L;

    /**
     * The lane's timer, when this bot has something due: queue whatever is due, write it in one go,
     * and return when the next thing falls due. Events between two runs that make something due
     * sooner (a welcome, a v1 snapshot to ack, the end) wake the bot through its lane.
     */
    long onTimer(long nowNs) {
        if (reconnectDueNs != 0) {
            if (nowNs - reconnectDueNs < 0) {
                return reconnectDueNs;
            }
            if (retryIsRematch) {
                requestSeat();
            } else {
                reconnect();
            }
            return nowNs + IDLE_NS;
        }
        if (matchmakeInFlight || !joined || closed || closingByUs || !connection.isOpen()) {
            return nowNs + IDLE_NS;
        }
        if (stallAtNs != 0 && !stalled && nowNs - stallAtNs >= 0) {
            stalled = true;
            stats.stalled.incrementAndGet();
            connection.suspendReads();
        }
        boolean queued = false;
        if (settings.protocolVersion() == 1 && newestSnapshotTick > ackedSnapshotTick) {
            ackedSnapshotTick = newestSnapshotTick;
            stats.acksSent.increment();
            send(ClientFrames.snapshotAckV1(newestSnapshotTick));
            queued = true;
        }
        if (inputs != null && nowNs - inputs.nextDueNs() >= 0) {
            int seq = inputs.next(nowNs);
            if (seq != 0) {
                sendInput(seq, nowNs);
                queued = true;
            }
        }
        if (nextPingDueNs != 0 && nowNs - nextPingDueNs >= 0) {
            stats.pingsSent.increment();
            send(ClientFrames.ping(nowNs));
            queued = true;
            nextPingDueNs += settings.pingInterval().toNanos();
            if (nowNs - nextPingDueNs >= 0) { // late by more than an interval: no burst of pings
                nextPingDueNs = nowNs + settings.pingInterval().toNanos();
            }
        }
        if (nextChatDueNs != 0 && nowNs - nextChatDueNs >= 0) {
            stats.chatsSent.increment();
            send(ClientFrames.chat(settings.namePrefix() + "-" + index + " says hello #" + (++chatLines)));
            queued = true;
            nextChatDueNs = nowNs + 1_500_000_000L + random.nextLong(1_000_000_000L);
        }
        if (queued) {
            connection.flush();
        }
        long next = nowNs + IDLE_NS;
        if (inputs != null && inputs.nextDueNs() - next < 0) {
            next = inputs.nextDueNs();
        }
        if (nextPingDueNs != 0 && nextPingDueNs - next < 0) {
            next = nextPingDueNs;
        }
        if (nextChatDueNs != 0 && nextChatDueNs - next < 0) {
            next = nextChatDueNs;
        }
        if (stallAtNs != 0 && !stalled && stallAtNs - next < 0) {
            next = stallAtNs;
        }
        return next;
    }

    private void wakeSoon() {
        if (lane != null) {
            lane.wakeSoon(slot);
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
        long newestTick = settings.protocolVersion() >= 2 ? newestSnapshotTick : 0;
        send(ClientFrames.arenaInput(seq, pilot.moveX, pilot.moveY, pilot.aim, pilot.fire, newestTick));
    }

    /** On the lane's thread: ask the server to close (code 1000); the bot stops sending. */
    void closeByUs() {
        if (closed || closingByUs) {
            return;
        }
        closingByUs = true;
        if (reconnectDueNs != 0 || matchmakeInFlight) { // between two connections: nothing to close
            reconnectDueNs = 0;
            closed = true;
            wakeSoon();
        } else if (connection != null) {
            connection.close(1000);
        }
    }

    /** The lane is going away: what is still open counts as closed by us. */
    void abandon() {
        closingByUs = true;
        if (connection != null) {
            connection.hangUp(); // calls onEnded
        }
        if (!closed) {
            onEnded();
        }
    }

    private void send(java.nio.ByteBuffer frame) {
        if (closeRecorded || !connection.isOpen()) {
            return; // the server has closed this connection: nothing more to say
        }
        stats.framesSent.increment();
        stats.bytesSent.add(frame.remaining());
        connection.queueBinary(frame);
    }

    // ------------------------------------------------------------ the connection's callbacks

    @Override
    public void onServerClose(int code) {
        serverCloseCode = code;
        if (leavingForRematch) {
            return; // the server's answer to our own close
        }
        if (code == REMATCH_CLOSE && !closingByUs) {
            stats.rematches.increment();
        }
        if (!closingByUs && !closeRecorded) {
            closeRecorded = true;
            stats.recordClose(code, stalled);
        }
    }

    @Override
    public void onEnded() {
        if (closed) {
            return;
        }
        boolean wasJoined = joined;
        if (joined) {
            joined = false;
            stats.connected.decrementAndGet();
        }
        if (matchmaker != null && !closingByUs && !stalled && lane != null) {
            if (!closeRecorded && wasJoined) {
                closeRecorded = true;
                stats.recordClose(ABNORMAL_CLOSURE, false);
            }
            if (recoverThroughMatchmaker()) {
                return;
            }
        } else if (!closingByUs && !stalled && everJoined && lane != null && worthReconnecting(serverCloseCode)) {
            if (!closeRecorded && wasJoined) {
                closeRecorded = true;
                stats.recordClose(ABNORMAL_CLOSURE, false);
            }
            long nowNs = System.nanoTime();
            if (droppedAtNs == 0) {
                droppedAtNs = nowNs;
                reconnectAttempts = 0;
                stats.drops.increment();
            }
            scheduleReconnect(nowNs);
            return;
        }
        closed = true;
        wakeSoon(); // so that the lane's timer removes it
        if (stalled) {
            stats.stalled.decrementAndGet();
        }
        if (!closingByUs && !closeRecorded && connection != null && joinSentNs != 0) {
            closeRecorded = true;
            // The connection ended without a close frame from the server: "abnormal closure".
            stats.recordClose(ABNORMAL_CLOSURE, stalled);
        }
    }

    /**
     * With a matchmaker, the connection ended and not by our wish: reconnects to the same node when that
     * may give the seat back, otherwise (and after a first seat's failed connect or join) rematches.
     * Returns false when the end is for good (a close for breaking the rules).
     */
    private boolean recoverThroughMatchmaker() {
        long nowNs = System.nanoTime();
        int code = serverCloseCode;
        boolean rematch = leavingForRematch || connectFailed || code == REMATCH_CLOSE || code == SEAT_REFUSED_CLOSE;
        boolean reconnect = !rematch && worthReconnecting(code);
        if (!rematch && !reconnect) {
            return false;
        }
        if (everJoined && droppedAtNs == 0) {
            droppedAtNs = nowNs;
            reconnectAttempts = 0;
            rematchAttempts = 0;
            stats.drops.increment();
        }
        if (reconnect && reconnectToken != null && reconnectAttempts < MAX_RECONNECT_ATTEMPTS) {
            scheduleReconnect(nowNs); // the node may still hold the seat: try it first
        } else {
            scheduleRematch(nowNs);
        }
        return true;
    }

    /**
     * Whether a connection that ended with {@code closeCode} is worth a reconnect: no close frame (1006),
     * the server going away (1001), failing (1011), idle timeout (4009), too slow (4010), busy (4011) or
     * draining (4013). A close for breaking the rules (1002, 1008, 1009, 4001-4008, 4012) would only
     * happen again.
     */
    static boolean worthReconnecting(int closeCode) {
        return switch (closeCode) {
            case ABNORMAL_CLOSURE, 1001, 1011, 4009, 4010, 4011, REMATCH_CLOSE -> true;
            default -> false;
        };
    }

    @Override
    public void onFailure(String kind, String message) {
        if (kind.equals("connect") || kind.equals("handshake")) {
            connectFailed = true;
            stats.connectFailures.increment(); // no WebSocket came of it, whichever step refused
        } else if (closingByUs || closed) {
            return; // a failure racing our own close is not an error of its own
        } else if (stalled && kind.equals("transport")) {
            return; // how a bot that stopped reading learns that the server closed it: counted as its close (1006)
        } else {
            stats.transportErrors.increment();
        }
        stats.recordError(kind, message);
    }

    @Override
    public void onBytesRead(int count) {
        stats.bytesReceived.add(count);
    }

    @Override
    public void onMessage(byte[] buf, int offset, int length, long nowNs) {
        stats.framesReceived.increment();
        readNs = nowNs;
        try {
            ServerMessageReader.read(buf, offset, length, this);
        } catch (IOException e) {
            stats.recordError("decode", e.getMessage() + " (frame of " + length + " bytes)");
        }
    }

    // ------------------------------------------------------------ decoded messages

    @Override
    public void reconnectToken(byte[] buf, int offset, int length, boolean resumed) {
        reconnectToken = length == 0 ? null : java.util.Arrays.copyOfRange(buf, offset, offset + length);
        welcomeResumed = resumed;
    }

    @Override
    public void welcome(int playerId, int roomId, int tickRate, int snapshotRate, long tick, byte[] buf, int infoOffset, int infoLength,
                        int schemaOffset, int schemaLength) {
        if (joined) {
            return;
        }
        if (replica != null) {
            replica.welcome(buf, schemaOffset, schemaLength);
        }
        long nowNs = readNs;
        joined = true;
        stats.connected.incrementAndGet();
        if (everJoined) { // back after a drop: the schedules go on as they were
            stats.reconnects.increment();
            if (welcomeResumed) {
                stats.resumed.increment();
            }
            stats.reconnectUs.recordValue(Math.max(0, nowNs - droppedAtNs) / 1000);
            if (rematching) {
                rematching = false;
                awaitingRematchSnapshot = true;
                stats.rematched.increment();
                stats.rematchUs.recordValue(Math.max(0, nowNs - droppedAtNs) / 1000);
            }
            droppedAtNs = 0;
            reconnectAttempts = 0;
            rematchAttempts = 0;
            if (!welcomeResumed) {
                pilot.welcome(playerId, buf, infoOffset, infoLength);
            }
            wakeSoon();
            return;
        }
        everJoined = true;
        rematchAttempts = 0;
        stats.welcomes.increment();
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
        wakeSoon();
    }

    @Override
    public void snapshot(long tick, int ackInputSeq, long baselineTick, long stateHash, byte[] buf, int stateOffset, int stateLength) {
        long nowNs = readNs;
        stats.snapshotsReceived.increment();
        if (awaitingRematchSnapshot) {
            awaitingRematchSnapshot = false;
            stats.rematchedPlaying.increment();
        }
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
        if (replica != null) {
            replica.snapshot(tick, baselineTick, stateHash, buf, stateOffset, stateLength);
        }
        if (replica != null && replica.replica() != null && pilot.wantsState(nowNs)) {
            pilot.observe(nowNs, replica.replica());
        }
        if (tick > newestSnapshotTick) {
            newestSnapshotTick = tick; // reported with the next input (v2) or acked by the next timer run (v1)
            if (settings.protocolVersion() == 1) {
                wakeSoon();
            }
        }
    }

    @Override
    public void pong(long clientTime) {
        stats.pongsReceived.increment();
        stats.rttUs.recordValue(Math.max(0, readNs - clientTime) / 1000);
    }

    @Override
    public void error(int code, String message) {
        stats.errorMessages.increment();
        if (matchmaker != null && !joined && connection.isOpen()) {
            if (code == io.tickwave.protocol.ErrorCode.RECONNECT_REFUSED_VALUE) {
                // The seat is gone; a new one on a cluster node takes a seat token: leave and matchmake.
                stats.reconnectsRefused.increment();
                reconnectToken = null;
                leavingForRematch = true;
                connection.close(1000);
                return;
            }
            if (code == io.tickwave.protocol.ErrorCode.SEAT_REFUSED_VALUE
                    || code == io.tickwave.protocol.ErrorCode.SERVER_DRAINING_VALUE) {
                stats.seatsRefused.increment(); // the close (4014 or 4013) follows; then the bot matchmakes again
                return;
            }
        }
        if (code == io.tickwave.protocol.ErrorCode.RECONNECT_REFUSED_VALUE && !joined && connection.isOpen()) {
            // The seat is gone (the grace ran out, or another node): take a new one on this connection.
            stats.reconnectsRefused.increment();
            reconnectToken = null;
            send(ClientFrames.join(name(), settings.protocolVersion(), null));
            connection.flush();
            return;
        }
        stats.serverErrors.increment();
        stats.recordError("server:" + errorName(code), message);
    }

    private static String errorName(int code) {
        io.tickwave.protocol.ErrorCode known = io.tickwave.protocol.ErrorCode.forNumber(code);
        return known == null ? String.valueOf(code) : known.name();
    }
}
