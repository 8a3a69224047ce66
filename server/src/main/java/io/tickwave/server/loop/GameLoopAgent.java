package io.tickwave.server.loop;

import com.google.protobuf.ByteString;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.PlayerInfo;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Welcome;
import io.tickwave.replication.Encoding;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.GameFactory;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.ClientConnection;
import io.tickwave.server.net.CloseCodes;
import io.tickwave.server.net.DeferredLeaves;
import io.tickwave.server.net.InboundGateway;
import io.tickwave.server.net.ServerMessages;
import io.tickwave.server.net.SharedState;
import io.tickwave.server.net.SharedStatePool;
import io.tickwave.server.net.SnapshotFrame;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The game loop: drains the event ring, steps every room at a fixed tick (a room with its own, lower
 * tick rate every few loop ticks), and hands each player a snapshot at the room's snapshot rate: for a
 * replicating room, the delta its {@code Replicator} encodes against the player's baseline; otherwise
 * the complete state the game writes. It seats joins (join-or-create, by room id, private rooms, the
 * game's {@code admit}) and carries out the kicks and ends games ask for once their callback returned.
 *
 * <p>Owned by the game-loop thread (run by an Agrona {@code AgentRunner}, or stepped by hand in tests).
 * It alone touches rooms, games and sessions, and it never does I/O: everything it sends goes into
 * per-client {@code Outbox}es, which the connections' IO threads drain.
 *
 * <p>Work happens at the tick: a duty cycle before the deadline does nothing (the
 * {@link TickDeadlineIdleStrategy} parks the thread until then), so a burst of inputs costs no wake-ups.
 * At the deadline the loop drains the ring, at most {@code ring-size / 4} events so a flood cannot
 * starve the tick, then takes the leaves deferred while the ring was full, then ticks. When the drain
 * stopped at its bound, the following cycles keep draining (each bounded, each checking the deadline
 * first) until the ring is empty.
 *
 * <p>Seats: a connection that drops (see {@code ClientConnection.keepsSeat}) keeps its seat for its
 * room's reconnect grace ({@code --reconnect-grace-ms} unless the game set its own) in
 * {@link SeatReservations}; a join with its token takes it back, and the seats whose grace is over
 * leave at the start of the next tick.
 *
 * <p>Timing: deadlines advance by exactly {@code tickIntervalNs} ({@code next += interval}), so ticks do
 * not drift; comparisons are wrap-safe ({@code now - deadline >= 0}). When a tick ends past the next
 * deadline, the missed ticks are skipped and counted as overruns rather than run back to back: the
 * simulation slows down instead of bursting.
 */
public final class GameLoopAgent implements Agent, EventPoller.Handler<RingEvent> {

    /** Idle shared state buffers kept: a few per view key of a few snapshots in flight, for many rooms. */
    private static final int SHARED_STATE_POOL_CAPACITY = 4_096;
    /**
     * A republish for reported reservations that lapsed waits for the next tick that is a multiple of a
     * second's ticks over this: joins spread over time cost at most this many republishes a second.
     */
    private static final int REPUBLISHES_PER_SECOND = 4;

    private final ServerSettings settings;
    private final Runnable flushOutbound;
    private final GameFactory games;
    private final ServerMetrics metrics;
    private final NanoClock clock;
    private final EventPoller<RingEvent> poller;
    /** The highest ring sequence this loop has handled. */
    private final Sequence consumedSequence;
    private final DeferredLeaves deferredLeaves;
    private final LoopLiveness liveness;
    private final LoopServices services;
    private final int maxEventsPerCycle;
    private final long tickIntervalNs;
    private final long stallTimeoutNs;
    private final RoomHost roomHost = new RoomHost();
    private final List<Room> rooms = new ArrayList<>();
    private final SnapshotEncoder encoder = new SnapshotEncoder();
    /** Per room and snapshot: view key → index of its encoded state in {@link #statesThisSnapshot}. */
    private final Long2LongHashMap stateByViewKey = new Long2LongHashMap(-1L);
    private final List<SharedState> statesThisSnapshot = new ArrayList<>();
    /** Per room and snapshot of replicated state: share index → index in {@link #statesThisSnapshot}, or -1. */
    private int[] stateByShareIndex = new int[0];
    private final SharedStatePool sharedStates;
    /** Reconnect tokens and the dropped seats waiting for one; empty when reconnects are off. */
    private final SeatReservations seats = new SeatReservations();

    private long nextTickDeadlineNs;
    private long tick;
    private int nextPlayerId = 1;
    private int nextRoomId = 1;
    private int players;
    private int eventsThisCycle;
    /** The last drain stopped at its bound: events may be waiting, so drain again before the deadline. */
    private boolean backlog;
    /** Cluster only: told who sits where after each tick in which seats changed. Null on a single node. */
    private Consumer<RoomOccupancy> occupancyListener;
    private boolean occupancyChanged = true;
    /** Cluster only: how many loop ticks after its join a seated player's reservation is reported. */
    private long reservationReportTicks;
    /** Whether the last published occupancy reported any reservation; then {@link #republishAtTick} counts. */
    private boolean reservationsReported;
    /** The loop tick from which the last published occupancy reports a reservation no longer reported. */
    private long republishAtTick;

    /**
     * @param flushOutbound hands the IO threads what this loop queued for sending; run once after every
     *                      duty cycle that did work
     * @param deferredLeaves the leaves the ring could not take, from the same {@code InboundGateway}
     */
    public GameLoopAgent(ServerSettings settings, GameFactory games, RingBuffer<RingEvent> ring,
                         DeferredLeaves deferredLeaves, ServerMetrics metrics, ProblemReporter problems,
                         NanoClock clock, Runnable flushOutbound) {
        this.flushOutbound = flushOutbound;
        this.settings = settings;
        this.games = games;
        this.metrics = metrics;
        this.clock = clock;
        this.services = new LoopServices(metrics, problems);
        this.poller = ring.newPoller();
        this.consumedSequence = poller.getSequence();
        ring.addGatingSequences(consumedSequence);
        this.deferredLeaves = deferredLeaves;
        this.maxEventsPerCycle = Math.max(16, settings.ringSize() / 4);
        this.tickIntervalNs = settings.tickIntervalNs();
        this.stallTimeoutNs = settings.stallTimeoutMs() * 1_000_000L;
        this.sharedStates = new SharedStatePool(SHARED_STATE_POOL_CAPACITY, Math.max(1, settings.ioThreads()));
        this.nextTickDeadlineNs = clock.nanoTime() + tickIntervalNs;
        this.liveness = new LoopLiveness(clock, tickIntervalNs);
    }

    @Override
    public String roleName() {
        return "tickwave-game-loop";
    }

    @Override
    public void onStart() {
        nextTickDeadlineNs = clock.nanoTime() + tickIntervalNs;
        liveness.loopStarted();
    }

    /**
     * One duty cycle: nothing before the deadline unless a backlog is left; at the deadline, drain,
     * then tick. Returns the events handled plus one for a tick, so the idle strategy parks only after a
     * cycle that found nothing to do.
     */
    @Override
    public int doWork() throws Exception {
        long nowNs = clock.nanoTime();
        boolean tickDue = nowNs - nextTickDeadlineNs >= 0; // wrap-safe
        if (!tickDue && !backlog) {
            return 0;
        }
        int work = drainEvents();
        if (tickDue) {
            runTick(nowNs);
            work++;
        }
        if (work > 0) {
            flushOutbound.run();
        }
        return work;
    }

    /**
     * Handles up to {@code maxEventsPerCycle} ring events, then every deferred leave whose connection's
     * events have all been handled. Returns how many of both.
     */
    private int drainEvents() {
        eventsThisCycle = 0;
        try {
            poller.poll(this);
        } catch (Exception e) {
            // onEvent never throws; a poller failure would be a Disruptor bug. Count it and go on.
            metrics.loopErrors.incrementAndGet();
            services.problems().report("game loop failed to poll the ring", e);
        }
        int handled = eventsThisCycle;
        backlog = handled >= maxEventsPerCycle;
        long consumed = consumedSequence.get();
        for (ClientConnection leaver = deferredLeaves.takeReady(consumed); leaver != null;
             leaver = deferredLeaves.takeReady(consumed)) {
            try {
                onLeave(leaver);
            } catch (Throwable e) {
                GameErrors.rethrowIfFatal(e);
                metrics.loopErrors.incrementAndGet();
                services.problems().report("game loop failed to handle a deferred leave", e);
            }
            handled++;
        }
        return handled;
    }

    @Override
    public void onClose() {
        liveness.loopStopped();
        for (int i = 0; i < rooms.size(); i++) {
            rooms.get(i).stop();
        }
        rooms.clear();
        metrics.rooms.set(0);
        metrics.players.set(0);
        metrics.seatsWaiting.set(0);
    }

    /**
     * The deadline of the next tick, on the loop's clock. Game-loop thread (its idle strategy), or tests
     * that step the loop by hand.
     */
    public long nextTickDeadlineNs() {
        return nextTickDeadlineNs;
    }

    /**
     * Hands {@code listener} a new {@link RoomOccupancy} at the end of every tick in which a player
     * joined or left, or a room's lock changed (one small allocation then, none in steady play), and in
     * which a reservation it reported ran past {@code reportReservationsMs} since its player's join
     * (checked at most {@value #REPUBLISHES_PER_SECOND} times a second), so that the heartbeat stops
     * sending it. It runs on the loop thread and must only store the snapshot (e.g. in a volatile field)
     * for another thread to read. Set before the loop starts.
     *
     * @param reportReservationsMs how long after a join the reservation its seat token filled is
     *                             reported: at least as long as a reservation lives (docs/scale-out.md),
     *                             so that the heartbeat that first counts the player also removes it
     */
    public void publishOccupancyTo(Consumer<RoomOccupancy> listener, long reportReservationsMs) {
        this.occupancyListener = listener;
        this.reservationReportTicks = (reportReservationsMs * settings.tickRateHz() + 999) / 1000;
    }

    /** Whether this loop is still ticking; any thread may ask. */
    public LoopLiveness liveness() {
        return liveness;
    }

    // ------------------------------------------------------------------ events

    /**
     * Handles one event. Never throws: the poller would otherwise hand the same event back on the next
     * cycle, forever. A failure is counted and reported, and the event is skipped.
     */
    @Override
    public boolean onEvent(RingEvent event, long sequence, boolean endOfBatch) {
        try {
            switch (event.kind) {
                case RingEvent.JOIN -> onJoin(event.connection, event.text);
                case RingEvent.INPUT -> onInput(event);
                case RingEvent.CHAT -> onChat(event.connection, event.text);
                case RingEvent.LEAVE -> onLeave(event.connection);
                default -> throw new IllegalStateException("unknown ring event kind " + event.kind);
            }
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            metrics.loopErrors.incrementAndGet();
            services.problems().report("game loop failed to handle ring event of kind " + event.kind, e);
        } finally {
            event.clear();
        }
        return ++eventsThisCycle < maxEventsPerCycle;
    }

    /**
     * Seats a player. A name already used in the room gets a suffix ({@link DistinctNames}); the
     * welcome, the room's {@code player_joined}, the game and later chat lines all carry that name.
     */
    private void onJoin(ClientConnection connection, String requestedName) {
        if (connection.presentedToken != null) {
            resume(connection);
            return;
        }
        int seatRoomId = connection.seatRoomId;
        Room room;
        if (seatRoomId > 0) {
            // A cluster seat token names its room: the matchmaker reserved a seat there. The room opens here
            // with the first such join, or again after it emptied; a full one refuses (reservations expire,
            // so the matchmaker's count can be off by the seats of players who just came or went).
            room = roomById(seatRoomId);
            if (room != null && (!room.hasSeat() || room.locked() || room.ending())) {
                connection.requestClose(CloseCodes.SEAT_REFUSED, "room " + seatRoomId
                        + (room.locked() ? " is locked" : room.ending() ? " is ending" : " is full") + ": matchmake again");
                return;
            }
            if (room == null) {
                room = openRoom(seatRoomId, false);
            }
        } else if (connection.joinRoomId != 0) {
            int wanted = connection.joinRoomId;
            room = roomById(wanted);
            String unsignedId = Integer.toUnsignedString(wanted);
            if (room == null || room.ending()) {
                refuseJoin(connection, ErrorCode.ROOM_NOT_FOUND, "no open room " + unsignedId);
                return;
            }
            if (room.locked()) {
                refuseJoin(connection, ErrorCode.ROOM_LOCKED, "room " + unsignedId + " is locked");
                return;
            }
            if (!room.hasSeat()) {
                refuseJoin(connection, ErrorCode.ROOM_FULL, "room " + unsignedId + " is full");
                return;
            }
        } else if (connection.joinCreateRoom) {
            room = openRoom(nextRoomId++, true);
        } else {
            room = roomWithSeat();
        }
        if (room == null) {
            connection.requestClose(CloseCodes.INTERNAL_ERROR, "the game could not open a room");
            return;
        }
        String refusal = room.admit(requestedName, connection.joinOptions);
        if (refusal != null) {
            if (room.sessions.isEmpty()) {
                closeRoom(room); // opened for this join alone
            } else {
                room.settle(); // kicks and ends asked for in admit take effect now, as after any callback
            }
            refuseJoin(connection, ErrorCode.JOIN_REFUSED, refusal);
            return;
        }
        seat(connection, room, requestedName);
        room.settle();
    }

    private void seat(ClientConnection connection, Room room, String requestedName) {
        List<String> namesInRoom = new ArrayList<>(room.sessions.size());
        for (int i = 0; i < room.sessions.size(); i++) {
            namesInRoom.add(room.sessions.get(i).name);
        }
        String name = DistinctNames.distinct(requestedName, namesInRoom);
        Session session = new Session(nextPlayerId++, name, connection, room);
        session.seatReservation = connection.seatReservation;
        session.joinOptions = connection.joinOptions;
        session.joinedAtTick = tick;
        connection.loopSession = session;
        if (room.reconnectGraceMs() > 0) {
            seats.seat(connection.issuedToken, session);
        }
        room.join(session);
        players++;
        occupancyChanged = true;
        metrics.players.set(players);
        metrics.joins.incrementAndGet();
        sendWelcome(session, false);
        broadcast(room, ServerMessages.playerJoined(session.playerId, name));
    }

    /**
     * Gives a dropped seat back to the connection that presented its token: same player id, room and
     * name, no join or leave announced. The game hears {@code playerReconnected}; the new connection has
     * baseline 0, so its first snapshot is complete. An unknown, expired or connected seat's token is
     * refused with RECONNECT_REFUSED, and the connection may join again.
     */
    private void resume(ClientConnection connection) {
        SeatReservations.Seat seat = seats.find(connection.presentedToken);
        if (seat == null) {
            SeatReservations.EndedSeat ended = seats.endedSeat(connection.presentedToken, clock.nanoTime());
            if (ended != null) {
                connection.requestClose(ended.lastMessage(), ended.closeCode(), ended.reason());
                return;
            }
            metrics.reconnectsRefused.incrementAndGet();
            connection.allowJoinAgain();
            sendTo(connection, ServerMessages.error(ErrorCode.RECONNECT_REFUSED,
                    "reconnect token unknown or expired: join without it for a new seat"));
            return;
        }
        if (!seat.dropped()) {
            takeOver(seat);
        }
        Session dropped = seat.session();
        Session session = new Session(dropped.playerId, dropped.name, connection, dropped.room);
        // Seqs go on from the seat's: the game sees them strictly increase per player across connections.
        session.lastDeliveredSeq = dropped.lastDeliveredSeq;
        session.appliedSeq = dropped.appliedSeq;
        session.joinOptions = dropped.joinOptions;
        connection.loopSession = session;
        seats.resumed(seat, session);
        metrics.reconnectsResumed.incrementAndGet();
        countWaitingSeats();
        dropped.room.reconnect(dropped, session);
        sendWelcome(session, true);
        dropped.room.settle();
    }

    /**
     * The seat's token came back on a new connection while its old one still holds it: a client that
     * reconnected before the server noticed its old socket die (a network switch leaves it half-open until
     * the idle timeout). The token is unguessable, so the newer connection wins: the old one is dropped as
     * if it had gone (the game hears {@code playerDisconnected}, then {@code playerReconnected}) and closed
     * with 4017, which a client does not reconnect after.
     */
    private void takeOver(SeatReservations.Seat seat) {
        Session current = seat.session();
        ClientConnection old = current.connection;
        old.loopSession = null;
        old.outbox().discardPendingSnapshot();
        current.closeRequested = true;
        old.requestClose(CloseCodes.SEAT_TAKEN_OVER, "seat taken over by a newer connection with its reconnect token");
        seats.dropped(seat, clock.nanoTime() + current.room.reconnectGraceNs());
        countWaitingSeats();
        current.room.disconnect(current);
        current.room.settle();
    }

    /** A join the loop refuses without closing: the client may send another. */
    private static void refuseJoin(ClientConnection connection, ErrorCode code, String message) {
        connection.allowJoinAgain();
        sendTo(connection, ServerMessages.error(code, message));
    }

    private void sendWelcome(Session session, boolean resumed) {
        Room room = session.room;
        Welcome.Builder welcome = Welcome.newBuilder()
                .setPlayerId(session.playerId)
                .setRoomId(room.roomId())
                .setTickRate(room.tickRateHz())
                .setSnapshotRate(room.snapshotRateHz())
                .setTick(room.currentTick())
                .setProtocolVersion(InboundGateway.PROTOCOL_VERSION)
                .setRoomCapacity(room.capacity())
                .setResumed(resumed)
                .setLastInputSeq((int) session.lastDeliveredSeq);
        if (room.reconnectGraceMs() > 0) {
            welcome.setReconnectToken(ByteString.copyFrom(session.connection.issuedToken.toBytes()));
        }
        for (int i = 0; i < room.sessions.size(); i++) {
            Session member = room.sessions.get(i);
            welcome.addPlayers(PlayerInfo.newBuilder().setPlayerId(member.playerId).setName(member.name));
        }
        if (room.replicates()) {
            welcome.setReplicationSchema(room.replicationSchema());
        }
        int infoLength = room.writeWelcomeInfo(session.playerId, encoder);
        if (infoLength > 0) {
            welcome.setGameInfo(ByteString.copyFrom(encoder.gameMessageBytes(), 0, infoLength));
        }
        session.sendWelcome(ServerMessage.newBuilder().setWelcome(welcome).build().toByteArray());
    }

    /**
     * The first room that offers a seat (free, not locked, not private), a new one when none does, or
     * null if the game cannot start one.
     */
    private Room roomWithSeat() {
        for (int i = 0; i < rooms.size(); i++) {
            Room room = rooms.get(i);
            if (room.offersSeat()) {
                return room;
            }
        }
        return openRoom(nextRoomId++, false);
    }

    private Room roomById(int roomId) {
        for (int i = 0; i < rooms.size(); i++) {
            if (rooms.get(i).roomId() == roomId) {
                return rooms.get(i);
            }
        }
        return null;
    }

    /** A new room of the game with this id, started; null if the game cannot make one. */
    private Room openRoom(int roomId, boolean privateRoom) {
        Game game;
        try {
            game = games.create();
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            metrics.gameErrors.incrementAndGet();
            services.problems().report("the game factory failed to create a game", e);
            return null;
        }
        Room room = new Room(roomId, game, privateRoom, settings.roomCapacity(), settings.tickRateHz(),
                settings.snapshotRateHz(), tickIntervalNs, settings.reconnectGraceMs(), services, roomHost);
        rooms.add(room);
        metrics.rooms.set(rooms.size());
        occupancyChanged = true;
        room.start();
        return room;
    }

    /** Takes down a room with no players: the game hears {@code stop}. */
    private void closeRoom(Room room) {
        if (rooms.remove(room)) {
            metrics.rooms.set(rooms.size());
            occupancyChanged = true;
        }
        room.stop();
    }

    private void onInput(RingEvent event) {
        Session session = (Session) event.connection.loopSession;
        if (session == null || event.value <= session.lastDeliveredSeq) {
            return; // not seated, or, after a reconnect, an input not above the seat's newest
        }
        session.room.input(session, event.value, event);
        session.room.settle();
        metrics.inputsApplied.incrementAndGet();
        long viewLagTicks = session.room.currentTick() - event.snapshotTick;
        if (event.snapshotTick != 0 && viewLagTicks >= 0) {
            metrics.clientViewLagTicks.recordValue(Math.min(viewLagTicks, ServerMetrics.MAX_VIEW_LAG_TICKS));
        }
    }

    private void onChat(ClientConnection connection, String text) {
        Session session = (Session) connection.loopSession;
        if (session == null) {
            return;
        }
        Room room = session.room;
        boolean passed = room.chat(session.playerId, text);
        if (passed) {
            metrics.chatLines.incrementAndGet();
            broadcast(room, ServerMessages.chat(session.playerId, session.name, text));
        }
        room.settle();
    }

    private void onLeave(ClientConnection connection) {
        Session session = (Session) connection.loopSession;
        if (session == null) {
            return;
        }
        connection.loopSession = null;
        connection.outbox().discardPendingSnapshot();
        SeatReservations.Seat seat = seats.seatOf(session);
        if (seat != null) {
            if (connection.keepsSeat) {
                // A drop: the seat stays in the room, sent nothing, until a reconnect or the deadline.
                session.closeRequested = true;
                seats.dropped(seat, clock.nanoTime() + session.room.reconnectGraceNs());
                countWaitingSeats();
                session.room.disconnect(session);
                session.room.settle();
                return;
            }
            seats.remove(seat);
        }
        leaveRoom(session);
        session.room.settle();
    }

    /** The player leaves for good: the game hears {@code playerLeft}, the room {@code player_left}. */
    private void leaveRoom(Session session) {
        Room room = session.room;
        room.leave(session);
        players--;
        occupancyChanged = true;
        metrics.players.set(players);
        metrics.leaves.incrementAndGet();
        if (room.sessions.isEmpty()) {
            closeRoom(room);
        } else {
            broadcast(room, ServerMessages.playerLeft(session.playerId, session.name));
        }
    }

    /** Leaves for the dropped seats whose grace period is over. Once per tick. */
    private void expireDroppedSeats(long nowNs) {
        for (SeatReservations.Seat seat = seats.takeExpired(nowNs); seat != null; seat = seats.takeExpired(nowNs)) {
            metrics.seatsExpired.incrementAndGet();
            countWaitingSeats();
            try {
                leaveRoom(seat.session());
            } catch (Throwable e) {
                GameErrors.rethrowIfFatal(e);
                metrics.loopErrors.incrementAndGet();
                services.problems().report("game loop failed to end an expired seat", e);
            }
        }
    }

    /** Queues a message for a connection that has no seat (a refused reconnect). */
    private static void sendTo(ClientConnection connection, byte[] message) {
        if (connection.outbox().offerMessage(message)) {
            connection.requestDrain();
        } else {
            connection.requestClose(CloseCodes.TOO_SLOW, "too slow: outbox full");
        }
    }

    private void broadcast(Room room, byte[] message) {
        for (int i = 0, n = room.sessions.size(); i < n; i++) {
            room.sessions.get(i).sendReliable(message);
        }
    }

    // ------------------------------------------------------------------ ticks

    private void runTick(long startNs) {
        ServerMetrics.recordNs(metrics.tickLatenessNs, startNs - nextTickDeadlineNs);
        tick++;
        try {
            expireDroppedSeats(startNs);
            for (int i = 0, n = rooms.size(); i < n; i++) {
                Room room = rooms.get(i);
                if (room.stepsAt(tick)) {
                    room.step();
                }
            }
            settleRooms();
            for (int i = 0, n = rooms.size(); i < n; i++) {
                Room room = rooms.get(i);
                if (room.snapshotsAt(tick)) {
                    sendSnapshots(room, startNs);
                }
            }
            settleRooms();
            if (occupancyListener != null
                    && (occupancyChanged || reservationsReported && tick - republishAtTick >= 0)) {
                publishOccupancy();
            }
        } finally {
            // Even if a tick fails, the schedule moves on: a failing tick must not be retried back to back.
            metrics.ticks.incrementAndGet();
            metrics.currentTick.set(tick);
            long endNs = clock.nanoTime();
            ServerMetrics.recordNs(metrics.tickDurationNs, endNs - startNs);
            liveness.tickFinished(endNs);
            nextTickDeadlineNs += tickIntervalNs;
            while (endNs - nextTickDeadlineNs >= 0) {
                nextTickDeadlineNs += tickIntervalNs;
                metrics.tickOverruns.incrementAndGet();
            }
        }
    }

    /** Carries out the kicks and ends the games asked for; last room first, as a room may close. */
    private void settleRooms() {
        for (int i = rooms.size() - 1; i >= 0; i--) {
            if (i < rooms.size()) {
                rooms.get(i).settle();
            }
        }
    }

    /** What rooms ask of this loop; called from {@link Room#settle}, never under a game callback. */
    private final class RoomHost implements Room.Host {

        @Override
        public void kick(Room room, Session session, String reason) {
            endSeat(session, ServerMessages.error(ErrorCode.KICKED, reason), CloseCodes.KICKED,
                    "kicked: " + reason);
            leaveRoom(session);
        }

        @Override
        public void end(Room room, String reason) {
            byte[] ended = ServerMessages.error(ErrorCode.ROOM_ENDED, reason);
            for (int i = 0, n = room.sessions.size(); i < n; i++) {
                endSeat(room.sessions.get(i), ended, CloseCodes.ROOM_ENDED, "room ended: " + reason);
            }
            // Nobody is sent the leaves (every seat is closing); the last one stops the room.
            while (!room.sessions.isEmpty()) {
                leaveRoom(room.sessions.get(room.sessions.size() - 1));
            }
            if (rooms.contains(room)) {
                closeRoom(room);
            }
        }

        @Override
        public void occupancyChanged() {
            occupancyChanged = true;
        }
    }

    /**
     * Closes a seat's connection after {@code lastMessage} (unless it is closing already, as a dropped
     * seat's is) and forgets its reconnect token, so that nothing resumes it; the caller then makes it
     * leave the room.
     */
    private void endSeat(Session session, byte[] lastMessage, int closeCode, String reason) {
        ClientConnection connection = session.connection;
        if (!session.closeRequested) {
            session.closeRequested = true;
            connection.requestClose(lastMessage, closeCode, reason);
        }
        if (connection.loopSession == session) {
            connection.loopSession = null;
            connection.outbox().discardPendingSnapshot();
        }
        SeatReservations.Seat seat = seats.seatOf(session);
        if (seat != null) {
            // Also when the connection was already going (a drop, too slow): its reconnect hears the same.
            seats.endForGood(seat, lastMessage, closeCode, reason, clock.nanoTime() + session.room.reconnectGraceNs());
            countWaitingSeats();
        }
    }

    /** Updates {@code tickwave_seats_waiting} after a seat started or stopped waiting for a reconnect. */
    private void countWaitingSeats() {
        metrics.seatsWaiting.set(seats.droppedCount());
    }

    private void publishOccupancy() {
        occupancyChanged = false;
        int count = rooms.size();
        int[] ids = new int[count];
        int[] seated = new int[count];
        int[] capacities = new int[count];
        boolean[] closed = new boolean[count];
        String[][] reservations = new String[count][];
        long recentFrom = tick - reservationReportTicks;
        boolean reported = false;
        long firstLapseTick = 0;
        for (int i = 0; i < count; i++) {
            Room room = rooms.get(i);
            ids[i] = room.roomId();
            seated[i] = room.sessions.size();
            capacities[i] = room.capacity();
            closed[i] = room.locked() || room.isPrivate() || room.ending();
            List<String> recent = new ArrayList<>();
            for (int j = 0; j < room.sessions.size(); j++) {
                Session session = room.sessions.get(j);
                if (session.seatReservation != null && session.joinedAtTick - recentFrom >= 0) {
                    recent.add(session.seatReservation);
                    long lapseTick = session.joinedAtTick + reservationReportTicks + 1; // its first tick unreported
                    if (!reported || lapseTick - firstLapseTick < 0) {
                        firstLapseTick = lapseTick;
                    }
                    reported = true;
                }
            }
            reservations[i] = recent.toArray(new String[0]);
        }
        reservationsReported = reported;
        if (reported) {
            long stride = Math.max(1, settings.tickRateHz() / REPUBLISHES_PER_SECOND);
            republishAtTick = (firstLapseTick + stride - 1) / stride * stride;
        }
        occupancyListener.accept(new RoomOccupancy(players, ids, seated, capacities, closed, reservations));
    }

    private void sendSnapshots(Room room, long nowNs) {
        try {
            if (room.replicates()) {
                sendReplicatedSnapshots(room, nowNs);
            } else {
                sendGameWrittenSnapshots(room, nowNs);
            }
        } finally {
            // The loop's own reference: each state now lives exactly as long as the frames that carry it.
            for (int i = 0, n = statesThisSnapshot.size(); i < n; i++) {
                statesThisSnapshot.get(i).release();
            }
            statesThisSnapshot.clear();
        }
    }

    /** A game that does not replicate writes each view key's complete state once; its viewers share it. */
    private void sendGameWrittenSnapshots(Room room, long nowNs) {
        stateByViewKey.clear();
        for (int i = 0, n = room.sessions.size(); i < n; i++) {
            Session viewer = room.sessions.get(i);
            if (!readyForSnapshot(viewer, nowNs)) {
                continue;
            }
            long viewKey = room.viewKey(viewer);
            int stateIndex = (int) stateByViewKey.get(viewKey);
            if (stateIndex == -1) {
                int length = room.writeSnapshot(viewer, encoder);
                if (length < 0) {
                    continue;
                }
                stateIndex = statesThisSnapshot.size();
                statesThisSnapshot.add(sharedStates.take(encoder.gameMessageBytes(), 0, length));
                stateByViewKey.put(viewKey, stateIndex);
            }
            publishSnapshot(viewer, room.currentTick(), 0, false, 0, statesThisSnapshot.get(stateIndex));
        }
    }

    /**
     * A replicating game: the replicator encodes each viewer's delta against its connection's baseline;
     * viewers it gives the same share index get the same bytes, copied once into a shared state.
     */
    private void sendReplicatedSnapshots(Room room, long nowNs) {
        if (!room.beginReplicatedSnapshot(settings.stateHashEvery())) {
            return;
        }
        int n = room.sessions.size();
        if (stateByShareIndex.length < n) {
            stateByShareIndex = new int[Math.max(n, stateByShareIndex.length * 2)];
            Arrays.fill(stateByShareIndex, -1);
        }
        int sharesUsed = 0;
        try {
            for (int i = 0; i < n; i++) {
                Session viewer = room.sessions.get(i);
                if (!readyForSnapshot(viewer, nowNs)) {
                    continue;
                }
                Encoding encoding = room.encode(viewer);
                if (encoding == null) {
                    continue;
                }
                int share = encoding.shareIndex();
                if (share >= stateByShareIndex.length) {
                    int[] grown = Arrays.copyOf(stateByShareIndex, Math.max(share + 1, stateByShareIndex.length * 2));
                    Arrays.fill(grown, stateByShareIndex.length, grown.length, -1);
                    stateByShareIndex = grown;
                }
                int stateIndex = stateByShareIndex[share];
                if (stateIndex == -1) {
                    stateIndex = statesThisSnapshot.size();
                    statesThisSnapshot.add(sharedStates.take(encoding.array(), 0, encoding.length()));
                    stateByShareIndex[share] = stateIndex;
                    sharesUsed = Math.max(sharesUsed, share + 1);
                }
                publishSnapshot(viewer, room.currentTick(), encoding.baselineTick(), encoding.hasHash(),
                        encoding.stateHash(), statesThisSnapshot.get(stateIndex));
            }
        } finally {
            Arrays.fill(stateByShareIndex, 0, sharesUsed, -1);
            room.endReplicatedSnapshot();
            room.addReplicationCounters(metrics);
        }
    }

    /** False for a viewer being closed, or one stalled past the limit (which is closed now). */
    private boolean readyForSnapshot(Session viewer, long nowNs) {
        if (viewer.closeRequested) {
            return false;
        }
        if (viewer.connection.outbox().isStalled(nowNs, stallTimeoutNs)) {
            viewer.closeAsTooSlow("no frame taken for " + settings.stallTimeoutMs() + " ms");
            return false;
        }
        return true;
    }

    /** Fills the viewer's frame: its own envelope prefix, then the shared state; replaces an unsent one. */
    private void publishSnapshot(Session viewer, long tick, long baselineTick, boolean hasStateHash, int stateHash,
                                 SharedState state) {
        SnapshotFrame frame = viewer.connection.outbox().frameToFill();
        SnapshotEncoder.encodeFrame(frame, tick, viewer.appliedSeq, baselineTick, hasStateHash, stateHash, state);
        if (viewer.connection.outbox().publishSnapshot()) {
            metrics.staleSnapshotsDropped.lazySet(metrics.staleSnapshotsDropped.get() + 1);
        }
        // Single writer: an ordered store is enough, no locked increment per viewer.
        metrics.snapshotsSent.lazySet(metrics.snapshotsSent.get() + 1);
        viewer.connection.requestDrain();
    }

    /** The pool of shared state buffers, for tests that check every buffer comes back. Loop thread. */
    public SharedStatePool sharedStates() {
        return sharedStates;
    }
}
