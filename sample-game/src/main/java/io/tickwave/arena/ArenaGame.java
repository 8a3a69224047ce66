package io.tickwave.arena;

import io.tickwave.arena.protocol.ArenaEvent;
import io.tickwave.arena.protocol.ArenaInfo;
import io.tickwave.arena.protocol.ArenaProto;
import io.tickwave.arena.protocol.Kill;
import io.tickwave.arena.protocol.Obstacle;
import io.tickwave.arena.protocol.PickupSpotInfo;
import io.tickwave.arena.sim.ArenaMap;
import io.tickwave.arena.sim.ArenaRules;
import io.tickwave.arena.sim.ArenaWorld;
import io.tickwave.arena.sim.Bullet;
import io.tickwave.arena.sim.PickupSpot;
import io.tickwave.arena.sim.Rect;
import io.tickwave.arena.sim.Ship;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.Field;
import io.tickwave.replication.ReplicatedState;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.api.SnapshotBuffer;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * The arena sample game as a Tickwave {@link Game}: a thin adapter from the server's callbacks to an
 * {@link ArenaWorld}, which holds every rule, and from the world to the room's {@link ReplicatedState},
 * which the server sends to each player (declared in {@code arena.proto}).
 *
 * <ul>
 *   <li>{@link #input}: decodes {@code ArenaInput} and moves the ship at once, and sets its replicated
 *       position, so {@code Snapshot.ack_input_seq} (the newest input applied) matches the position in
 *       the same snapshot — what the client's reconciliation relies on.</li>
 *   <li>{@link #tick}: advances bullets, hits, respawns and pickups by one fixed step, then mirrors the
 *       world into the replicated state: a {@code Ship} and a {@code PlayerScore} entity per player,
 *       a {@code Bullet} per bullet in flight (set once, when fired), a {@code Pickup} per pickup that
 *       can be taken. Fields are set only when their value changed. A kill is broadcast as an
 *       {@code ArenaEvent}.</li>
 *   <li>In {@link ArenaMode#WORLD}, interest management sends each player the world around their ship
 *       within a byte budget; in {@link ArenaMode#ARENA} everyone sees everything.</li>
 * </ul>
 *
 * <p>Owned by the server's game-loop thread, like every {@link Game}. Steady-state ticks allocate
 * nothing; a join allocates the player's bookkeeping and a kill its event message.
 */
public final class ArenaGame implements Game {

    /** Bullet, ship respawn and other moments travel as the tick modulo this (16-bit fields). */
    private static final int TICK_MASK = 0xFFFF;
    /** World mode: how many score lines everyone is sent (the browser shows as many, then your own). */
    static final int LEADERBOARD_ROWS = 10;

    private final ArenaMode mode;
    private final ArenaRules rules;
    private final ArenaMap fixedMap;
    private final ArenaInputReader inputReader = new ArenaInputReader();
    private final List<Player> players = new ArrayList<>();
    private final Int2ObjectHashMap<Player> playersById = new Int2ObjectHashMap<>();
    private final WorldEvents worldEvents = new WorldEvents();
    /** World mode: the players whose score lines everyone is sent, best first; the rest see only their own. */
    private final Player[] leaders = new Player[LEADERBOARD_ROWS];
    private int leaderCount;
    private RoomContext room;
    private ArenaMap map;
    private ArenaWorld world;
    private ArenaInfo welcomeInfo;
    private double tickSeconds;
    private long currentTick;

    private ReplicatedState state;
    private EntityType shipType;
    private Field shipPlayerId;
    private Field shipX;
    private Field shipY;
    private Field shipAim;
    private Field shipHealth;
    private Field shipAlive;
    private Field shipShielded;
    private Field shipRapidFire;
    private Field shipRespawnTick;
    private EntityType bulletType;
    private Field bulletOwner;
    private Field bulletX;
    private Field bulletY;
    private Field bulletAngle;
    private Field bulletSpawnTick;
    private EntityType pickupType;
    private Field pickupKind;
    private Field pickupX;
    private Field pickupY;
    private Field pickupSpotId;
    private EntityType scoreType;
    private Field scorePlayerId;
    private Field scoreScore;
    private Field scoreDeaths;
    /** Per pickup spot, its replicated entity while the pickup can be taken, else 0. */
    private int[] pickupEntities;

    /** The arena: standard rules and map. */
    public ArenaGame() {
        this(ArenaMode.ARENA);
    }

    /** Standard rules in {@code mode}; the world mode's map comes from the room's seed. */
    public ArenaGame(ArenaMode mode) {
        this(mode, ArenaRules.standard(), null);
    }

    /** The arena mode with these rules and this map. */
    public ArenaGame(ArenaRules rules, ArenaMap map) {
        this(ArenaMode.ARENA, rules, map);
    }

    private ArenaGame(ArenaMode mode, ArenaRules rules, ArenaMap map) {
        this.mode = mode;
        this.rules = rules;
        this.fixedMap = map;
    }

    @Override
    public void start(RoomContext room) {
        this.room = room;
        map = fixedMap != null ? fixedMap : mode.map(room.seed());
        world = new ArenaWorld(rules, map, room.seed(), mode.maxBullets());
        world.setListener(worldEvents);
        tickSeconds = room.tickIntervalNanos() / 1e9;
        currentTick = room.currentTick();
        welcomeInfo = buildWelcomeInfo(mode, rules, map);

        state = room.replicate(ArenaProto.getDescriptor());
        shipType = state.type(io.tickwave.arena.protocol.Ship.getDescriptor());
        shipPlayerId = shipType.field(io.tickwave.arena.protocol.Ship.PLAYER_ID_FIELD_NUMBER);
        shipX = shipType.field(io.tickwave.arena.protocol.Ship.X_FIELD_NUMBER);
        shipY = shipType.field(io.tickwave.arena.protocol.Ship.Y_FIELD_NUMBER);
        shipAim = shipType.field(io.tickwave.arena.protocol.Ship.AIM_FIELD_NUMBER);
        shipHealth = shipType.field(io.tickwave.arena.protocol.Ship.HEALTH_FIELD_NUMBER);
        shipAlive = shipType.field(io.tickwave.arena.protocol.Ship.ALIVE_FIELD_NUMBER);
        shipShielded = shipType.field(io.tickwave.arena.protocol.Ship.SHIELDED_FIELD_NUMBER);
        shipRapidFire = shipType.field(io.tickwave.arena.protocol.Ship.RAPID_FIRE_FIELD_NUMBER);
        shipRespawnTick = shipType.field(io.tickwave.arena.protocol.Ship.RESPAWN_TICK_FIELD_NUMBER);
        bulletType = state.type(io.tickwave.arena.protocol.Bullet.getDescriptor());
        bulletOwner = bulletType.field(io.tickwave.arena.protocol.Bullet.OWNER_ID_FIELD_NUMBER);
        bulletX = bulletType.field(io.tickwave.arena.protocol.Bullet.X_FIELD_NUMBER);
        bulletY = bulletType.field(io.tickwave.arena.protocol.Bullet.Y_FIELD_NUMBER);
        bulletAngle = bulletType.field(io.tickwave.arena.protocol.Bullet.ANGLE_FIELD_NUMBER);
        bulletSpawnTick = bulletType.field(io.tickwave.arena.protocol.Bullet.SPAWN_TICK_FIELD_NUMBER);
        pickupType = state.type(io.tickwave.arena.protocol.Pickup.getDescriptor());
        pickupKind = pickupType.field(io.tickwave.arena.protocol.Pickup.KIND_FIELD_NUMBER);
        pickupX = pickupType.field(io.tickwave.arena.protocol.Pickup.X_FIELD_NUMBER);
        pickupY = pickupType.field(io.tickwave.arena.protocol.Pickup.Y_FIELD_NUMBER);
        pickupSpotId = pickupType.field(io.tickwave.arena.protocol.Pickup.SPOT_ID_FIELD_NUMBER);
        scoreType = state.type(io.tickwave.arena.protocol.PlayerScore.getDescriptor());
        scorePlayerId = scoreType.field(io.tickwave.arena.protocol.PlayerScore.PLAYER_ID_FIELD_NUMBER);
        scoreScore = scoreType.field(io.tickwave.arena.protocol.PlayerScore.SCORE_FIELD_NUMBER);
        scoreDeaths = scoreType.field(io.tickwave.arena.protocol.PlayerScore.DEATHS_FIELD_NUMBER);
        if (mode.viewRadius() > 0) {
            state.setInterest(mode.cellSize(), mode.viewRadius());
            state.setByteBudget(ArenaMode.byteBudget(room.snapshotRateHz()));
        }
        pickupEntities = new int[map.pickupSpots().size()];
        syncPickups();
    }

    /** The world this game drives; for tests and tools on the game-loop thread. */
    public ArenaWorld world() {
        return world;
    }

    /** The mode this game was made for. */
    public ArenaMode mode() {
        return mode;
    }

    @Override
    public void playerJoined(int playerId, String name) {
        if (playersById.containsKey(playerId)) {
            return;
        }
        Player player = new Player(world.addPlayer(playerId));
        player.shipEntity = state.create(shipType);
        player.scoreEntity = state.create(scoreType);
        state.setInt(player.shipEntity, shipPlayerId, playerId);
        state.setInt(player.scoreEntity, scorePlayerId, playerId);
        player.writeAll();
        state.setViewpoint(playerId, player.shipEntity);
        if (mode == ArenaMode.WORLD) {
            state.setOnlyVisibleTo(player.scoreEntity, playerId); // until the leaderboard takes it in
        }
        players.add(player);
        playersById.put(playerId, player);
    }

    @Override
    public void writeWelcomeInfo(int playerId, SnapshotBuffer out) {
        out.write(welcomeInfo);
    }

    @Override
    public void playerLeft(int playerId) {
        Player player = playersById.remove(playerId);
        if (player != null) {
            players.remove(player);
            state.destroy(player.shipEntity);
            state.destroy(player.scoreEntity);
        }
        world.removePlayer(playerId);
    }

    @Override
    public void input(int playerId, long seq, InputPayload payload) {
        if (inputReader.read(payload.array(), payload.offset(), payload.length())) {
            world.applyInput(playerId, inputReader.moveX, inputReader.moveY, inputReader.aim, inputReader.fire);
            Player player = playersById.get(playerId);
            if (player != null) {
                player.sync();
            }
        }
    }

    @Override
    public void tick(long tick) {
        currentTick = tick;
        world.step(tickSeconds);
        for (int i = 0, n = players.size(); i < n; i++) {
            players.get(i).sync();
        }
        if (mode == ArenaMode.WORLD && tick % room.tickRateHz() == 0) {
            updateLeaderboard();
        }
        for (int i = 0, n = world.bulletCount(); i < n; i++) {
            Bullet b = world.bulletAt(i);
            if (b.tag == 0) {
                b.tag = createBullet(b);
            }
        }
        syncPickups();
    }

    /**
     * World mode, once a second: the {@value #LEADERBOARD_ROWS} best players' score lines go to everyone,
     * every other line only to its own player. Sending all 1,000 lines to all 1,000 players would make
     * each viewer's relevant set a thousand entities long, the whole cost of a snapshot; this way each
     * viewer holds at most {@value #LEADERBOARD_ROWS} + 1 of them. Allocation-free: a selection over the
     * players, ties broken by fewer deaths, then the lower id (as the browser ranks them).
     */
    private void updateLeaderboard() {
        int count = 0;
        for (int i = 0, n = players.size(); i < n; i++) {
            Player candidate = players.get(i);
            int at = count;
            while (at > 0 && ranksAbove(candidate, leaders[at - 1])) {
                at--;
            }
            if (at < LEADERBOARD_ROWS) {
                int last = Math.min(count, LEADERBOARD_ROWS - 1);
                System.arraycopy(leaders, at, leaders, at + 1, last - at);
                leaders[at] = candidate;
                count = Math.min(count + 1, LEADERBOARD_ROWS);
            }
        }
        for (int i = 0, n = players.size(); i < n; i++) {
            Player player = players.get(i);
            boolean leading = false;
            for (int r = 0; r < count; r++) {
                leading |= leaders[r] == player;
            }
            if (leading != player.onLeaderboard) {
                player.onLeaderboard = leading;
                state.setOnlyVisibleTo(player.scoreEntity, leading ? 0 : player.ship.playerId());
            }
        }
        for (int r = count; r < leaderCount; r++) {
            leaders[r] = null;
        }
        leaderCount = count;
    }

    private static boolean ranksAbove(Player a, Player b) {
        if (a.score != b.score) {
            return a.score > b.score;
        }
        if (a.deaths != b.deaths) {
            return a.deaths < b.deaths;
        }
        return a.ship.playerId() < b.ship.playerId();
    }

    /** A just-fired bullet's entity: every field is final, the client flies it from here. */
    private int createBullet(Bullet b) {
        int entity = state.create(bulletType);
        state.setInt(entity, bulletOwner, b.ownerId());
        state.setFloat(entity, bulletX, b.x());
        state.setFloat(entity, bulletY, b.y());
        state.setFloat(entity, bulletAngle, b.angle());
        state.setInt(entity, bulletSpawnTick, (int) (currentTick & TICK_MASK));
        return entity;
    }

    private void syncPickups() {
        List<PickupSpot> spots = map.pickupSpots();
        for (int i = 0; i < pickupEntities.length; i++) {
            boolean available = world.pickupAvailable(i);
            if (available && pickupEntities[i] == 0) {
                PickupSpot spot = spots.get(i);
                int entity = state.create(pickupType);
                state.setInt(entity, pickupKind, spot.kind());
                state.setFloat(entity, pickupX, spot.x());
                state.setFloat(entity, pickupY, spot.y());
                state.setInt(entity, pickupSpotId, spot.id());
                pickupEntities[i] = entity;
            } else if (!available && pickupEntities[i] != 0) {
                state.destroy(pickupEntities[i]);
                pickupEntities[i] = 0;
            }
        }
    }

    @Override
    public void stop() {
        world = null;
        players.clear();
        playersById.clear();
    }

    /** What the world tells the game during a step: bullets gone and kills. */
    private final class WorldEvents implements ArenaWorld.Listener {
        @Override
        public void bulletRemoved(Bullet bullet) {
            if (bullet.tag != 0) { // 0: fired and spent within one step, never replicated
                state.destroy(bullet.tag);
                bullet.tag = 0;
            }
        }

        @Override
        public void shipDestroyed(Ship victim, int killerId) {
            room.broadcastEvent(ArenaEvent.newBuilder()
                    .setKill(Kill.newBuilder().setKillerId(killerId).setVictimId(victim.playerId()))
                    .build());
        }
    }

    /**
     * One player's ship and scoreboard line and the values last set on them, so that a field is set
     * only when it changed.
     */
    private final class Player {
        final Ship ship;
        int shipEntity;
        int scoreEntity;
        /** World mode: this player's score line goes to everyone. */
        boolean onLeaderboard;
        double x;
        double y;
        double aim;
        int health;
        boolean alive;
        boolean shielded;
        boolean rapidFire;
        int score;
        int deaths;

        Player(Ship ship) {
            this.ship = ship;
        }

        void writeAll() {
            x = ship.x();
            y = ship.y();
            aim = ship.aim();
            health = ship.health();
            alive = ship.alive();
            shielded = ship.shielded();
            rapidFire = ship.rapidFire();
            score = ship.score();
            deaths = ship.deaths();
            state.setFloat(shipEntity, shipX, x);
            state.setFloat(shipEntity, shipY, y);
            state.setFloat(shipEntity, shipAim, aim);
            state.setInt(shipEntity, shipHealth, health);
            state.setBool(shipEntity, shipAlive, alive);
            state.setBool(shipEntity, shipShielded, shielded);
            state.setBool(shipEntity, shipRapidFire, rapidFire);
            state.setInt(scoreEntity, scoreScore, score);
            state.setInt(scoreEntity, scoreDeaths, deaths);
        }

        void sync() {
            if (ship.x() != x) {
                x = ship.x();
                state.setFloat(shipEntity, shipX, x);
            }
            if (ship.y() != y) {
                y = ship.y();
                state.setFloat(shipEntity, shipY, y);
            }
            if (ship.aim() != aim) {
                aim = ship.aim();
                state.setFloat(shipEntity, shipAim, aim);
            }
            if (ship.health() != health) {
                health = ship.health();
                state.setInt(shipEntity, shipHealth, health);
            }
            if (ship.alive() != alive) {
                alive = ship.alive();
                if (!alive) {
                    // Died in this step: the world counts the timer down from the next step on and
                    // respawns the ship in the step that takes it to zero.
                    long respawnTick = currentTick + (long) Math.ceil(ship.respawnTimer() / tickSeconds - 1e-9);
                    state.setInt(shipEntity, shipRespawnTick, (int) (respawnTick & TICK_MASK));
                }
                state.setBool(shipEntity, shipAlive, alive);
            }
            if (ship.shielded() != shielded) {
                shielded = ship.shielded();
                state.setBool(shipEntity, shipShielded, shielded);
            }
            if (ship.rapidFire() != rapidFire) {
                rapidFire = ship.rapidFire();
                state.setBool(shipEntity, shipRapidFire, rapidFire);
            }
            if (ship.score() != score) {
                score = ship.score();
                state.setInt(scoreEntity, scoreScore, score);
            }
            if (ship.deaths() != deaths) {
                deaths = ship.deaths();
                state.setInt(scoreEntity, scoreDeaths, deaths);
            }
        }
    }

    /** The static data every player gets once: the map and the numbers the client predicts and draws with. */
    static ArenaInfo buildWelcomeInfo(ArenaMode mode, ArenaRules rules, ArenaMap map) {
        ArenaInfo.Builder info = ArenaInfo.newBuilder()
                .setWidth((float) map.width())
                .setHeight((float) map.height())
                .setShipSpeed((float) rules.shipSpeed())
                .setShipRadius((float) rules.shipRadius())
                .setInputRateHz(rules.inputRateHz())
                .setBulletSpeed((float) rules.bulletSpeed())
                .setBulletRadius((float) rules.bulletRadius())
                .setBulletLifetime((float) rules.bulletLifetimeSeconds())
                .setMaxHealth(rules.maxHealth())
                .setViewRadius((float) mode.viewRadius())
                .setMode(mode.label());
        for (Rect r : map.obstacles()) {
            info.addObstacles(Obstacle.newBuilder()
                    .setX((float) r.x()).setY((float) r.y()).setW((float) r.w()).setH((float) r.h()));
        }
        for (PickupSpot p : map.pickupSpots()) {
            info.addPickupSpots(PickupSpotInfo.newBuilder()
                    .setId(p.id()).setKind(p.kind()).setX((float) p.x()).setY((float) p.y()));
        }
        return info.build();
    }
}
