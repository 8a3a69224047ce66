package io.tickwave.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import io.tickwave.arena.protocol.ArenaState;
import io.tickwave.arena.protocol.Bullet;
import io.tickwave.arena.protocol.Ship;
import io.tickwave.arena.sim.ArenaMap;
import io.tickwave.arena.sim.ArenaRules;
import io.tickwave.arena.sim.ArenaWorld;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written ArenaState encoder against the generated parser. */
class ArenaStateWriterTest {

    private static final double TICK = 1.0 / 30;
    private final ArenaRules rules = ArenaRules.standard();

    private static byte[] encode(ArenaWorld world) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        ArenaStateWriter.write(world, out);
        out.flush();
        return bytes.toByteArray();
    }

    @Test
    void shouldWriteEmptyWorldAsPickupsOnly() throws IOException {
        ArenaWorld world = new ArenaWorld(rules, new ArenaMap(100, 100, List.of(), List.of()), 1);

        assertEquals(0, encode(world).length);
    }

    @Test
    void shouldWriteStateThatParsesBackAsArenaState() throws IOException {
        ArenaWorld world = new ArenaWorld(rules, ArenaMap.standard(), 3);
        io.tickwave.arena.sim.Ship shooter = world.addPlayer(7);
        io.tickwave.arena.sim.Ship victim = world.addPlayer(300);
        io.tickwave.arena.sim.Ship bystander = world.addPlayer(9);
        for (int i = 0; i < 60; i++) {
            world.step(TICK);
        }
        shooter.placeAt(1000, 60);
        victim.placeAt(1150, 60);
        bystander.placeAt(1000, 1300);
        world.applyInput(7, 0, 0, 0.0, true);
        for (int i = 0; i < 120 && victim.alive(); i++) {
            world.step(TICK);
        }
        world.applyInput(9, 0, 0, -1.25, true);
        world.step(TICK);
        world.step(TICK);

        ArenaState state = ArenaState.parseFrom(encode(world));

        assertEquals(3, state.getShipsCount());
        Ship s = state.getShips(0);
        assertEquals(7, s.getPlayerId());
        assertEquals((float) shooter.x(), s.getX());
        assertEquals((float) shooter.y(), s.getY());
        assertEquals(0f, s.getAim());
        assertEquals(rules.maxHealth(), s.getHealth());
        assertTrue(s.getAlive());
        assertEquals(1, s.getScore());
        Ship v = state.getShips(1);
        assertEquals(300, v.getPlayerId());
        assertFalse(v.getAlive());
        assertEquals(0, v.getHealth());
        assertEquals(1, v.getDeaths());
        assertTrue(v.getRespawnMs() > 0 && v.getRespawnMs() <= rules.respawnSeconds() * 1000, "" + v.getRespawnMs());
        assertEquals(-1.25f, state.getShips(2).getAim());

        assertEquals(world.bulletCount(), state.getBulletsCount());
        assertTrue(state.getBulletsCount() > 0);
        for (int i = 0; i < world.bulletCount(); i++) {
            Bullet b = state.getBullets(i);
            assertEquals(world.bulletAt(i).id(), b.getId());
            assertEquals(world.bulletAt(i).ownerId(), b.getOwnerId());
            assertEquals((float) world.bulletAt(i).x(), b.getX());
            assertEquals((float) world.bulletAt(i).vy(), b.getVy());
        }
        assertEquals(ArenaMap.standard().pickupSpots().size(), state.getPickupsCount());
        assertEquals(1, state.getPickups(0).getId());
        assertEquals(1, state.getKillsCount());
        assertEquals(7, state.getKills(0).getKillerId());
        assertEquals(300, state.getKills(0).getVictimId());
    }
}
