package com.example.dots;

import io.tickwave.replication.EntityType;
import io.tickwave.replication.Field;
import io.tickwave.replication.ReplicatedState;
import io.tickwave.server.TickwaveLauncher;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * The dots game: each player is a dot on an 800 x 600 field, moved by the arrow keys. One instance per
 * room; every call comes on the game-loop thread.
 */
public final class DotsGame implements Game {

    static final float WIDTH = 800, HEIGHT = 600, SPEED = 4; // units per tick

    /** Starts a server running this game: {@code java -jar target/dots.jar --help} lists its flags. */
    public static void main(String[] args) {
        TickwaveLauncher.game("dots", DotsGame::new).run(args);
    }

    /** A player's dot: its entity in the replicated state, where it is, and the way it is going. */
    private static final class Dot {
        int entity;
        float x = WIDTH / 2, y = HEIGHT / 2;
        DotsProto.Move move = DotsProto.Move.getDefaultInstance();
    }

    private final Int2ObjectHashMap<Dot> dots = new Int2ObjectHashMap<>();
    private ReplicatedState state;
    private EntityType dotType;
    private Field playerIdField, xField, yField;

    @Override
    public void start(RoomContext room) {
        state = room.replicate(DotsProto.getDescriptor());
        dotType = state.type(DotsProto.Dot.getDescriptor());
        playerIdField = dotType.field(DotsProto.Dot.PLAYER_ID_FIELD_NUMBER);
        xField = dotType.field(DotsProto.Dot.X_FIELD_NUMBER);
        yField = dotType.field(DotsProto.Dot.Y_FIELD_NUMBER);
    }

    @Override
    public void playerJoined(int playerId, String name) {
        Dot dot = new Dot();
        dot.entity = state.create(dotType);
        state.setInt(dot.entity, playerIdField, playerId);
        dots.put(playerId, dot); // its x and y are set at the next tick, before any player is sent the dot
    }

    @Override
    public void playerLeft(int playerId) {
        state.destroy(dots.remove(playerId).entity);
    }

    @Override
    public void input(int playerId, long seq, InputPayload payload) {
        DotsProto.Move move = payload.parse(DotsProto.Move.parser()); // null when the bytes are not a Move: ignored
        if (move != null) {
            dots.get(playerId).move = move;
        }
    }

    @Override
    public void tick(long tick) {
        for (Dot dot : dots.values()) {
            dot.x = Math.max(0, Math.min(WIDTH, dot.x + Integer.signum(dot.move.getDx()) * SPEED));
            dot.y = Math.max(0, Math.min(HEIGHT, dot.y + Integer.signum(dot.move.getDy()) * SPEED));
            state.setFloat(dot.entity, xField, dot.x);
            state.setFloat(dot.entity, yField, dot.y);
        }
    }
}
