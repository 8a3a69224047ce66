package com.example.tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.testkit.Entity;
import io.tickwave.testkit.GameTester;
import io.tickwave.testkit.TestPlayer;
import org.junit.jupiter.api.Test;

/** The tag game driven by the test kit: real server parts in memory, ticks stepped by the test. */
class TagGameTest {

    private static Entity runner(TestPlayer viewer, TestPlayer player) {
        return viewer.state().find("Runner", "player_id", player.id());
    }

    /** Steers {@code chaser} a cell a step toward {@code target} until the target is it; then stops them. */
    private static void chaseUntilTagged(GameTester tester, TestPlayer chaser, TestPlayer target) {
        for (int step = 0; step < TagGame.WIDTH + TagGame.HEIGHT && !runner(chaser, target).getBool("it"); step++) {
            Entity from = runner(chaser, chaser), to = runner(chaser, target);
            chaser.input(TagProto.Move.newBuilder().setDx(Integer.compare(to.getInt("x"), from.getInt("x")))
                    .setDy(Integer.compare(to.getInt("y"), from.getInt("y"))).build());
            tester.tick(TagGame.STEP_TICKS);
        }
        chaser.input(TagProto.Move.getDefaultInstance()); // stand still, beside the target
        assertTrue(runner(chaser, target).getBool("it"), "tagged: " + chaser.state());
    }

    @Test
    void shouldMakeTheFirstPlayerIt() {
        try (GameTester tester = GameTester.of(TagGame::new)) {
            TestPlayer ann = tester.join("ann");
            TestPlayer bob = tester.join("bob");

            assertTrue(runner(bob, ann).getBool("it"));
            assertEquals(false, runner(bob, bob).getBool("it"));
        }
    }

    @Test
    void shouldMakeTheRunnerItTouchesIt() {
        try (GameTester tester = GameTester.of(TagGame::new)) {
            TestPlayer ann = tester.join("ann");
            TestPlayer bob = tester.join("bob");
            tester.tick(TagGame.NO_TAG_BACK_TICKS);

            chaseUntilTagged(tester, ann, bob);

            assertEquals(false, runner(ann, ann).getBool("it"));
        }
    }

    @Test
    void shouldNotLetTheNewItTagBackWithinTheCooldown() {
        try (GameTester tester = GameTester.of(TagGame::new)) {
            TestPlayer ann = tester.join("ann");
            TestPlayer bob = tester.join("bob");
            tester.tick(TagGame.NO_TAG_BACK_TICKS);
            chaseUntilTagged(tester, ann, bob); // at most STEP_TICKS - 1 ticks ago

            tester.tick(TagGame.NO_TAG_BACK_TICKS - TagGame.STEP_TICKS); // still beside each other
            assertTrue(runner(ann, bob).getBool("it"), "no tag-back yet: " + ann.state());

            tester.tick(TagGame.STEP_TICKS);
            assertTrue(runner(ann, ann).getBool("it"), "tagged back after the cooldown: " + ann.state());
        }
    }

    @Test
    void shouldPassItOnWhenItLeaves() {
        try (GameTester tester = GameTester.of(TagGame::new)) {
            TestPlayer ann = tester.join("ann");
            TestPlayer bob = tester.join("bob");

            ann.leave();
            tester.tick();

            assertTrue(bob.state().only("Runner").getBool("it"));
        }
    }
}
