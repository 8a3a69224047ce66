package io.tickwave.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.tickwave.arena.ArenaRoom.Player;
import io.tickwave.arena.protocol.ArenaEvent;
import io.tickwave.arena.protocol.ArenaInfo;
import io.tickwave.arena.protocol.ArenaInput;
import io.tickwave.arena.protocol.Kill;
import io.tickwave.arena.protocol.Pickup;
import io.tickwave.arena.protocol.Ship;
import io.tickwave.arena.sim.ArenaMap;
import io.tickwave.arena.sim.ArenaRules;
import io.tickwave.arena.sim.PickupSpot;
import io.tickwave.protocol.EntityTypeSchema;
import io.tickwave.protocol.Snapshot;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The arena in the real server loop (in memory, tick by tick): what each client rebuilds from its
 * snapshots with {@code ReplicaClient} is what the rules say — ships, scores, bullets, pickups — and
 * kills arrive as events.
 */
class ArenaGameTest {

    /** Ticks after which the world mode's leaderboard (once a second at 30 Hz) has been computed. */
    private static final int PAST_LEADERBOARD_UPDATE = 70; // over a second at the tests' 60 Hz

    /** Half a quantization step of positions (1/16 unit), plus float rounding. */
    private static final double POSITION_ERROR = 1.0 / 32 + 1e-3;
    private static final ArenaRules RULES = ArenaRules.standard();
    private static final ArenaMap OPEN = new ArenaMap(2000, 2000, List.of(), List.of());

    private static ArenaRoom openRoom() {
        return new ArenaRoom(() -> new ArenaGame(RULES, OPEN));
    }

    private static Ship ship(Player viewer, int playerId) {
        return viewer.view().ship(playerId).orElseThrow(() -> new AssertionError(
                "player " + viewer.id() + " does not hold the ship of " + playerId + ": " + viewer.view()));
    }

    private static void assertShipIsTheWorlds(io.tickwave.arena.sim.Ship expected, Ship seen) {
        assertEquals(expected.x(), seen.getX(), POSITION_ERROR, "x");
        assertEquals(expected.y(), seen.getY(), POSITION_ERROR, "y");
        assertEquals(expected.health(), seen.getHealth(), "health");
        assertEquals(expected.alive(), seen.getAlive(), "alive");
        assertEquals(expected.shielded(), seen.getShielded(), "shielded");
        assertEquals(expected.rapidFire(), seen.getRapidFire(), "rapid fire");
    }

    @Test
    void shouldMoveTheShipOnInputAndSendTheMovedPositionWithTheAcknowledgement() {
        try (ArenaRoom room = openRoom()) {
            Player ada = room.join("ada");
            room.run(2);
            io.tickwave.arena.sim.Ship sim = ada.ship(room);
            double startX = sim.x();
            assertShipIsTheWorlds(sim, ship(ada, ada.id()));

            ada.input(-1, 0, 2.5f, false);
            room.run(2);

            double step = RULES.shipSpeed() / RULES.inputRateHz();
            assertEquals(startX - step, sim.x(), 1e-9);
            Snapshot newest = ada.snapshots.get(ada.snapshots.size() - 1);
            assertEquals(1, newest.getAckInputSeq());
            assertEquals(startX - step, ship(ada, ada.id()).getX(), POSITION_ERROR);
            assertEquals(2.5, ship(ada, ada.id()).getAim(), Math.PI / 1024 + 1e-6, "10-bit aim");
        }
    }

    @Test
    void shouldDropMalformedInputAndSkipUnknownInputFields() {
        try (ArenaRoom room = openRoom()) {
            Player ada = room.join("ada");
            room.run(2);
            float startX = ship(ada, ada.id()).getX();
            float startY = ship(ada, ada.id()).getY();

            ada.sendPayload(ByteString.copyFrom(new byte[] {(byte) 0x08, (byte) 0xff}));
            room.run(2);
            assertEquals(startX, ship(ada, ada.id()).getX(), "a malformed input moves nothing");

            byte[] known = ArenaInput.newBuilder().setMoveY(1).build().toByteArray();
            byte[] withExtra = new byte[known.length + 3];
            withExtra[0] = (byte) ((15 << 3) | 2);
            withExtra[1] = 1;
            withExtra[2] = 42;
            System.arraycopy(known, 0, withExtra, 3, known.length);
            ada.sendPayload(ByteString.copyFrom(withExtra));
            room.run(2);
            assertTrue(ship(ada, ada.id()).getY() > startY, "an input with a field from a newer client still moves");
        }
    }

    @Test
    void shouldWelcomeWithTheMapTheMovementNumbersAndTheArenaSchema() {
        try (ArenaRoom room = new ArenaRoom(ArenaGame::new)) {
            Player ada = room.join("ada");

            ArenaInfo info = ada.info;
            assertEquals("arena", info.getMode());
            assertEquals(0f, info.getViewRadius(), "everyone sees everything");
            assertEquals((float) RULES.shipSpeed(), info.getShipSpeed());
            assertEquals((float) RULES.shipRadius(), info.getShipRadius());
            assertEquals(RULES.inputRateHz(), info.getInputRateHz());
            assertEquals((float) RULES.bulletSpeed(), info.getBulletSpeed());
            assertEquals((float) RULES.bulletLifetimeSeconds(), info.getBulletLifetime());
            assertEquals(2000f, info.getWidth());
            assertTrue(info.getObstaclesCount() > 5);
            assertEquals(ArenaMap.standard().pickupSpots().size(), info.getPickupSpotsCount());
            assertEquals(List.of("arena.v1.Ship", "arena.v1.Bullet", "arena.v1.Pickup", "arena.v1.PlayerScore"),
                    ada.welcome.getReplicationSchema().getTypesList().stream().map(EntityTypeSchema::getName).toList());
            room.run(2);
            assertEquals(info.getPickupSpotsCount(), ada.view().getPickupsList().size(), "every pickup is there at the start");
        }
    }

    @Test
    void shouldReplicateEveryShipAndAScoreLinePerPlayerUntilTheyLeave() {
        try (ArenaRoom room = new ArenaRoom(ArenaGame::new)) {
            Player ada = room.join("ada");
            Player bob = room.join("bob");
            room.run(2);

            for (Player viewer : List.of(ada, bob)) {
                assertEquals(2, viewer.view().getShipsList().size());
                assertEquals(2, viewer.view().getScoresList().size());
                for (Player owner : List.of(ada, bob)) {
                    assertShipIsTheWorlds(owner.ship(room), ship(viewer, owner.id()));
                    assertEquals(0, viewer.view().score(owner.id()).orElseThrow().getScore());
                }
            }
            assertEquals(ada.view().getShipsList(), bob.view().getShipsList(), "both hold the same ships");

            ada.connection.disconnect();
            room.run(2);

            assertEquals(1, bob.view().getShipsList().size());
            assertEquals(bob.id(), bob.view().getShipsList().get(0).getPlayerId());
            assertEquals(1, bob.view().getScoresList().size());
        }
    }

    @Test
    void shouldSendABulletOnceWhenFiredAndRemoveItWhenSpent() {
        try (ArenaRoom room = openRoom()) {
            Player ada = room.join("ada");
            room.run(120); // the spawn shield goes: after this, nothing changes while nobody acts
            ada.ship(room).placeAt(300, 1000);
            room.run(2);

            int views = ada.views.size();
            ada.input(0, 0, 0.5f, true);
            room.run(1);
            ada.input(0, 0, 0.5f, false); // held for one tick: one shot
            room.run(119);

            List<ArenaView> seen = ada.views.subList(views, ada.views.size());
            List<ArenaView> withBullet = seen.stream().filter(v -> !v.getBulletsList().isEmpty()).toList();
            assertTrue(withBullet.size() > 20, "the bullet flies for most of a second: " + withBullet.size() + " snapshots");
            ArenaView.BulletView first = withBullet.get(0).getBulletsList().get(0);
            assertEquals(ada.id(), first.getOwnerId());
            assertEquals(0.5, first.value().getAngle(), Math.PI / 4096 + 1e-6, "12-bit angle");
            for (ArenaView v : withBullet) {
                assertEquals(List.of(first), v.getBulletsList(), "the same entity with the same values at tick " + v.tick());
            }
            // The client flies it: origin + speed * elapsed ticks / tick rate, along the angle.
            double muzzle = RULES.shipRadius() + RULES.bulletRadius() + 2;
            double flownAtSpawn = muzzle + RULES.bulletSpeed() / 60;
            assertEquals(300 + Math.cos(0.5) * flownAtSpawn, first.getX(), POSITION_ERROR, "where it was after its first step");
            assertEquals(1000 + Math.sin(0.5) * flownAtSpawn, first.getY(), POSITION_ERROR);
            assertEquals(0, room.world().bulletCount(), "spent in the world");
            assertTrue(seen.get(seen.size() - 1).getBulletsList().isEmpty(), "and gone from the state");

            // Bytes only at creation and removal: while it flies, a snapshot holds three empty lists.
            ByteString nothing = ByteString.copyFrom(new byte[] {0b111}); // gamma(0) three times, low bit first
            long createdAt = withBullet.get(0).tick();
            long lastSeenAt = withBullet.get(withBullet.size() - 1).tick();
            for (Snapshot s : ada.snapshots.subList(views, ada.snapshots.size())) {
                if (s.getTick() == createdAt || s.getTick() == lastSeenAt + 2) {
                    assertNotEquals(nothing, s.getState(), "snapshot " + s.getTick() + " creates or removes the bullet");
                } else {
                    assertEquals(nothing, s.getState(), "snapshot " + s.getTick() + ": nothing changed");
                }
            }
        }
    }

    @Test
    void shouldRemoveATakenPickupAndBringItBackWhenItRespawns() {
        ArenaRules quickPickups = new ArenaRules(RULES.shipSpeed(), RULES.shipRadius(), RULES.inputRateHz(),
                RULES.maxMoveBudgetSeconds(), RULES.bulletSpeed(), RULES.bulletRadius(), RULES.bulletLifetimeSeconds(),
                RULES.bulletDamage(), RULES.maxHealth(), RULES.fireCooldownSeconds(), RULES.rapidFireCooldownSeconds(),
                RULES.rapidFireSeconds(), RULES.repairAmount(), 1.0, RULES.respawnSeconds(), RULES.shieldSeconds(),
                RULES.killFeedSeconds());
        ArenaMap map = new ArenaMap(1000, 1000, List.of(), List.of(
                new PickupSpot(1, PickupSpot.RAPID_FIRE, 500, 500), new PickupSpot(2, PickupSpot.REPAIR, 200, 200)));
        try (ArenaRoom room = new ArenaRoom(() -> new ArenaGame(quickPickups, map))) {
            Player ada = room.join("ada");
            ada.ship(room).placeAt(900, 900);
            room.run(70); // in case the spawn took one: it is back after a second

            List<ArenaView.Entity<Pickup>> pickups = ada.view().pickupEntities();
            assertEquals(2, pickups.size());
            ArenaView.Entity<Pickup> rapid = pickups.stream().filter(e -> e.value().getSpotId() == 1).findFirst().orElseThrow();
            assertEquals(List.of(PickupSpot.RAPID_FIRE, 500f, 500f),
                    List.of(rapid.value().getKind(), rapid.value().getX(), rapid.value().getY()));
            int firstEntity = rapid.id();

            ada.ship(room).placeAt(500, 500);
            room.run(2);
            assertEquals(List.of(2), ada.view().getPickupsList().stream().map(Pickup::getSpotId).toList(),
                    "the rapid fire was taken; the repair stays for a ship at full health");
            assertTrue(ship(ada, ada.id()).getRapidFire());

            ada.ship(room).placeAt(900, 900);
            room.run(62);
            Optional<ArenaView.Entity<Pickup>> back = ada.view().pickupEntities().stream()
                    .filter(e -> e.value().getSpotId() == 1).findFirst();
            assertTrue(back.isPresent(), "back after its respawn time");
            assertNotEquals(firstEntity, back.get().id(), "a new entity");
        }
    }

    @Test
    void shouldCountAKillInTheScoresKeepTheWreckUntilItsRespawnTickAndTellEveryone() {
        try (ArenaRoom room = openRoom()) {
            Player hunter = room.join("hunter");
            Player prey = room.join("prey");
            Player witness = room.join("witness");
            room.run(120);
            hunter.ship(room).placeAt(200, 500);
            prey.ship(room).placeAt(400, 500);
            witness.ship(room).placeAt(1800, 1800);

            hunter.input(0, 0, 0f, true);
            for (int i = 0; i < 200 && prey.ship(room).alive(); i++) {
                room.run(1);
            }
            hunter.input(0, 0, 0f, false);
            assertFalse(prey.ship(room).alive());
            room.run(2);

            ArenaEvent kill = ArenaEvent.newBuilder()
                    .setKill(Kill.newBuilder().setKillerId(hunter.id()).setVictimId(prey.id())).build();
            for (Player p : List.of(hunter, prey, witness)) {
                assertEquals(List.of(kill), p.events, "player " + p.id() + " is told of the kill once");
                assertEquals(1, p.view().score(hunter.id()).orElseThrow().getScore());
                assertEquals(0, p.view().score(hunter.id()).orElseThrow().getDeaths());
                assertEquals(1, p.view().score(prey.id()).orElseThrow().getDeaths());
                assertFalse(ship(p, prey.id()).getAlive());
            }
            int respawnTick = ship(witness, prey.id()).getRespawnTick();

            int views = witness.views.size();
            while (!prey.ship(room).alive()) {
                room.run(1);
            }
            room.run(2);
            int expectedWait = (int) Math.round(RULES.respawnSeconds() * 60);
            int announcedWait = (short) (respawnTick - witness.views.get(views - 1).tick());
            assertTrue(Math.abs(announcedWait - expectedWait) <= 3, "respawns about 2.5 s after the death: " + announcedWait);
            for (ArenaView v : witness.views.subList(views, witness.views.size())) {
                boolean alive = v.ship(prey.id()).orElseThrow().getAlive();
                int ticksToRespawn = (short) (respawnTick - v.tick()); // both mod 2^16
                if (ticksToRespawn >= 2) {
                    assertFalse(alive, "a wreck " + ticksToRespawn + " ticks before its respawn tick");
                } else if (ticksToRespawn <= -1) {
                    assertTrue(alive, "respawned by its respawn tick (" + -ticksToRespawn + " ticks after it)");
                }
            }
            assertShipIsTheWorlds(prey.ship(room), ship(witness, prey.id()));
        }
    }

    @Test
    void shouldSendEachPlayerOnlyTheWorldAroundTheirShipButTheLeadersScores() {
        try (ArenaRoom room = new ArenaRoom(() -> new ArenaGame(ArenaMode.WORLD))) {
            Player ada = room.join("ada");
            Player bob = room.join("bob");
            assertEquals("world", ada.info.getMode());
            assertEquals((float) ArenaMap.WORLD_SIZE, ada.info.getWidth());
            assertEquals(1200f, ada.info.getViewRadius());
            assertEquals(ArenaMap.WORLD_PICKUP_SPOTS, ada.info.getPickupSpotsCount());

            ada.ship(room).placeAt(1000, 1000);
            bob.ship(room).placeAt(5000, 5000);
            room.run(4);

            assertTrue(ada.view().ship(ada.id()).isPresent());
            assertTrue(ada.view().ship(bob.id()).isEmpty(), "bob is 5,600 units away");
            assertTrue(bob.view().ship(ada.id()).isEmpty());
            assertTrue(ada.view().score(ada.id()).isPresent(), "her own score line");
            room.run(PAST_LEADERBOARD_UPDATE);
            assertTrue(ada.view().score(bob.id()).isPresent(), "bob is among the ten leaders, so everyone has his line");
            List<Pickup> pickups = ada.view().getPickupsList();
            assertTrue(pickups.size() < ArenaMap.WORLD_PICKUP_SPOTS, pickups.size() + " pickups in view");
            for (Pickup p : pickups) {
                assertTrue(Math.hypot(p.getX() - 1000, p.getY() - 1000) <= 1200 + 1, p.toString());
            }

            bob.ship(room).placeAt(1800, 1300);
            room.run(4);
            assertShipIsTheWorlds(bob.ship(room), ship(ada, bob.id()));

            bob.ship(room).placeAt(6000, 6000);
            room.run(4);
            assertTrue(ada.view().ship(bob.id()).isEmpty(), "out of view again");
        }
    }
}
