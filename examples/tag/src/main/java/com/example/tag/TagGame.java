package com.example.tag;

import io.tickwave.replication.EntityType;
import io.tickwave.replication.Field;
import io.tickwave.replication.ReplicatedState;
import io.tickwave.server.TickwaveLauncher;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * Tag on a grid: whoever is "it" tags another player by touching them (the same or the next cell), and
 * the tagged player is it. When nobody is it (the room's first player, or "it" left), someone becomes it.
 * Game-loop thread only.
 */
public final class TagGame implements Game {
    static final int WIDTH = 20, HEIGHT = 15, STEP_TICKS = 6, NO_TAG_BACK_TICKS = 60; // at 60 Hz: 0.1 s, 1 s

    public static void main(String[] args) {
        TickwaveLauncher.game("tag", TagGame::new).run(args);
    }

    /** A player: their entity, their cell, and the way they are going. */
    private static final class Runner { int entity, x, y; TagProto.Move move = TagProto.Move.getDefaultInstance(); }

    private final Int2ObjectHashMap<Runner> runners = new Int2ObjectHashMap<>();
    private ReplicatedState state;
    private EntityType type;
    private Field xField, yField, itField;
    private Runner it;
    private long itSince; // the tick "it" was tagged: it may not tag back for NO_TAG_BACK_TICKS

    @Override
    public void start(RoomContext room) {
        state = room.replicate(TagProto.getDescriptor());
        type = state.type(TagProto.Runner.getDescriptor());
        xField = type.field(TagProto.Runner.X_FIELD_NUMBER);
        yField = type.field(TagProto.Runner.Y_FIELD_NUMBER);
        itField = type.field(TagProto.Runner.IT_FIELD_NUMBER);
    }

    @Override
    public void playerJoined(int playerId, String name) {
        Runner runner = new Runner();
        runner.entity = state.create(type);
        state.setInt(runner.entity, type.field(TagProto.Runner.PLAYER_ID_FIELD_NUMBER), playerId);
        runner.x = playerId * 7 % WIDTH; // spread out
        runner.y = playerId * 4 % HEIGHT;
        runners.put(playerId, runner);
    }

    @Override
    public void playerLeft(int playerId) {
        Runner runner = runners.remove(playerId);
        state.destroy(runner.entity);
        if (runner == it) {
            it = null;
        }
    }

    @Override
    public void input(int playerId, long seq, InputPayload payload) {
        TagProto.Move move = payload.parse(TagProto.Move.parser()); // null when the bytes are not a Move: ignored
        if (move != null) {
            runners.get(playerId).move = move;
        }
    }

    @Override
    public void tick(long tick) {
        for (Runner runner : runners.values()) {
            if (tick % STEP_TICKS == 0) {
                runner.x = Math.max(0, Math.min(WIDTH - 1, runner.x + Integer.signum(runner.move.getDx())));
                runner.y = Math.max(0, Math.min(HEIGHT - 1, runner.y + Integer.signum(runner.move.getDy())));
            }
            state.setInt(runner.entity, xField, runner.x);
            state.setInt(runner.entity, yField, runner.y);
            boolean tagged = it != null && runner != it && tick - itSince >= NO_TAG_BACK_TICKS
                    && Math.abs(runner.x - it.x) + Math.abs(runner.y - it.y) <= 1;
            if (it == null || tagged) { // nobody is it yet, or "it" touches this runner: now they are it
                if (it != null) {
                    state.setBool(it.entity, itField, false);
                }
                state.setBool(runner.entity, itField, true);
                it = runner;
                itSince = tick;
            }
        }
    }
}
