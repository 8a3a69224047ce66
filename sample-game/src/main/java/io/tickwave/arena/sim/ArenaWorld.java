package io.tickwave.arena.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The whole simulation of one arena: ships, bullets, pickups and the recent kills, and every rule of
 * the game. Knows nothing about the network or the server; {@code ArenaGame} adapts it to the Game API.
 *
 * <p><b>Threading.</b> Not thread-safe; owned by one thread (the server's game-loop thread).
 *
 * <p><b>Determinism.</b> The same seed, the same calls with the same arguments in the same order give
 * the same state: iteration follows join order and the only randomness comes from a
 * {@link SplittableRandom} seeded at construction.
 *
 * <p><b>Allocation.</b> Steady-state ticks and inputs allocate nothing: bullets and kills live in
 * pools sized at construction; a ship is allocated when a player joins.
 *
 * <p><b>Observing.</b> A {@link Listener} hears what a look at the state after a step cannot tell:
 * which bullets went, and who destroyed whom.
 */
public final class ArenaWorld {

    /** The default for the most bullets in flight at once; shots beyond the limit are not fired. */
    public static final int MAX_BULLETS = 1024;

    /**
     * Hears the world's one-off happenings, on the thread that steps the world, during {@link #step}.
     * A listener must not change the world.
     */
    public interface Listener {
        /** A bullet hit something or flew its lifetime; its object is reused after this call. */
        default void bulletRemoved(Bullet bullet) {
        }

        /** {@code victim} was destroyed by a bullet of {@code killerId} (who may have left the room). */
        default void shipDestroyed(Ship victim, int killerId) {
        }
    }

    private static final Listener NOBODY = new Listener() {
    };

    private static final int KILL_RING = 16;
    private static final double PICKUP_REACH = 16;
    private static final double BULLET_SUBSTEP = 8;
    private static final double MIN_SPAWN_DISTANCE = 220;

    private final ArenaRules rules;
    private final ArenaMap map;
    private final SplittableRandom random;
    private final List<Ship> ships = new ArrayList<>();
    private final Bullet[] bullets;
    private final ShipGrid shipGrid;
    private Listener listener = NOBODY;
    private int bulletCount;
    private int nextBulletId = 1;
    private final boolean[] pickupAvailable;
    private final double[] pickupTimer;
    private final Kill[] kills = new Kill[KILL_RING];
    private int killStart;
    private int killCount;
    private int nextKillId = 1;
    private double time;

    public ArenaWorld(ArenaRules rules, ArenaMap map, long seed) {
        this(rules, map, seed, MAX_BULLETS);
    }

    /** A world with room for {@code maxBullets} bullets in flight (a bigger map with more ships needs more). */
    public ArenaWorld(ArenaRules rules, ArenaMap map, long seed, int maxBullets) {
        this.rules = rules;
        this.map = map;
        this.random = new SplittableRandom(seed);
        this.bullets = new Bullet[maxBullets];
        // Cells a few times a hit's reach: a bullet's test spans one to four cells.
        this.shipGrid = new ShipGrid(map.width(), map.height(), 4 * (rules.shipRadius() + rules.bulletRadius()));
        for (int i = 0; i < bullets.length; i++) {
            bullets[i] = new Bullet();
        }
        for (int i = 0; i < kills.length; i++) {
            kills[i] = new Kill();
        }
        int spots = map.pickupSpots().size();
        pickupAvailable = new boolean[spots];
        pickupTimer = new double[spots];
        Arrays.fill(pickupAvailable, true);
    }

    /** Replaces the listener (null: none). */
    public void setListener(Listener newListener) {
        listener = newListener == null ? NOBODY : newListener;
    }

    public ArenaRules rules() {
        return rules;
    }

    public ArenaMap map() {
        return map;
    }

    /** Simulated seconds since the world began. */
    public double time() {
        return time;
    }

    // ------------------------------------------------------------------ players

    /** Adds a ship for the player at a free random spot, alive, shielded, with a full movement budget. */
    public Ship addPlayer(int playerId) {
        Ship existing = ship(playerId);
        if (existing != null) {
            return existing;
        }
        Ship ship = new Ship(playerId);
        ships.add(ship);
        ship.moveBudget = rules.maxMoveBudgetSeconds();
        spawn(ship);
        return ship;
    }

    /** Removes the player's ship; their bullets keep flying but score nobody. */
    public void removePlayer(int playerId) {
        for (int i = 0; i < ships.size(); i++) {
            if (ships.get(i).playerId == playerId) {
                ships.remove(i);
                return;
            }
        }
    }

    /** The player's ship, or null. */
    public Ship ship(int playerId) {
        for (int i = 0; i < ships.size(); i++) {
            Ship s = ships.get(i);
            if (s.playerId == playerId) {
                return s;
            }
        }
        return null;
    }

    public int shipCount() {
        return ships.size();
    }

    /** The i-th ship in join order. */
    public Ship shipAt(int i) {
        return ships.get(i);
    }

    // ------------------------------------------------------------------ inputs

    /**
     * One input of a player: sets aim and trigger, and moves a living ship for one input step
     * ({@link ArenaRules#inputStepSeconds()}) — less if its movement budget is short, which is what
     * stops a client that sends inputs too fast from moving faster. Unknown players are ignored.
     */
    public void applyInput(int playerId, int moveX, int moveY, double aim, boolean fire) {
        Ship ship = ship(playerId);
        if (ship == null) {
            return;
        }
        if (Double.isFinite(aim)) {
            ship.aim = aim;
        }
        ship.fireHeld = fire;
        if (!ship.alive) {
            return;
        }
        double seconds = Math.min(rules.inputStepSeconds(), ship.moveBudget);
        if (seconds <= 0) {
            return;
        }
        ship.moveBudget -= seconds;
        ShipMovement.move(map, rules, ship, moveX, moveY, seconds);
    }

    // ------------------------------------------------------------------ the step

    /** Advances the world by {@code seconds}: timers, respawns, shots, bullets and hits, pickups, the kill feed. */
    public void step(double seconds) {
        time += seconds;
        for (int i = 0; i < ships.size(); i++) {
            stepShip(ships.get(i), seconds);
        }
        shipGrid.rebuild(ships); // after respawns; ships stay put while bullets move
        moveBullets(seconds);
        stepPickups(seconds);
        while (killCount > 0 && time - kills[killStart].at > rules.killFeedSeconds()) {
            killStart = (killStart + 1) % KILL_RING;
            killCount--;
        }
    }

    private void stepShip(Ship ship, double seconds) {
        ship.moveBudget = Math.min(rules.maxMoveBudgetSeconds(), ship.moveBudget + seconds);
        if (!ship.alive) {
            ship.respawnTimer -= seconds;
            if (ship.respawnTimer <= 0) {
                spawn(ship);
            }
            return;
        }
        ship.shieldTimer = Math.max(0, ship.shieldTimer - seconds);
        ship.rapidFireTimer = Math.max(0, ship.rapidFireTimer - seconds);
        ship.fireCooldown = Math.max(0, ship.fireCooldown - seconds);
        if (ship.fireHeld && ship.fireCooldown <= 0) {
            fire(ship);
            ship.fireCooldown = ship.rapidFireTimer > 0 ? rules.rapidFireCooldownSeconds() : rules.fireCooldownSeconds();
        }
    }

    private void fire(Ship ship) {
        if (bulletCount == bullets.length) {
            return;
        }
        double dx = Math.cos(ship.aim);
        double dy = Math.sin(ship.aim);
        double muzzle = rules.shipRadius() + rules.bulletRadius() + 2;
        Bullet b = bullets[bulletCount++];
        b.id = nextBulletId++;
        b.ownerId = ship.playerId;
        b.x = ship.x + dx * muzzle;
        b.y = ship.y + dy * muzzle;
        b.vx = dx * rules.bulletSpeed();
        b.vy = dy * rules.bulletSpeed();
        b.angle = ship.aim;
        b.tag = 0;
        b.life = rules.bulletLifetimeSeconds();
    }

    /** Moves every bullet in sub-steps no longer than {@value #BULLET_SUBSTEP} units, so none tunnels through a ship or a wall. */
    private void moveBullets(double seconds) {
        int i = 0;
        while (i < bulletCount) {
            Bullet b = bullets[i];
            if (advanceBullet(b, seconds)) {
                i++;
            } else {
                removeBullet(i);
            }
        }
    }

    /** Returns false when the bullet is spent (hit something or expired). */
    private boolean advanceBullet(Bullet b, double seconds) {
        double flight = Math.min(seconds, b.life);
        b.life -= seconds;
        double distance = rules.bulletSpeed() * flight;
        int substeps = Math.max(1, (int) Math.ceil(distance / BULLET_SUBSTEP));
        double sx = b.vx * flight / substeps;
        double sy = b.vy * flight / substeps;
        double reach = rules.shipRadius() + rules.bulletRadius();
        for (int s = 0; s < substeps; s++) {
            b.x += sx;
            b.y += sy;
            if (map.solidAt(b.x, b.y)) {
                return false;
            }
            int k = shipGrid.firstReached(ships, b.x, b.y, reach, b.ownerId);
            if (k >= 0) {
                hit(ships.get(k), b.ownerId);
                return false;
            }
        }
        return b.life > 0;
    }

    private void hit(Ship target, int shooterId) {
        if (target.shieldTimer > 0) {
            return;
        }
        target.health -= rules.bulletDamage();
        if (target.health > 0) {
            return;
        }
        target.health = 0;
        target.alive = false;
        target.deaths++;
        target.respawnTimer = rules.respawnSeconds();
        target.fireHeld = false;
        Ship shooter = ship(shooterId);
        if (shooter != null) {
            shooter.score++;
        }
        recordKill(shooterId, target.playerId);
        listener.shipDestroyed(target, shooterId);
    }

    private void recordKill(int killerId, int victimId) {
        if (killCount == KILL_RING) {
            killStart = (killStart + 1) % KILL_RING;
            killCount--;
        }
        Kill k = kills[(killStart + killCount) % KILL_RING];
        killCount++;
        k.id = nextKillId++;
        k.killerId = killerId;
        k.victimId = victimId;
        k.at = time;
    }

    /** Swap-remove: keeps the pool dense; the order change is itself deterministic. */
    private void removeBullet(int index) {
        int last = bulletCount - 1;
        Bullet gone = bullets[index];
        listener.bulletRemoved(gone);
        bullets[index] = bullets[last];
        bullets[last] = gone;
        bulletCount--;
    }

    private void stepPickups(double seconds) {
        List<PickupSpot> spots = map.pickupSpots();
        double reach = rules.shipRadius() + PICKUP_REACH;
        for (int p = 0; p < spots.size(); p++) {
            if (!pickupAvailable[p]) {
                pickupTimer[p] -= seconds;
                if (pickupTimer[p] <= 0) {
                    pickupAvailable[p] = true;
                }
                continue;
            }
            PickupSpot spot = spots.get(p);
            for (int k = 0; k < ships.size(); k++) {
                Ship ship = ships.get(k);
                double dx = ship.x - spot.x();
                double dy = ship.y - spot.y();
                if (ship.alive && dx * dx + dy * dy <= reach * reach && take(ship, spot)) {
                    pickupAvailable[p] = false;
                    pickupTimer[p] = rules.pickupRespawnSeconds();
                    break;
                }
            }
        }
    }

    /** Applies the pickup; false when the ship has no use for it (a repair at full health stays on the floor). */
    private boolean take(Ship ship, PickupSpot spot) {
        if (spot.kind() == PickupSpot.REPAIR) {
            if (ship.health >= rules.maxHealth()) {
                return false;
            }
            ship.health = Math.min(rules.maxHealth(), ship.health + rules.repairAmount());
            return true;
        }
        ship.rapidFireTimer = rules.rapidFireSeconds();
        return true;
    }

    private void spawn(Ship ship) {
        double r = rules.shipRadius();
        double margin = r + 30;
        double bestX = map.width() / 2;
        double bestY = r + 1;
        double bestDistance = -1;
        for (int attempt = 0; attempt < 40; attempt++) {
            double x = margin + random.nextDouble() * (map.width() - 2 * margin);
            double y = margin + random.nextDouble() * (map.height() - 2 * margin);
            if (map.blocked(x, y, r + 10)) {
                continue;
            }
            double nearest = nearestEnemyDistance(ship, x, y);
            if (nearest > bestDistance) {
                bestX = x;
                bestY = y;
                bestDistance = nearest;
            }
            if (nearest >= MIN_SPAWN_DISTANCE) {
                break;
            }
        }
        ship.x = bestX;
        ship.y = bestY;
        ship.alive = true;
        ship.health = rules.maxHealth();
        ship.respawnTimer = 0;
        ship.fireCooldown = 0;
        ship.rapidFireTimer = 0;
        ship.shieldTimer = rules.shieldSeconds();
    }

    private double nearestEnemyDistance(Ship self, double x, double y) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < ships.size(); i++) {
            Ship other = ships.get(i);
            if (other == self || !other.alive) {
                continue;
            }
            double dx = other.x - x;
            double dy = other.y - y;
            best = Math.min(best, Math.sqrt(dx * dx + dy * dy));
        }
        return best;
    }

    // ------------------------------------------------------------------ reading the state

    public int bulletCount() {
        return bulletCount;
    }

    /** The i-th bullet in flight, valid until the next step. */
    public Bullet bulletAt(int i) {
        return bullets[i];
    }

    /** Whether the pickup at spot index {@code i} (of {@link ArenaMap#pickupSpots()}) can be taken now. */
    public boolean pickupAvailable(int i) {
        return pickupAvailable[i];
    }

    /** Kills of the last {@link ArenaRules#killFeedSeconds()}, oldest first. */
    public int recentKillCount() {
        return killCount;
    }

    public Kill recentKillAt(int i) {
        return kills[(killStart + i) % KILL_RING];
    }
}
