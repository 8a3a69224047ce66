package io.tickwave.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.replication.testproto.Clock;
import io.tickwave.replication.testproto.Ship;
import org.junit.jupiter.api.Test;

class ReplicatedStateTest {
    private final Replicator replicator = new Replicator(TestWorld.SCHEMA);
    private final ReplicatedState state = replicator.state();

    @Test
    void shouldNumberEntitiesFromOneUpwardsWithoutReusingIds() {
        assertEquals(TestWorld.SHIP, state.type(Ship.getDescriptor()));
        int first = state.create(TestWorld.SHIP);
        int second = state.create(TestWorld.CLOCK);
        assertEquals(1, first);
        assertEquals(2, second);
        state.destroy(first);
        replicator.beginSnapshot(1);
        replicator.endSnapshot();
        int third = state.create(TestWorld.SHIP); // reuses the freed slot, not the id
        assertEquals(3, third);
        assertFalse(state.exists(first));
        assertTrue(state.exists(second));
        assertTrue(state.exists(third));
    }

    @Test
    void shouldRefuseMisuseWithAMessageNamingWhatWasWrong() {
        int ship = state.create(TestWorld.SHIP);
        int clock = state.create(TestWorld.CLOCK);
        assertMessage("no entity 99", () -> state.setFloat(99, TestWorld.SHIP_X, 1));
        assertMessage("is not a field of", () -> state.setFloat(clock, TestWorld.SHIP_X, 1));
        assertMessage("use setFloat", () -> state.setBool(ship, TestWorld.SHIP_X, true));
        assertMessage("use setFloat", () -> state.setInt(ship, TestWorld.SHIP_X, 1));
        assertMessage("use setBool", () -> state.setFloat(ship, TestWorld.SHIP_ALIVE, 1));
        assertMessage("use setInt", () -> state.setFloat(ship, TestWorld.SHIP_SCORE, 1));
        assertMessage("use setInt", () -> state.setBool(clock, TestWorld.CLOCK_TICKS_LEFT, true));
        assertMessage("use setFloat", () -> state.setInt(clock, TestWorld.CLOCK_SPEED, 1));
        state.destroy(ship);
        assertMessage("no entity 1 (destroyed)", () -> state.setInt(ship, TestWorld.SHIP_SCORE, 1));
        assertMessage("no entity 1 (destroyed)", () -> state.destroy(ship));
        assertMessage("no entity 1 (destroyed)", () -> state.setViewpoint(5, ship));
        assertMessage("cellSize", () -> state.setInterest(0, 10));
        assertMessage("byte budget", () -> state.setByteBudget(0));
        assertMessage("not a viewer", () -> {
            replicator.beginSnapshot(1);
            try {
                replicator.encode(42, 0, false);
            } finally {
                replicator.endSnapshot();
            }
        });
        assertThrows(IllegalArgumentException.class, () -> state.type(Clock.getDescriptor().getFile()
                .findMessageTypeByName("Chat")));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), "\"" + e.getMessage() + "\" should say \"" + part + "\"");
    }
}
