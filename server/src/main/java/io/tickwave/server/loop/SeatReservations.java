package io.tickwave.server.loop;

import io.tickwave.server.net.ClientConnection;
import io.tickwave.server.net.ReconnectToken;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every seated player's reconnect token, and the seats whose connection dropped and that wait, until
 * their grace deadline, for a reconnect with that token.
 *
 * <p>Owned by the game-loop thread. Joins, drops and reconnects allocate a little (they are rare); the
 * per-tick {@link #takeExpired} costs one comparison when nothing is due: seats wait in deadline order
 * (a drop is put in its place, as rooms may have graces of their own), so only the first can be due.
 */
final class SeatReservations {

    /** One seat: its current session, and whether that session's connection is gone. */
    static final class Seat {
        private ReconnectToken token;
        private Session session;
        private boolean dropped;
        private long graceDeadlineNs;

        Session session() {
            return session;
        }

        /** True while the seat waits for a reconnect. */
        boolean dropped() {
            return dropped;
        }
    }

    /**
     * A seat the game ended for good (a kick, the room's end): a reconnect with its token gets the same
     * last word the connection got, not a new seat, for as long as a dropped seat would have waited.
     */
    record EndedSeat(byte[] lastMessage, int closeCode, String reason, long untilNs) {
    }

    private final Map<ReconnectToken, Seat> byToken = new HashMap<>();
    /** The dropped seats, oldest drop (soonest deadline) first. */
    private final List<Seat> waiting = new ArrayList<>();
    /** Seats the game ended, by token. */
    private final Map<ReconnectToken, EndedSeat> ended = new HashMap<>();
    /** Their tokens in the order they ended, to forget them without an iterator per tick. */
    private final ArrayDeque<ReconnectToken> endedOrder = new ArrayDeque<>();

    /** Seats a new session under {@code token}, its connection's {@link ClientConnection#issuedToken}. */
    void seat(ReconnectToken token, Session session) {
        Seat seat = new Seat();
        seat.token = token;
        seat.session = session;
        byToken.put(token, seat);
    }

    /** The seat of a connected session, by its connection's token; null if it has none. */
    Seat seatOf(Session session) {
        Seat seat = byToken.get(session.connection.issuedToken);
        return seat != null && seat.session == session ? seat : null;
    }

    /** The seat a presented token names, connected or dropped; null if unknown (or already expired). */
    Seat find(ReconnectToken token) {
        return byToken.get(token);
    }

    /** The seat's connection is gone: it waits for a reconnect until {@code graceDeadlineNs}. */
    void dropped(Seat seat, long graceDeadlineNs) {
        seat.dropped = true;
        seat.graceDeadlineNs = graceDeadlineNs;
        int at = waiting.size();
        while (at > 0 && waiting.get(at - 1).graceDeadlineNs - graceDeadlineNs > 0) { // wrap-safe
            at--;
        }
        waiting.add(at, seat);
    }

    /**
     * A dropped seat is taken back by {@code session}, on a new connection. The token changes to that
     * connection's, so the one used to come back names nothing any more.
     */
    void resumed(Seat seat, Session session) {
        waiting.remove(seat);
        byToken.remove(seat.token);
        seat.dropped = false;
        seat.session = session;
        seat.token = session.connection.issuedToken;
        byToken.put(seat.token, seat);
    }

    /**
     * The game ended the seat (kicked its player, or ended its room): it is given up as by {@link #remove},
     * and until {@code untilNs} a reconnect with its token is answered {@code lastMessage} and closed with
     * {@code closeCode}.
     */
    void endForGood(Seat seat, byte[] lastMessage, int closeCode, String reason, long untilNs) {
        remove(seat);
        ended.put(seat.token, new EndedSeat(lastMessage, closeCode, reason, untilNs));
        endedOrder.addLast(seat.token);
    }

    /** How a seat the game ended answers its token, or null when the token names no such seat (any more). */
    EndedSeat endedSeat(ReconnectToken token, long nowNs) {
        forgetEndedSeats(nowNs);
        return ended.get(token);
    }

    /**
     * Drops the ended seats whose time is up, oldest first, stopping at the first that is not (rooms may
     * keep different graces, so a later one can wait behind it, never longer than the longest grace).
     */
    private void forgetEndedSeats(long nowNs) {
        for (ReconnectToken oldest = endedOrder.peekFirst(); oldest != null; oldest = endedOrder.peekFirst()) {
            EndedSeat seat = ended.get(oldest);
            if (seat != null && nowNs - seat.untilNs() < 0) {
                return;
            }
            endedOrder.pollFirst();
            ended.remove(oldest);
        }
    }

    /** The seat is given up (its player left); its token names nothing from now on. */
    void remove(Seat seat) {
        byToken.remove(seat.token);
        if (seat.dropped) {
            waiting.remove(seat);
        }
    }

    /**
     * Removes and returns a dropped seat whose grace deadline has passed at {@code nowNs} (wrap-safe), or
     * null when none has.
     */
    Seat takeExpired(long nowNs) {
        if (!endedOrder.isEmpty()) {
            forgetEndedSeats(nowNs); // here too, so that kicks never pile up: this runs every tick
        }
        if (waiting.isEmpty()) {
            return null;
        }
        Seat first = waiting.get(0);
        if (nowNs - first.graceDeadlineNs < 0) {
            return null;
        }
        waiting.remove(0);
        byToken.remove(first.token);
        first.dropped = false;
        return first;
    }

    /** Seats waiting for a reconnect. */
    int droppedCount() {
        return waiting.size();
    }
}
