package io.tickwave.arena;

import com.google.protobuf.CodedOutputStream;
import io.tickwave.arena.protocol.ArenaInfo;
import io.tickwave.arena.protocol.Obstacle;
import io.tickwave.arena.protocol.Pickup;
import io.tickwave.arena.sim.ArenaMap;
import io.tickwave.arena.sim.ArenaRules;
import io.tickwave.arena.sim.ArenaWorld;
import io.tickwave.arena.sim.PickupSpot;
import io.tickwave.arena.sim.Rect;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.api.SnapshotBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The arena sample game as a Tickwave {@link Game}: a thin adapter from the server's callbacks to an
 * {@link ArenaWorld}, which holds every rule.
 *
 * <ul>
 *   <li>{@link #input}: decodes {@code ArenaInput} and moves the ship at once, so
 *       {@code Snapshot.ack_input_seq} (the newest input applied) matches the position in the same
 *       snapshot — what the client's reconciliation relies on.</li>
 *   <li>{@link #tick}: advances bullets, hits, respawns and pickups by one fixed step.</li>
 *   <li>{@link #writeSnapshot}: everybody sees the whole arena, so {@link #viewKey} is constant and the
 *       server encodes the state once per snapshot for all viewers.</li>
 * </ul>
 *
 * <p>Owned by the server's game-loop thread, like every {@link Game}.
 */
public final class ArenaGame implements Game {

    private final ArenaRules rules;
    private final ArenaMap map;
    private final ArenaInputReader inputReader = new ArenaInputReader();
    private ArenaWorld world;
    private ArenaInfo welcomeInfo;
    private double tickSeconds;

    /** The standard rules and map. */
    public ArenaGame() {
        this(ArenaRules.standard(), ArenaMap.standard());
    }

    public ArenaGame(ArenaRules rules, ArenaMap map) {
        this.rules = rules;
        this.map = map;
    }

    @Override
    public void start(RoomContext room) {
        world = new ArenaWorld(rules, map, room.seed());
        tickSeconds = room.tickIntervalNanos() / 1e9;
        welcomeInfo = buildWelcomeInfo(rules, map);
    }

    /** The world this game drives; for tests and tools on the game-loop thread. */
    public ArenaWorld world() {
        return world;
    }

    @Override
    public void playerJoined(int playerId, String name) {
        world.addPlayer(playerId);
    }

    @Override
    public void writeWelcomeInfo(int playerId, SnapshotBuffer out) {
        try {
            welcomeInfo.writeTo(out.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void playerLeft(int playerId) {
        world.removePlayer(playerId);
    }

    @Override
    public void input(int playerId, long seq, InputPayload payload) {
        if (inputReader.read(payload.array(), payload.offset(), payload.length())) {
            world.applyInput(playerId, inputReader.moveX, inputReader.moveY, inputReader.aim, inputReader.fire);
        }
    }

    @Override
    public void tick(long tick) {
        world.step(tickSeconds);
    }

    @Override
    public long viewKey(int viewerId) {
        return 0;
    }

    @Override
    public void writeSnapshot(int viewerId, long baselineTick, SnapshotBuffer out) {
        CodedOutputStream output = out.output();
        try {
            ArenaStateWriter.write(world, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        world = null;
    }

    /** The static data every player gets once: the map and the numbers the client predicts with. */
    static ArenaInfo buildWelcomeInfo(ArenaRules rules, ArenaMap map) {
        ArenaInfo.Builder info = ArenaInfo.newBuilder()
                .setWidth((float) map.width())
                .setHeight((float) map.height())
                .setShipSpeed((float) rules.shipSpeed())
                .setShipRadius((float) rules.shipRadius())
                .setInputRateHz(rules.inputRateHz())
                .setBulletSpeed((float) rules.bulletSpeed())
                .setBulletRadius((float) rules.bulletRadius())
                .setMaxHealth(rules.maxHealth());
        for (Rect r : map.obstacles()) {
            info.addObstacles(Obstacle.newBuilder()
                    .setX((float) r.x()).setY((float) r.y()).setW((float) r.w()).setH((float) r.h()));
        }
        for (PickupSpot p : map.pickupSpots()) {
            info.addPickupSpots(Pickup.newBuilder()
                    .setId(p.id()).setKind(p.kind()).setX((float) p.x()).setY((float) p.y()));
        }
        return info.build();
    }
}
