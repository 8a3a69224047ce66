package io.tickwave.testkit;

import io.tickwave.testkit.testgame.Move;
import io.tickwave.testkit.testgame.Runner;
import io.tickwave.testkit.testgame.TagGame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewerStateTest {

    private GameTester tester;
    private TestPlayer alice;
    private TestPlayer bob;

    @BeforeEach
    void twoRunners() {
        tester = GameTester.of(TagGame::new);
        alice = tester.join("alice");
        bob = tester.join("bob");
    }

    @AfterEach
    void close() {
        tester.close();
    }

    @Test
    void shouldNameTypesFullyShortOrByDescriptor() {
        ViewerState state = alice.state();

        assertEquals(2, state.count("tickwave.testkit.test.Runner"));
        assertEquals(2, state.count("Runner"));
        assertEquals(2, state.entities(Runner.getDescriptor()).size());
        assertEquals(0, state.count("Walker"));
        Entity runner = state.find(Runner.getDescriptor(), "player_id", bob.id());
        assertEquals("tickwave.testkit.test.Runner", runner.type());
        assertEquals("Runner", runner.simpleType());
        assertEquals(runner, state.entity(runner.id()));
        assertTrue(state.has(runner.id()));
        assertFalse(state.has(99));
    }

    @Test
    void shouldReadFieldsByTheirProtoNames() {
        Entity runner = alice.state().find("Runner", "player_id", alice.id());

        assertEquals("Runner#" + runner.id() + "{player_id=" + alice.id() + ", x=0, y=0, it=true, tags=0}",
                runner.toString());
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("player_id", (double) alice.id());
        values.put("x", 0.0);
        values.put("y", 0.0);
        values.put("it", 1.0);
        values.put("tags", 0.0);
        assertEquals(values, runner.values());
        assertEquals(1.0, runner.get("it"));
        assertEquals(1, runner.quantized("it"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> runner.get("speed"));
        assertTrue(unknown.getMessage().contains("player_id, x, y, it, tags"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> runner.getBool("x"));
    }

    @Test
    void shouldExplainALookupThatFindsNoneOrSeveral() {
        ViewerState state = alice.state();

        NoSuchElementException several = assertThrows(NoSuchElementException.class, () -> state.only("Runner"));
        assertTrue(several.getMessage().contains("found 2"), several.getMessage());
        assertThrows(NoSuchElementException.class, () -> state.find("Runner", "player_id", 99));
        assertThrows(NoSuchElementException.class, () -> state.entity(99));
    }

    @Test
    void shouldKeepAStateAsItWasWhenTaken() {
        ViewerState before = alice.state();

        alice.input(Move.newBuilder().setDy(1).build());
        tester.tick();

        assertEquals(0, before.find("Runner", "player_id", alice.id()).getInt("y"));
        assertEquals(1, alice.state().find("Runner", "player_id", alice.id()).getInt("y"));
        assertNotEquals(before, alice.state());
        assertEquals(alice.state(), bob.state(), "both hold the same world");
    }

    @Test
    void shouldHandAClientThatStoppedReadingOnlyTheNewestSnapshot() {
        int before = bob.snapshots().size();

        bob.stopReading();
        alice.input(Move.newBuilder().setDy(1).build());
        tester.tick(3);
        assertEquals(before, bob.snapshots().size());
        bob.resumeReading();

        assertEquals(before + 2, bob.snapshots().size(),
                "of three: the one already handed to the stuck socket, then only the newest (the stale one replaced)");
        assertEquals(tester.currentTick(), bob.lastSnapshot().getTick());
        assertEquals(alice.state(), bob.state());
    }
}
