package io.tickwave.bots;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import com.google.protobuf.InvalidProtocolBufferException;

import io.tickwave.arena.protocol.ArenaInfo;
import io.tickwave.arena.protocol.ArenaState;
import io.tickwave.arena.protocol.Ship;

/**
 * Decides one bot's sample-game input ({@code ArenaInput}) according to its {@link Behaviour}.
 *
 * <p><b>Threading.</b> Owned by the bot's IO thread, like the bot.
 *
 * <p>Chase and fight parse the game state at most {@link #RETARGET_NS} apart (parsing a thousand
 * ships thirty times a second for five thousand bots would make the bots the bottleneck); between
 * two looks they keep the last decision.
 */
final class Pilot {

    static final long RETARGET_NS = 250_000_000L;

    private final Behaviour behaviour;
    private final SplittableRandom random;
    private int playerId;
    private float fireRange = 250f;

    int moveX;
    int moveY;
    float aim;
    boolean fire;

    private long nextDecisionNs;

    Pilot(Behaviour behaviour, SplittableRandom random) {
        this.behaviour = behaviour;
        this.random = random;
    }

    void welcome(int playerId, byte[] buf, int infoOffset, int infoLength) {
        this.playerId = playerId;
        if (behaviour.readsState() && infoLength > 0) {
            try {
                ArenaInfo info = ArenaInfo.parseFrom(ByteBuffer.wrap(buf, infoOffset, infoLength));
                if (info.getWidth() > 0) {
                    fireRange = Math.min(info.getWidth(), info.getHeight()) / 4f;
                }
            } catch (InvalidProtocolBufferException e) {
                // Not the sample game's info: keep the default range.
            }
        }
    }

    /** Called before each input is sent. */
    void beforeInput(long nowNs) {
        if (behaviour == Behaviour.IDLE || behaviour.readsState()) {
            return;
        }
        if (nowNs - nextDecisionNs >= 0) {
            moveX = random.nextInt(3) - 1;
            moveY = random.nextInt(3) - 1;
            aim = (float) (random.nextDouble() * 2 * Math.PI);
            nextDecisionNs = nowNs + 1_000_000_000L + random.nextLong(2_000_000_000L);
        }
    }

    /** True when the pilot wants to look at the state of the snapshot that arrives now. */
    boolean wantsState(long nowNs) {
        return behaviour.readsState() && nowNs - nextDecisionNs >= 0;
    }

    /** Steers towards the nearest other living ship in {@code ArenaState}. */
    void observe(long nowNs, byte[] buf, int offset, int length) {
        nextDecisionNs = nowNs + RETARGET_NS;
        ArenaState state;
        try {
            state = ArenaState.parseFrom(ByteBuffer.wrap(buf, offset, length));
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        Ship me = null;
        for (int i = 0; i < state.getShipsCount(); i++) {
            if (state.getShips(i).getPlayerId() == playerId) {
                me = state.getShips(i);
                break;
            }
        }
        if (me == null) {
            return;
        }
        Ship target = null;
        float best = Float.MAX_VALUE;
        for (int i = 0; i < state.getShipsCount(); i++) {
            Ship other = state.getShips(i);
            if (other.getPlayerId() == playerId || !other.getAlive()) {
                continue;
            }
            float dx = other.getX() - me.getX();
            float dy = other.getY() - me.getY();
            float d2 = dx * dx + dy * dy;
            if (d2 < best) {
                best = d2;
                target = other;
            }
        }
        if (target == null) {
            moveX = 0;
            moveY = 0;
            fire = false;
            return;
        }
        float dx = target.getX() - me.getX();
        float dy = target.getY() - me.getY();
        moveX = Math.abs(dx) < 5f ? 0 : (dx > 0 ? 1 : -1);
        moveY = Math.abs(dy) < 5f ? 0 : (dy > 0 ? 1 : -1);
        aim = (float) Math.atan2(dy, dx);
        fire = behaviour == Behaviour.FIGHT && me.getAlive() && Math.sqrt(best) < fireRange;
    }
}
