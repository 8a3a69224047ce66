package io.tickwave.testkit;

import io.tickwave.testkit.testgame.Move;
import io.tickwave.testkit.testgame.TagGame;
import io.tickwave.testkit.testgame.Tagged;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example of docs/testkit.md, word for word: keep the two the same. */
class TagGameExampleTest {

    private static final Move RIGHT = Move.newBuilder().setDx(1).build();

    @Test
    void shouldMakeTheTaggedRunnerIt() {
        try (GameTester tester = GameTester.builder(TagGame::new).tickRate(20).build()) {
            TestPlayer alice = tester.join("alice"); // the first runner is "it", at x 0
            TestPlayer bob = tester.join("bob");     // the second spawns at x 4

            for (int i = 0; i < 4; i++) {            // one cell a tick
                alice.input(RIGHT);
                tester.tick();
            }

            Entity bobSeenByAlice = alice.state().find("Runner", "player_id", bob.id());
            assertTrue(bobSeenByAlice.getBool("it"));
            assertEquals(4, bobSeenByAlice.getInt("x"));
            assertEquals(1, bob.state().find("Runner", "player_id", alice.id()).getInt("tags"));
            assertEquals(List.of(Tagged.newBuilder().setTagger(alice.id()).setTagged(bob.id()).build()),
                    bob.events(Tagged.parser()));
        }
    }

    @Test
    void shouldKeepADroppedRunnerForItsReconnect() {
        try (GameTester tester = GameTester.builder(TagGame::new).reconnectGrace(Duration.ofSeconds(5)).build()) {
            TestPlayer alice = tester.join("alice");
            TestPlayer bob = tester.join("bob");

            bob.drop();                              // the network goes; the seat waits
            tester.advance(Duration.ofSeconds(2));
            assertEquals(2, alice.state().count("Runner"));
            assertTrue(alice.playersLeft().isEmpty());

            bob.reconnect();                         // back within the grace: same id, state sent whole
            assertTrue(bob.welcome().getResumed());
            assertEquals(2, bob.state().count("Runner"));

            bob.drop();
            tester.advance(Duration.ofSeconds(6));   // past the grace: the seat is given up
            assertEquals(1, alice.state().count("Runner"));
            assertFalse(alice.playersLeft().isEmpty());
        }
    }
}
