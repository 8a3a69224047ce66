package io.tickwave.arena.e2e;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickwave.arena.protocol.ArenaEvent;
import io.tickwave.arena.protocol.ArenaInfo;
import io.tickwave.arena.protocol.ArenaInput;
import io.tickwave.arena.protocol.ArenaProto;
import io.tickwave.arena.protocol.Kill;
import io.tickwave.arena.protocol.Ship;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.Field;
import io.tickwave.replication.ReplicatedState;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.api.SnapshotBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The smallest game the browser SDK tests need, on the arena's messages: each player is a replicated
 * {@code Ship} that an input with {@code move_x} moves by 10 units, an input with {@code fire} is
 * answered with an {@code ArenaEvent} kill (the player "kills" itself) to the whole room, and the welcome
 * carries an {@code ArenaInfo} of width 777. Game-loop thread only; it allocates freely (a test game).
 */
final class SdkProbeGame implements Game {

    static final float INFO_WIDTH = 777;
    private static final double STEP = 10;

    private final Map<Integer, Integer> shipOf = new HashMap<>();
    private final Map<Integer, Double> xOf = new HashMap<>();
    private RoomContext room;
    private ReplicatedState state;
    private EntityType ship;
    private Field playerId;
    private Field x;
    private Field y;
    private Field alive;

    @Override
    public void start(RoomContext room) {
        this.room = room;
        state = room.replicate(ArenaProto.getDescriptor());
        ship = state.type(Ship.getDescriptor());
        playerId = ship.field(Ship.PLAYER_ID_FIELD_NUMBER);
        x = ship.field(Ship.X_FIELD_NUMBER);
        y = ship.field(Ship.Y_FIELD_NUMBER);
        alive = ship.field(Ship.ALIVE_FIELD_NUMBER);
    }

    @Override
    public void playerJoined(int id, String name) {
        int entity = state.create(ship);
        state.setInt(entity, playerId, id);
        state.setFloat(entity, x, 100);
        state.setFloat(entity, y, 100 + id);
        state.setBool(entity, alive, true);
        shipOf.put(id, entity);
        xOf.put(id, 100.0);
    }

    @Override
    public void writeWelcomeInfo(int id, SnapshotBuffer out) {
        out.write(ArenaInfo.newBuilder().setWidth(INFO_WIDTH).setHeight(600).build());
    }

    @Override
    public void playerLeft(int id) {
        Integer entity = shipOf.remove(id);
        if (entity != null) {
            state.destroy(entity);
        }
        xOf.remove(id);
    }

    @Override
    public void input(int id, long seq, InputPayload payload) {
        ArenaInput input;
        try {
            input = ArenaInput.parseFrom(payload.asByteBuffer());
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        Integer entity = shipOf.get(id);
        if (entity == null) {
            return;
        }
        double nextX = Math.max(0, Math.min(7000, xOf.get(id) + STEP * input.getMoveX()));
        xOf.put(id, nextX);
        state.setFloat(entity, x, nextX);
        if (input.getFire()) {
            room.broadcastEvent(ArenaEvent.newBuilder().setKill(Kill.newBuilder().setKillerId(id).setVictimId(id)).build());
        }
    }

    @Override
    public void tick(long tick) {
    }

    @Override
    public void stop() {
    }
}
