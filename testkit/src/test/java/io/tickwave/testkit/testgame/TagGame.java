package io.tickwave.testkit.testgame;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.Field;
import io.tickwave.replication.ReplicatedState;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small tag game for the kit's tests, written only against the game API: runners on a
 * {@link #GRID}×{@link #GRID} grid, each {@code Move} input moves its runner one cell at the next tick,
 * and the runner who is "it" (the first to join, at first) tags another by reaching its cell: the tagged
 * runner becomes "it" and the room gets a {@code Tagged} event. Runners spawn in a row: the n-th to join
 * at (4n mod 16, 0). Dropped runners stay where they are. A join with the option {@code token=banned}
 * is refused. Game-loop thread only.
 */
public final class TagGame implements Game {

    public static final int GRID = 16;

    private final Map<Integer, Runner> runners = new LinkedHashMap<>();
    /** Who is connected, for tests that look at the game's own view of the room. */
    public final List<Integer> disconnected = new ArrayList<>();
    /** The join options of each player, as the room hands them to the game. */
    public final Map<Integer, Map<String, String>> joinOptions = new LinkedHashMap<>();
    private ReplicatedState state;
    private EntityType runnerType;
    private Field playerIdField;
    private Field xField;
    private Field yField;
    private Field itField;
    private Field tagsField;
    private int joins;

    private static final class Runner {
        final int playerId;
        final int entity;
        int x;
        int y;
        int dx;
        int dy;
        boolean it;
        int tags;

        Runner(int playerId, int entity) {
            this.playerId = playerId;
            this.entity = entity;
        }
    }

    private RoomContext room;

    @Override
    public void start(RoomContext room) {
        this.room = room;
        state = room.replicate(TagTest.getDescriptor());
        runnerType = state.type(io.tickwave.testkit.testgame.Runner.getDescriptor());
        playerIdField = runnerType.field(io.tickwave.testkit.testgame.Runner.PLAYER_ID_FIELD_NUMBER);
        xField = runnerType.field(io.tickwave.testkit.testgame.Runner.X_FIELD_NUMBER);
        yField = runnerType.field(io.tickwave.testkit.testgame.Runner.Y_FIELD_NUMBER);
        itField = runnerType.field(io.tickwave.testkit.testgame.Runner.IT_FIELD_NUMBER);
        tagsField = runnerType.field(io.tickwave.testkit.testgame.Runner.TAGS_FIELD_NUMBER);
    }

    /** Refuses a join whose {@code token} option is {@code banned}: a stand-in for an auth check. */
    @Override
    public String admit(String name, Map<String, String> options) {
        return "banned".equals(options.get("token")) ? "that token is banned" : null;
    }

    @Override
    public void playerJoined(int playerId, String name) {
        joinOptions.put(playerId, room.joinOptions(playerId));
        Runner runner = new Runner(playerId, state.create(runnerType));
        runner.x = (4 * joins++) % GRID;
        runner.it = runners.isEmpty();
        runners.put(playerId, runner);
        state.setInt(runner.entity, playerIdField, playerId);
        publish(runner);
    }

    @Override
    public void playerDisconnected(int playerId) {
        disconnected.add(playerId);
    }

    @Override
    public void playerReconnected(int playerId) {
        disconnected.remove(Integer.valueOf(playerId));
    }

    @Override
    public void playerLeft(int playerId) {
        disconnected.remove(Integer.valueOf(playerId));
        Runner runner = runners.remove(playerId);
        state.destroy(runner.entity);
        if (runner.it && !runners.isEmpty()) {
            Runner next = runners.values().iterator().next();
            next.it = true;
            publish(next);
        }
    }

    @Override
    public void input(int playerId, long seq, InputPayload payload) {
        Move move;
        try {
            move = Move.parseFrom(payload.asByteBuffer());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a Move", e);
        }
        Runner runner = runners.get(playerId);
        runner.dx = Integer.signum(move.getDx());
        runner.dy = Integer.signum(move.getDy());
    }

    @Override
    public void tick(long tick) {
        for (Runner runner : runners.values()) {
            runner.x = Math.floorMod(runner.x + runner.dx, GRID);
            runner.y = Math.floorMod(runner.y + runner.dy, GRID);
            runner.dx = 0;
            runner.dy = 0;
        }
        Runner it = null;
        for (Runner runner : runners.values()) {
            if (runner.it) {
                it = runner;
            }
        }
        if (it != null) {
            for (Runner other : runners.values()) {
                if (other != it && other.x == it.x && other.y == it.y) {
                    it.it = false;
                    it.tags++;
                    other.it = true;
                    room.broadcastEvent(Tagged.newBuilder().setTagger(it.playerId).setTagged(other.playerId).build());
                    break;
                }
            }
        }
        for (Runner runner : runners.values()) {
            publish(runner);
        }
    }

    private void publish(Runner runner) {
        state.setInt(runner.entity, xField, runner.x);
        state.setInt(runner.entity, yField, runner.y);
        state.setBool(runner.entity, itField, runner.it);
        state.setInt(runner.entity, tagsField, runner.tags);
    }

    @Override
    public void stop() {
        runners.clear();
    }
}
