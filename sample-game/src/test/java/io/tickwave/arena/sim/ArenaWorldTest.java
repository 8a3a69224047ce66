package io.tickwave.arena.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import io.tickwave.arena.ArenaStateWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The rules of the arena, driven directly: no server, no sockets, no threads. */
class ArenaWorldTest {

    private static final double TICK = 1.0 / 30;
    private static final double EPS = 1e-9;
    private final ArenaRules rules = ArenaRules.standard();
    private final ArenaMap openMap = new ArenaMap(1000, 1000, List.of(), List.of());

    private ArenaWorld openWorld() {
        return new ArenaWorld(rules, openMap, 42);
    }

    /** Steps until spawn shields are gone, without anybody doing anything. */
    private void waitOutShields(ArenaWorld world) {
        for (int i = 0; i < (int) Math.ceil(rules.shieldSeconds() / TICK) + 1; i++) {
            world.step(TICK);
        }
    }

    private static void stepSeconds(ArenaWorld world, double seconds) {
        int n = (int) Math.ceil(seconds / TICK);
        for (int i = 0; i < n; i++) {
            world.step(TICK);
        }
    }

    @Test
    void shouldMoveShipByShipSpeedTimesInputStep() {
        ArenaWorld world = openWorld();
        Ship ship = world.addPlayer(1);
        ship.placeAt(500, 500);

        world.applyInput(1, 1, 0, 0, false);

        assertEquals(500 + rules.shipSpeed() / rules.inputRateHz(), ship.x(), EPS);
        assertEquals(500, ship.y(), EPS);
    }

    @Test
    void shouldMoveDiagonallyNoFasterThanStraight() {
        ArenaWorld world = openWorld();
        Ship ship = world.addPlayer(1);
        ship.placeAt(500, 500);

        world.applyInput(1, 1, 1, 0, false);

        double moved = Math.hypot(ship.x() - 500, ship.y() - 500);
        assertEquals(rules.shipSpeed() / rules.inputRateHz(), moved, 1e-6);
        assertTrue(ship.x() > 500 && ship.y() > 500);
    }

    @Test
    void shouldStopShipAtObstacleAndSlideAlongIt() {
        Rect wall = new Rect(600, 0, 40, 1000);
        ArenaWorld world = new ArenaWorld(rules, new ArenaMap(1000, 1000, List.of(wall), List.of()), 1);
        Ship ship = world.addPlayer(1);
        ship.placeAt(500, 500);

        for (int i = 0; i < 60; i++) {
            world.applyInput(1, 1, 1, 0, false);
            world.step(TICK);
        }

        assertEquals(wall.x() - rules.shipRadius(), ship.x(), 1e-6, "pressed against the wall, not through it");
        assertTrue(ship.y() > 700, "slid down along the wall, y=" + ship.y());
    }

    @Test
    void shouldKeepShipInsideArena() {
        ArenaWorld world = openWorld();
        Ship ship = world.addPlayer(1);
        ship.placeAt(50, 50);

        for (int i = 0; i < 60; i++) {
            world.applyInput(1, -1, -1, 0, false);
            world.step(TICK);
        }

        assertEquals(rules.shipRadius(), ship.x(), EPS);
        assertEquals(rules.shipRadius(), ship.y(), EPS);
    }

    @Test
    void shouldNotMoveFasterWhenInputsArriveFasterThanTheInputRate() {
        ArenaWorld world = openWorld();
        Ship ship = world.addPlayer(1);
        ship.placeAt(100, 500);

        for (int i = 0; i < 200; i++) {
            world.applyInput(1, 1, 0, 0, false);
        }

        double limit = rules.maxMoveBudgetSeconds() * rules.shipSpeed();
        assertEquals(100 + limit, ship.x(), 1e-6, "a burst of inputs moves at most the banked budget");
    }

    @Test
    void shouldDamageShipHitByBullet() {
        ArenaWorld world = openWorld();
        Ship shooter = world.addPlayer(1);
        Ship target = world.addPlayer(2);
        waitOutShields(world);
        shooter.placeAt(200, 500);
        target.placeAt(400, 500);

        world.applyInput(1, 0, 0, 0, true);
        world.step(TICK);
        world.applyInput(1, 0, 0, 0, false);
        stepSeconds(world, 0.5);

        assertEquals(rules.maxHealth() - rules.bulletDamage(), target.health());
        assertEquals(rules.maxHealth(), shooter.health());
        assertEquals(0, world.bulletCount(), "the bullet is spent on the hit");
    }

    @Test
    void shouldDestroyShipAfterEnoughHitsAndCreditTheShooter() {
        ArenaWorld world = openWorld();
        Ship shooter = world.addPlayer(1);
        Ship target = world.addPlayer(2);
        waitOutShields(world);
        shooter.placeAt(200, 500);
        target.placeAt(400, 500);

        world.applyInput(1, 0, 0, 0, true);
        for (int i = 0; i < 90 && target.alive(); i++) {
            world.step(TICK);
        }

        assertFalse(target.alive());
        assertEquals(0, target.health());
        assertEquals(1, target.deaths());
        assertEquals(1, shooter.score());
        assertEquals(0, target.score());
        assertEquals(1, world.recentKillCount());
        assertEquals(1, world.recentKillAt(0).killerId());
        assertEquals(2, world.recentKillAt(0).victimId());
    }

    @Test
    void shouldRespawnShipAfterDeath() {
        ArenaWorld world = openWorld();
        Ship shooter = world.addPlayer(1);
        Ship target = world.addPlayer(2);
        waitOutShields(world);
        shooter.placeAt(200, 500);
        target.placeAt(400, 500);
        world.applyInput(1, 0, 0, 0, true);
        for (int i = 0; i < 90 && target.alive(); i++) {
            world.step(TICK);
        }
        world.applyInput(1, 0, 0, 0, false);
        assertFalse(target.alive());

        stepSeconds(world, rules.respawnSeconds() / 2);
        assertFalse(target.alive(), "still waiting half-way through the respawn delay");
        stepSeconds(world, rules.respawnSeconds() / 2 + TICK);

        assertTrue(target.alive());
        assertEquals(rules.maxHealth(), target.health());
        assertTrue(target.shielded(), "a fresh ship gets a spawn shield");
        assertEquals(1, target.deaths(), "deaths survive the respawn");
        assertFalse(openMap.blocked(target.x(), target.y(), rules.shipRadius()));
    }

    @Test
    void shouldIgnoreMovementOfDestroyedShip() {
        ArenaWorld world = openWorld();
        Ship ship = world.addPlayer(1);
        ship.placeAt(500, 500);
        ship.alive = false;
        ship.respawnTimer = 10;

        world.applyInput(1, 1, 0, 0, false);

        assertEquals(500, ship.x(), EPS);
    }

    @Test
    void shouldNotHurtShieldedShip() {
        ArenaWorld world = openWorld();
        Ship shooter = world.addPlayer(1);
        Ship target = world.addPlayer(2);
        shooter.placeAt(200, 500);
        target.placeAt(300, 500);
        target.shieldTimer = 100;

        world.applyInput(1, 0, 0, 0, true);
        stepSeconds(world, 1);

        assertEquals(rules.maxHealth(), target.health());
    }

    @Test
    void shouldNeverHitOwnShip() {
        ArenaWorld world = openWorld();
        Ship ship = world.addPlayer(1);
        waitOutShields(world);
        ship.placeAt(500, 500);

        for (int i = 0; i < 60; i++) {
            world.applyInput(1, i % 3 - 1, 0, i * 0.7, true);
            world.step(TICK);
        }

        assertTrue(world.bulletCount() > 0);
        assertEquals(rules.maxHealth(), ship.health());
    }

    @Test
    void shouldStopBulletsAtObstacles() {
        Rect wall = new Rect(300, 0, 30, 1000);
        ArenaWorld world = new ArenaWorld(rules, new ArenaMap(1000, 1000, List.of(wall), List.of()), 1);
        Ship shooter = world.addPlayer(1);
        Ship target = world.addPlayer(2);
        waitOutShields(world);
        shooter.placeAt(200, 500);
        target.placeAt(400, 500);

        world.applyInput(1, 0, 0, 0, true);
        stepSeconds(world, 2);

        assertEquals(rules.maxHealth(), target.health());
        for (int i = 0; i < world.bulletCount(); i++) {
            assertTrue(world.bulletAt(i).x() < wall.x(), "no bullet beyond the wall");
        }
    }

    @Test
    void shouldExpireBulletsAfterTheirLifetime() {
        ArenaWorld world = new ArenaWorld(rules, new ArenaMap(5000, 1000, List.of(), List.of()), 1);
        Ship ship = world.addPlayer(1);
        ship.placeAt(100, 500);

        world.applyInput(1, 0, 0, 0, true);
        world.step(TICK);
        world.applyInput(1, 0, 0, 0, false);
        assertEquals(1, world.bulletCount());
        stepSeconds(world, rules.bulletLifetimeSeconds() + 0.1);

        assertEquals(0, world.bulletCount());
    }

    @Test
    void shouldRepairDamagedShipOnRepairPickupAndTakeItAway() {
        PickupSpot repair = new PickupSpot(1, PickupSpot.REPAIR, 500, 500);
        ArenaWorld world = new ArenaWorld(rules, new ArenaMap(1000, 1000, List.of(), List.of(repair)), 1);
        Ship ship = world.addPlayer(1);
        ship.placeAt(500, 500);
        ship.health = 30;

        world.step(TICK);

        assertEquals(30 + rules.repairAmount(), ship.health());
        assertFalse(world.pickupAvailable(0));
        ship.placeAt(100, 100);
        stepSeconds(world, rules.pickupRespawnSeconds() + 0.1);
        assertTrue(world.pickupAvailable(0), "the pickup comes back");
    }

    @Test
    void shouldLeaveRepairOnTheFloorForAShipAtFullHealth() {
        PickupSpot repair = new PickupSpot(1, PickupSpot.REPAIR, 500, 500);
        ArenaWorld world = new ArenaWorld(rules, new ArenaMap(1000, 1000, List.of(), List.of(repair)), 1);
        Ship ship = world.addPlayer(1);
        ship.placeAt(500, 500);

        world.step(TICK);

        assertTrue(world.pickupAvailable(0));
    }

    @Test
    void shouldFireFasterWithRapidFire() {
        PickupSpot rapid = new PickupSpot(1, PickupSpot.RAPID_FIRE, 100, 500);
        ArenaMap map = new ArenaMap(5000, 1000, List.of(), List.of(rapid));
        ArenaWorld normal = new ArenaWorld(rules, map, 1);
        normal.addPlayer(1).placeAt(100, 300);
        ArenaWorld boosted = new ArenaWorld(rules, map, 1);
        Ship ship = boosted.addPlayer(1);
        ship.placeAt(100, 500);
        boosted.step(TICK);
        assertTrue(ship.rapidFire());

        normal.applyInput(1, 0, 0, 0, true);
        boosted.applyInput(1, 0, 0, 0, true);
        stepSeconds(normal, 0.5);
        stepSeconds(boosted, 0.5);

        assertTrue(boosted.bulletCount() > normal.bulletCount() * 2,
                "rapid " + boosted.bulletCount() + " vs normal " + normal.bulletCount());
    }

    @Test
    void shouldForgetPlayerWhoLeft() {
        ArenaWorld world = openWorld();
        world.addPlayer(1);
        world.addPlayer(2);

        world.removePlayer(1);

        assertNull(world.ship(1));
        assertEquals(1, world.shipCount());
        world.applyInput(1, 1, 0, 0, true);
        world.step(TICK);
        assertEquals(0, world.bulletCount(), "inputs of a gone player do nothing");
    }

    @Test
    void shouldSpawnShipsOnFreeGroundOfTheStandardMap() {
        ArenaWorld world = new ArenaWorld(rules, ArenaMap.standard(), 7);
        for (int id = 1; id <= 20; id++) {
            Ship ship = world.addPlayer(id);
            assertFalse(world.map().blocked(ship.x(), ship.y(), rules.shipRadius()), "ship " + id);
        }
    }

    @Test
    void shouldReachTheSameStateFromTheSameSeedAndInputs() throws IOException {
        byte[] first = playScriptedMatch(99);
        byte[] second = playScriptedMatch(99);
        byte[] otherSeed = playScriptedMatch(100);

        assertArrayEquals(first, second);
        assertFalse(Arrays.equals(first, otherSeed), "the seed matters, so the comparison above can fail");
    }

    /**
     * Four players chase and shoot each other (with random jitter) for 40 simulated seconds; returns the
     * final state as bytes. The script reads the world, which is fine: it is deterministic too.
     */
    private byte[] playScriptedMatch(long seed) throws IOException {
        ArenaWorld world = new ArenaWorld(rules, ArenaMap.standard(), seed);
        SplittableRandom script = new SplittableRandom(12345);
        for (int id = 1; id <= 4; id++) {
            world.addPlayer(id);
        }
        for (int t = 0; t < 1200; t++) {
            for (int id = 1; id <= 4; id++) {
                Ship self = world.ship(id);
                Ship prey = world.ship(id % 4 + 1);
                double dx = prey.x() - self.x();
                double dy = prey.y() - self.y();
                int moveX = script.nextInt(3) == 0 ? script.nextInt(3) - 1 : (int) Math.signum(dx);
                int moveY = script.nextInt(3) == 0 ? script.nextInt(3) - 1 : (int) Math.signum(dy);
                double aim = Math.atan2(dy, dx) + (script.nextDouble() - 0.5) * 0.2;
                world.applyInput(id, moveX, moveY, aim, script.nextInt(4) != 0);
            }
            world.step(TICK);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        ArenaStateWriter.write(world, out);
        out.flush();
        int deaths = 0;
        for (int i = 0; i < world.shipCount(); i++) {
            deaths += world.shipAt(i).deaths();
        }
        assertTrue(deaths > 0, "the scripted match has some kills, so it exercises hits and respawns");
        return bytes.toByteArray();
    }
}
