package io.tickwave.bots;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import com.google.protobuf.InvalidProtocolBufferException;

import io.tickwave.arena.protocol.ArenaInfo;
import io.tickwave.arena.protocol.Ship;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.ReplicaClient;

/**
 * Decides one bot's sample-game input ({@code ArenaInput}) according to its {@link Behaviour}.
 *
 * <p><b>Threading.</b> Owned by the bot's IO thread, like the bot.
 *
 * <p>Chase and fight read the sample game's replicated {@code Ship} entities from the bot's replica
 * (a {@link ReplicaCheck}, which such a bot always keeps, since every delta builds on the state before)
 * at most {@link #RETARGET_NS} apart (scanning a thousand ships thirty times a second for five thousand
 * bots would make the bots the bottleneck); between two looks they keep the last decision.
 */
final class Pilot {

    static final long RETARGET_NS = 250_000_000L;
    /** arena.v1.Ship, the sample game's ship entity type. */
    static final String SHIP_TYPE = Ship.getDescriptor().getFullName();

    private final Behaviour behaviour;
    private final SplittableRandom random;
    private int playerId;
    private float fireRange = 250f;

    int moveX;
    int moveY;
    float aim;
    boolean fire;

    private long nextDecisionNs;
    /** The ship type of the replica last read, and its field indexes; looked up once per schema. */
    private EntityType shipType;
    private int playerField;
    private int xField;
    private int yField;
    private int aliveField;

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
                float bulletRange = info.getBulletSpeed() * info.getBulletLifetime();
                if (bulletRange > 0) {
                    fireRange = Math.min(fireRange, bulletRange);
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

    /** Steers towards the nearest other living ship of the replicated state. */
    void observe(long nowNs, ReplicaClient state) {
        nextDecisionNs = nowNs + RETARGET_NS;
        if (!findShipType(state)) {
            return;
        }
        int me = -1;
        int n = state.entityCount();
        for (int i = 0; i < n; i++) {
            if (state.typeAt(i) == shipType && state.qAt(i, playerField) == playerId) {
                me = i;
                break;
            }
        }
        if (me < 0) {
            return;
        }
        double myX = value(state, me, xField);
        double myY = value(state, me, yField);
        int target = -1;
        double best = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (i == me || state.typeAt(i) != shipType || state.qAt(i, aliveField) == 0) {
                continue;
            }
            double dx = value(state, i, xField) - myX;
            double dy = value(state, i, yField) - myY;
            double d2 = dx * dx + dy * dy;
            if (d2 < best) {
                best = d2;
                target = i;
            }
        }
        if (target < 0) {
            moveX = 0;
            moveY = 0;
            fire = false;
            return;
        }
        double dx = value(state, target, xField) - myX;
        double dy = value(state, target, yField) - myY;
        moveX = Math.abs(dx) < 5 ? 0 : (dx > 0 ? 1 : -1);
        moveY = Math.abs(dy) < 5 ? 0 : (dy > 0 ? 1 : -1);
        aim = (float) Math.atan2(dy, dx);
        fire = behaviour == Behaviour.FIGHT && state.qAt(me, aliveField) != 0 && Math.sqrt(best) < fireRange;
    }

    private double value(ReplicaClient state, int index, int field) {
        return shipType.fieldAt(field).dequantize(state.qAt(index, field));
    }

    /** Finds the ship type in the replica's schema; false when the game has none (not the sample game). */
    private boolean findShipType(ReplicaClient state) {
        if (shipType != null && state.schema().typeById(shipType.typeId()) == shipType) {
            return true;
        }
        shipType = null;
        for (EntityType type : state.schema().types()) {
            if (type.name().equals(SHIP_TYPE)) {
                shipType = type;
                playerField = type.field(Ship.PLAYER_ID_FIELD_NUMBER).index();
                xField = type.field(Ship.X_FIELD_NUMBER).index();
                yField = type.field(Ship.Y_FIELD_NUMBER).index();
                aliveField = type.field(Ship.ALIVE_FIELD_NUMBER).index();
                return true;
            }
        }
        return false;
    }
}
