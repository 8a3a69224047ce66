package com.example.tag;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.Field;
import io.tickwave.replication.ReplicatedState;
import io.tickwave.server.TickwaveLauncher;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import org.agrona.collections.Int2ObjectHashMap;

/** Tag on a grid: "it" tags a player by touching them (same or next cell), who is then it. Loop thread only. */
public final class TagGame implements Game {
    static final int WIDTH = 20, HEIGHT = 15, STEP_TICKS = 6, NO_TAG_BACK_TICKS = 60;

    public static void main(String[] args) {
        TickwaveLauncher.main(args, "tag", TagGame::new);
    }

    private static final class Runner { int entity, x, y, dx, dy; } // a player; where they go, a cell a step

    private final Int2ObjectHashMap<Runner> runners = new Int2ObjectHashMap<>();
    private ReplicatedState state;
    private EntityType type;
    private Field xField, yField, itField;
    private Runner it;
    private long itSince; // the tick the it was made it: no tag for NO_TAG_BACK_TICKS

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
        runner.x = playerId * 7 % WIDTH; // spread out, away from the others
        runner.y = playerId * 4 % HEIGHT;
        state.setInt(runner.entity, type.field(TagProto.Runner.PLAYER_ID_FIELD_NUMBER), playerId);
        runners.put(playerId, runner);
        if (it == null) {
            makeIt(runner, 0);
        }
    }

    @Override
    public void playerLeft(int playerId) {
        Runner runner = runners.remove(playerId);
        state.destroy(runner.entity);
        if (runner == it) {
            it = null;
            runners.values().stream().findFirst().ifPresent(next -> makeIt(next, 0));
        }
    }

    @Override
    public void input(int playerId, long seq, InputPayload payload) {
        try {
            TagProto.Move move = TagProto.Move.parseFrom(payload.asByteBuffer());
            runners.get(playerId).dx = Integer.signum(move.getDx());
            runners.get(playerId).dy = Integer.signum(move.getDy());
        } catch (InvalidProtocolBufferException e) {
            // not a Move: ignored
        }
    }

    @Override
    public void tick(long tick) {
        for (Runner runner : runners.values()) {
            if (tick % STEP_TICKS == 0) {
                runner.x = Math.max(0, Math.min(WIDTH - 1, runner.x + runner.dx));
                runner.y = Math.max(0, Math.min(HEIGHT - 1, runner.y + runner.dy));
            }
            state.setInt(runner.entity, xField, runner.x);
            state.setInt(runner.entity, yField, runner.y);
            if (it != null && runner != it && tick - itSince >= NO_TAG_BACK_TICKS
                    && Math.abs(runner.x - it.x) + Math.abs(runner.y - it.y) <= 1) {
                makeIt(runner, tick);
            }
        }
    }

    private void makeIt(Runner runner, long tick) {
        if (it != null) {
            state.setBool(it.entity, itField, false);
        }
        state.setBool(runner.entity, itField, true);
        it = runner;
        itSince = tick;
    }

    @Override
    public void stop() {
    }
}
