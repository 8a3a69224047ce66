package com.example.dots;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickwave.testkit.Entity;
import io.tickwave.testkit.GameTester;
import io.tickwave.testkit.TestPlayer;
import org.junit.jupiter.api.Test;

/** The dots game driven by the test kit: real server parts in memory, ticks stepped by the test. */
class DotsGameTest {

    private static DotsProto.Move move(int dx, int dy) {
        return DotsProto.Move.newBuilder().setDx(dx).setDy(dy).build();
    }

    @Test
    void shouldMoveTheDotOfAPlayerWhoHoldsAnArrowKeyAsTheOtherPlayerSeesIt() {
        try (GameTester tester = GameTester.of(DotsGame::new)) {
            TestPlayer ann = tester.join("ann");
            TestPlayer bob = tester.join("bob");

            ann.input(move(1, 0));
            tester.tick(10);

            Entity annsDot = bob.state().find("Dot", "player_id", ann.id());
            assertEquals(DotsGame.WIDTH / 2 + 10 * DotsGame.SPEED, annsDot.get("x"));
            assertEquals(DotsGame.HEIGHT / 2, annsDot.get("y"));
            assertEquals(DotsGame.WIDTH / 2, bob.state().find("Dot", "player_id", bob.id()).get("x"));
        }
    }

    @Test
    void shouldStopADotAtTheEdgeOfTheField() {
        try (GameTester tester = GameTester.of(DotsGame::new)) {
            TestPlayer ann = tester.join("ann");

            ann.input(move(-1, 1));
            tester.tick(1000);

            Entity dot = ann.state().find("Dot", "player_id", ann.id());
            assertEquals(0, dot.get("x"));
            assertEquals(DotsGame.HEIGHT, dot.get("y"));
        }
    }

    @Test
    void shouldRemoveTheDotOfAPlayerWhoLeaves() {
        try (GameTester tester = GameTester.of(DotsGame::new)) {
            TestPlayer ann = tester.join("ann");
            TestPlayer bob = tester.join("bob");

            ann.leave();
            tester.tick();

            assertEquals(1, bob.state().count("Dot"));
            assertEquals(bob.id(), bob.state().only("Dot").getInt("player_id"));
        }
    }
}
