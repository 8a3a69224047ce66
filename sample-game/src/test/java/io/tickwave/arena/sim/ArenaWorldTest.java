package io.tickwave.arena.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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
    void shouldReachTheSameStateFromTheSameSeedAndInputs() {
        String first = playScriptedMatch(99);
        String second = playScriptedMatch(99);
        String otherSeed = playScriptedMatch(100);

        assertEquals(first, second);
        assertFalse(first.equals(otherSeed), "the seed matters, so the comparison above can fail");
    }

    /**
     * Four players chase and shoot each other (with random jitter) for 40 simulated seconds; returns the
     * final state as text with every double in full. The script reads the world, which is fine: it is
     * deterministic too.
     */
    private String playScriptedMatch(long seed) {
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
        StringBuilder state = new StringBuilder();
        for (int i = 0; i < world.shipCount(); i++) {
            Ship s = world.shipAt(i);
            state.append(List.of(s.playerId(), s.x(), s.y(), s.aim(), s.health(), s.alive(), s.score(), s.deaths(),
                    s.respawnTimer(), s.shielded(), s.rapidFire())).append('\n');
        }
        for (int i = 0; i < world.bulletCount(); i++) {
            Bullet b = world.bulletAt(i);
            state.append(List.of(b.id(), b.ownerId(), b.x(), b.y(), b.vx(), b.vy(), b.angle())).append('\n');
        }
        for (int i = 0; i < world.map().pickupSpots().size(); i++) {
            state.append(world.pickupAvailable(i));
        }
        int deaths = 0;
        for (int i = 0; i < world.shipCount(); i++) {
            deaths += world.shipAt(i).deaths();
        }
        assertTrue(deaths > 0, "the scripted match has some kills, so it exercises hits and respawns");
        return state.toString();
    }

    @Test
    void shouldTellTheListenerOfEveryBulletRemovedAndEveryKill() {
        ArenaWorld world = openWorld();
        List<String> heard = new ArrayList<>();
        world.setListener(new ArenaWorld.Listener() {
            @Override
            public void bulletRemoved(Bullet bullet) {
                heard.add("bullet " + bullet.id());
            }

            @Override
            public void shipDestroyed(Ship victim, int killerId) {
                heard.add("kill " + killerId + " " + victim.playerId() + " " + victim.alive());
            }
        });
        Ship shooter = world.addPlayer(1);
        Ship target = world.addPlayer(2);
        waitOutShields(world);
        shooter.placeAt(200, 500);
        target.placeAt(400, 500);

        world.applyInput(1, 0, 0, 0, true);
        int fired = 0;
        for (int i = 0; i < 90 && target.alive(); i++) {
            world.step(TICK);
            for (int b = 0; b < world.bulletCount(); b++) {
                fired = Math.max(fired, world.bulletAt(b).id());
            }
        }
        world.applyInput(1, 0, 0, 0, false);
        stepSeconds(world, rules.bulletLifetimeSeconds() + 0.1);

        int hits = rules.maxHealth() / rules.bulletDamage();
        assertEquals(0, world.bulletCount());
        assertEquals(fired, heard.stream().filter(h -> h.startsWith("bullet")).count(),
                "every bullet fired was removed once: the hits and the ones that flew on " + heard);
        assertEquals(List.of("kill 1 2 false"), heard.stream().filter(h -> h.startsWith("kill")).toList());
        assertEquals("kill 1 2 false", heard.get(heard.indexOf("bullet " + hits) - 1),
                "the kill is told with the victim already destroyed, then the fatal bullet goes");
    }

    @Test
    void shouldFireAlongTheAimAndClearTheOwnersTagOnEveryShot() {
        ArenaWorld world = openWorld();
        Ship ship = world.addPlayer(1);
        ship.placeAt(500, 500);
        world.applyInput(1, 0, 0, 0.75, true);
        world.step(TICK);
        Bullet first = world.bulletAt(0);
        first.tag = 17;

        stepSeconds(world, rules.bulletLifetimeSeconds() + 0.1); // the first one expires, later ones reuse the pool

        boolean reused = false;
        for (int i = 0; i < world.bulletCount(); i++) {
            Bullet b = world.bulletAt(i);
            reused |= b == first;
            assertEquals(0.75, b.angle());
            assertEquals(Math.atan2(b.vy(), b.vx()), b.angle(), 1e-9);
            assertEquals(0, b.tag, "bullet " + b.id() + " is a new shot: no tag");
        }
        assertTrue(reused, "the tagged bullet's object was fired again");
    }

    @Test
    void shouldFireNoMoreBulletsThanTheWorldHasRoomFor() {
        ArenaWorld world = new ArenaWorld(rules, new ArenaMap(5000, 5000, List.of(), List.of()), 3, 2);
        for (int id = 1; id <= 4; id++) {
            world.addPlayer(id).placeAt(1000 * id, 2500);
            world.applyInput(id, 0, 0, 0, true);
        }

        world.step(TICK);

        assertEquals(2, world.bulletCount());
    }

    @Test
    void shouldBuildTheSameWorldMapFromTheSameSeedWithFreeGroundAtEveryPickupSpot() {
        ArenaMap map = ArenaMap.world(8);

        assertEquals(map, ArenaMap.world(8));
        assertFalse(map.equals(ArenaMap.world(9)), "the seed matters");
        assertEquals(ArenaMap.WORLD_SIZE, map.width());
        assertEquals(ArenaMap.WORLD_OBSTACLES, map.obstacles().size());
        assertEquals(ArenaMap.WORLD_PICKUP_SPOTS, map.pickupSpots().size());
        for (PickupSpot spot : map.pickupSpots()) {
            assertFalse(map.blocked(spot.x(), spot.y(), rules.shipRadius()), spot.toString());
        }
        assertTrue(map.pickupSpots().stream().anyMatch(p -> p.kind() == PickupSpot.RAPID_FIRE));
        ArenaWorld world = new ArenaWorld(rules, map, 8);
        for (int id = 1; id <= 50; id++) {
            Ship ship = world.addPlayer(id);
            assertFalse(map.blocked(ship.x(), ship.y(), rules.shipRadius()), "ship " + id);
        }
    }
}
