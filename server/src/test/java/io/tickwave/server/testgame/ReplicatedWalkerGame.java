package io.tickwave.server.testgame;

import com.google.protobuf.CodedInputStream;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.Field;
import io.tickwave.replication.ReplicatedState;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.testgame.protocol.Ballast;
import io.tickwave.server.testgame.protocol.RoomClock;
import io.tickwave.server.testgame.protocol.Walker;
import io.tickwave.server.testgame.protocol.WalkerEvent;
import io.tickwave.server.testgame.protocol.WalkerInput;
import io.tickwave.server.testgame.protocol.WalkerReplicated;
import org.agrona.collections.Int2ObjectHashMap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link WalkerGame} as a replicating game, written only against the game API: it declares its state in
 * {@code walker_replicated.proto}, sets values on the {@link ReplicatedState}, and knows nothing of the
 * wire format. Every player is a {@code Walker} entity that moves {@link #SPEED} units a second in the
 * direction of its last {@code WalkerInput}; a {@code RoomClock} entity (always relevant) carries the tick
 * and the head count.
 *
 * <p>Events: a joining player is sent a private hello ({@code sequence} 0) from {@code playerJoined};
 * an input with {@code fire} sends that player alone a {@code WalkerEvent} whose {@code sequence}
 * counts that player's private events from 1; every {@link #BROADCAST_EVERY_TICKS}
 * ticks the room gets a broadcast one, {@code sequence} counting the room's broadcasts from 1.
 *
 * <p>With {@code ballastEntities > 0} it also replicates that many {@code Ballast} entities whose 32
 * raw floats all change every tick, with a byte budget big enough to send them all, so that a client
 * that stops reading fills its socket buffers within a second or so.
 *
 * <p>Owned by the game-loop thread, like any game.
 */
public final class ReplicatedWalkerGame implements Game {

    public static final float SPEED = 100f;
    public static final int BROADCAST_EVERY_TICKS = 6;

    private final int ballastEntities;
    private final Int2ObjectHashMap<Walking> walkersByPlayer = new Int2ObjectHashMap<>();
    private final List<Walking> walkers = new ArrayList<>();
    private RoomContext room;
    private ReplicatedState state;
    private float stepSeconds;
    private Field walkerPlayerId;
    private Field walkerX;
    private Field walkerY;
    private Field walkerSteps;
    private Field walkerMoving;
    private EntityType walkerType;
    private int clock;
    private Field clockTick;
    private Field clockPlayers;
    private int[] ballast;
    private Field[] ballastFields;
    private int broadcasts;

    /** One player's walker and its entity. */
    private static final class Walking {
        final int playerId;
        final int entity;
        float x;
        float y;
        int moveX;
        int moveY;
        int steps;
        int privateEvents;

        Walking(int playerId, int entity) {
            this.playerId = playerId;
            this.entity = entity;
        }
    }

    public ReplicatedWalkerGame() {
        this(0);
    }

    public ReplicatedWalkerGame(int ballastEntities) {
        this.ballastEntities = ballastEntities;
    }

    @Override
    public void start(RoomContext room) {
        this.room = room;
        this.stepSeconds = room.tickIntervalNanos() / 1e9f;
        state = room.replicate(WalkerReplicated.getDescriptor());
        walkerType = state.type(Walker.getDescriptor());
        walkerPlayerId = walkerType.field(Walker.PLAYER_ID_FIELD_NUMBER);
        walkerX = walkerType.field(Walker.X_FIELD_NUMBER);
        walkerY = walkerType.field(Walker.Y_FIELD_NUMBER);
        walkerSteps = walkerType.field(Walker.STEPS_FIELD_NUMBER);
        walkerMoving = walkerType.field(Walker.MOVING_FIELD_NUMBER);
        EntityType clockType = state.type(RoomClock.getDescriptor());
        clockTick = clockType.field(RoomClock.TICK_FIELD_NUMBER);
        clockPlayers = clockType.field(RoomClock.PLAYERS_FIELD_NUMBER);
        clock = state.create(clockType);
        EntityType ballastType = state.type(Ballast.getDescriptor());
        ballastFields = new Field[Ballast.getDescriptor().getFields().size()];
        for (int i = 0; i < ballastFields.length; i++) {
            ballastFields[i] = ballastType.field(Ballast.getDescriptor().getFields().get(i).getNumber());
        }
        ballast = new int[ballastEntities];
        for (int i = 0; i < ballastEntities; i++) {
            ballast[i] = state.create(ballastType);
        }
        if (ballastEntities > 0) {
            state.setByteBudget(ballastEntities * 160 + 1_200);
        }
    }

    @Override
    public void playerJoined(int playerId, String name) {
        Walking walker = new Walking(playerId, state.create(walkerType));
        state.setInt(walker.entity, walkerPlayerId, playerId);
        state.setFloat(walker.entity, walkerX, 0);
        state.setFloat(walker.entity, walkerY, 0);
        walkersByPlayer.put(playerId, walker);
        walkers.add(walker);
        state.setInt(clock, clockPlayers, walkers.size());
        room.sendEvent(playerId, WalkerEvent.newBuilder().setSequence(0).setToPlayer(playerId).build()); // hello
    }

    @Override
    public void playerLeft(int playerId) {
        Walking walker = walkersByPlayer.remove(playerId);
        walkers.remove(walker);
        state.destroy(walker.entity);
        state.setInt(clock, clockPlayers, walkers.size());
    }

    @Override
    public void input(int playerId, long seq, InputPayload payload) {
        Walking walker = walkersByPlayer.get(playerId);
        boolean fire = false;
        try {
            CodedInputStream in = CodedInputStream.newInstance(payload.array(), payload.offset(), payload.length());
            int moveX = 0;
            int moveY = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag >>> 3) {
                    case WalkerInput.MOVE_X_FIELD_NUMBER -> moveX = in.readSInt32();
                    case WalkerInput.MOVE_Y_FIELD_NUMBER -> moveY = in.readSInt32();
                    case WalkerInput.FIRE_FIELD_NUMBER -> fire = in.readBool();
                    default -> in.skipField(tag);
                }
            }
            walker.moveX = Integer.signum(moveX);
            walker.moveY = Integer.signum(moveY);
        } catch (IOException e) {
            throw new IllegalArgumentException("undecodable WalkerInput from player " + playerId, e);
        }
        if (fire) {
            // Events are rare: building the message allocates, as the API allows.
            room.sendEvent(playerId, WalkerEvent.newBuilder()
                    .setSequence(++walker.privateEvents).setToPlayer(playerId).build());
        }
    }

    @Override
    public void tick(long tick) {
        for (int i = 0, n = walkers.size(); i < n; i++) {
            Walking walker = walkers.get(i);
            boolean moving = walker.moveX != 0 || walker.moveY != 0;
            if (moving) {
                walker.x += walker.moveX * SPEED * stepSeconds;
                walker.y += walker.moveY * SPEED * stepSeconds;
                walker.steps++;
            }
            state.setFloat(walker.entity, walkerX, walker.x);
            state.setFloat(walker.entity, walkerY, walker.y);
            state.setInt(walker.entity, walkerSteps, walker.steps);
            state.setBool(walker.entity, walkerMoving, moving);
        }
        state.setInt(clock, clockTick, (int) tick);
        for (int i = 0; i < ballast.length; i++) {
            for (int f = 0; f < ballastFields.length; f++) {
                state.setFloat(ballast[i], ballastFields[f], tick * 0.001 + i + f * 0.5);
            }
        }
        if (tick % BROADCAST_EVERY_TICKS == 0) {
            room.broadcastEvent(WalkerEvent.newBuilder().setSequence(++broadcasts).build());
        }
    }

    @Override
    public void stop() {
        walkers.clear();
        walkersByPlayer.clear();
    }
}
