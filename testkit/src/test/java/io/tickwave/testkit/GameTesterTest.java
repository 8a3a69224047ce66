package io.tickwave.testkit;

import io.tickwave.protocol.ChatLine;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.PlayerJoined;
import io.tickwave.protocol.PlayerLeft;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import io.tickwave.testkit.testgame.Move;
import io.tickwave.testkit.testgame.Runner;
import io.tickwave.testkit.testgame.TagGame;
import io.tickwave.testkit.testgame.Tagged;
import io.tickwave.testkit.testgame.Tally;
import io.tickwave.testkit.testgame.TallyGame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GameTesterTest {

    private static final Move RIGHT = Move.newBuilder().setDx(1).build();
    private static final Move LEFT = Move.newBuilder().setDx(-1).build();

    private final List<GameTester> testers = new ArrayList<>();

    private GameTester tester(GameTester.Builder builder) {
        GameTester tester = builder.build();
        testers.add(tester);
        return tester;
    }

    private GameTester tagTester() {
        return tester(GameTester.builder(TagGame::new));
    }

    @AfterEach
    void closeTesters() {
        testers.forEach(GameTester::close);
    }

    private static Entity runnerOf(TestPlayer viewer, TestPlayer player) {
        return viewer.state().find("Runner", "player_id", player.id());
    }

    @Test
    void shouldSeatAJoiningPlayerInTheTickItRunsAndSendItsFirstState() {
        GameTester tester = tagTester();

        TestPlayer alice = tester.join("alice");

        assertTrue(alice.isJoined());
        assertEquals(1, tester.currentTick(), "join runs the tick that seats the player");
        assertEquals("alice", alice.name());
        assertEquals(1, alice.welcome().getPlayersCount());
        assertEquals(60, alice.welcome().getTickRate());
        assertEquals(1, alice.snapshots().size(), "every tick is a snapshot tick by default");
        Entity runner = alice.state().only("Runner");
        assertEquals(alice.id(), runner.getInt("player_id"));
        assertTrue(runner.getBool("it"), "the first to join is it");
        assertEquals(0, runner.getInt("x"));
        assertEquals(1, tester.playerCount());
    }

    @Test
    void shouldApplyAnInputAtTheNextTickAndAcknowledgeIt() {
        GameTester tester = tagTester();
        TestPlayer alice = tester.join("alice");

        long seq = alice.input(RIGHT);
        assertEquals(0, runnerOf(alice, alice).getInt("x"), "nothing happens before the tick");
        tester.tick();

        assertEquals(1, seq);
        assertEquals(1, runnerOf(alice, alice).getInt("x"));
        assertEquals(1, alice.ackedInputSeq());
        alice.input(RIGHT);
        alice.input(LEFT);
        tester.tick();
        assertEquals(0, runnerOf(alice, alice).getInt("x"), "the newer input of a tick wins");
        assertEquals(3, alice.ackedInputSeq());
        alice.input(LEFT);
        tester.tick();
        assertEquals(TagGame.GRID - 1, runnerOf(alice, alice).getInt("x"), "the grid wraps");
    }

    @Test
    void shouldShowEachViewerTheOthersAndAnnounceJoinsAndLeaves() {
        GameTester tester = tagTester();
        TestPlayer alice = tester.join("alice");
        TestPlayer bob = tester.join("bob");

        assertEquals(List.of("alice", "bob"), alice.playersJoined().stream().map(PlayerJoined::getName).toList(),
                "the room announces every join, the new player's own too");
        assertEquals(2, bob.welcome().getPlayersCount());
        assertEquals(4, runnerOf(alice, bob).getInt("x"), "the second runner spawns 4 cells on");
        assertEquals(runnerOf(alice, bob), runnerOf(bob, bob), "both viewers hold the same entity");

        bob.leave();
        assertEquals(2, alice.state().count("Runner"), "a leave takes effect at the next tick");
        tester.tick();

        assertEquals(List.of("bob"), alice.playersLeft().stream().map(PlayerLeft::getName).toList());
        assertEquals(1, alice.state().count(Runner.getDescriptor()));
        assertFalse(bob.isConnected());
        assertThrows(IllegalStateException.class, () -> bob.input(RIGHT));
    }

    @Test
    void shouldDeliverTheGamesEventsParsedToEveryone() {
        GameTester tester = tagTester();
        TestPlayer alice = tester.join("alice"); // it, at x 0
        TestPlayer bob = tester.join("bob");     // at x 4

        for (int i = 0; i < 4; i++) {
            alice.input(RIGHT);
            tester.tick();
        }

        Tagged tagged = Tagged.newBuilder().setTagger(alice.id()).setTagged(bob.id()).build();
        assertEquals(List.of(tagged), alice.events(Tagged.parser()));
        assertEquals(List.of(tagged), bob.events(Tagged.parser()));
        assertEquals(tester.currentTick(), bob.events().get(0).getTick());
        assertTrue(runnerOf(alice, bob).getBool("it"));
        assertEquals(1, runnerOf(bob, alice).getInt("tags"));

        alice.clearReceived();
        assertTrue(alice.events().isEmpty());
        assertEquals(1, runnerOf(alice, alice).getInt("tags"), "clearing keeps the state");
    }

    @Test
    void shouldRunEveryTickWhoseTimeComesWithinADuration() {
        GameTester tester = tester(GameTester.builder(TagGame::new).tickRate(20).snapshotRate(10));
        TestPlayer alice = tester.join("alice"); // tick 1

        tester.advance(Duration.ofSeconds(1));
        assertEquals(21, tester.currentTick());
        assertEquals(Duration.ofMillis(1_050), tester.elapsed(), "join's tick, then one second");
        assertEquals(10, alice.snapshots().size(), "10 Hz snapshots: ticks 2, 4, ..., 20");

        tester.advance(Duration.ofMillis(25)); // half a tick
        assertEquals(21, tester.currentTick());
        tester.advance(Duration.ofMillis(25));
        assertEquals(22, tester.currentTick());
        tester.tick(3);
        assertEquals(25, tester.currentTick());
        assertEquals(24, alice.lastSnapshot().getTick());
    }

    @Test
    void shouldSeatPlayersWhoAskTogetherInOneTick() {
        GameTester tester = tagTester();

        TestPlayer alice = tester.requestJoin("alice");
        TestPlayer bob = tester.requestJoin("bob");
        assertFalse(alice.isJoined());
        assertThrows(IllegalStateException.class, alice::welcome);
        tester.tick();

        assertEquals(alice.welcome().getTick(), bob.welcome().getTick());
        assertEquals(2, alice.state().count("Runner"));
    }

    @Test
    void shouldRefuseAJoinTheServerRefuses() {
        GameTester tester = tagTester();

        JoinRefusedException refused = assertThrows(JoinRefusedException.class, () -> tester.join("   "));

        assertEquals(ErrorCode.BAD_NAME, refused.code());
        assertEquals(0, tester.playerCount());
        TestPlayer nobody = tester.requestJoin("");
        assertTrue(nobody.receivedError(ErrorCode.BAD_NAME));
    }

    @Test
    void shouldHandJoinOptionsToTheGameAndReportItsRefusal() {
        GameTester tester = tagTester();

        TestPlayer carol = tester.join("carol", Map.of("team", "red"));
        JoinRefusedException refused = assertThrows(JoinRefusedException.class,
                () -> tester.join("mallory", Map.of("token", "banned")));

        assertEquals(Map.of("team", "red"), tester.game(TagGame.class).joinOptions.get(carol.id()));
        assertEquals(ErrorCode.JOIN_REFUSED, refused.code());
        assertEquals("that token is banned", refused.reason());
        assertEquals(1, tester.playerCount());
    }

    @Test
    void shouldOpenAnotherRoomWhenTheRoomsAreFull() {
        GameTester tester = tester(GameTester.builder(TagGame::new).capacity(1));

        TestPlayer alice = tester.join("alice");
        TestPlayer bob = tester.join("bob");

        assertNotEquals(alice.roomId(), bob.roomId());
        assertEquals(2, tester.roomCount());
        assertEquals(2, tester.games().size());
        assertEquals(1, bob.state().size(), "bob sees his own room only");
        assertThrows(IllegalStateException.class, () -> tester.game(TagGame.class));
    }

    @Test
    void shouldKeepADroppedSeatAndGiveItBack() {
        GameTester tester = tagTester();
        TestPlayer alice = tester.join("alice");
        TestPlayer bob = tester.join("bob");
        TagGame game = tester.game(TagGame.class);
        bob.input(RIGHT);
        tester.tick();

        bob.drop();
        tester.tick();
        assertEquals(List.of(bob.id()), game.disconnected);
        assertEquals(2, alice.state().count("Runner"), "a dropped runner stays in the room");
        assertTrue(alice.playersLeft().isEmpty());

        int id = bob.id();
        bob.reconnect();

        assertTrue(bob.welcome().getResumed());
        assertEquals(id, bob.id());
        assertTrue(game.disconnected.isEmpty());
        assertEquals(5, runnerOf(bob, bob).getInt("x"), "the state comes back complete");
        assertEquals(0, bob.lastSnapshot().getBaselineTick());
        assertEquals(2, bob.input(RIGHT), "seqs go on from the seat's");
        tester.tick();
        assertEquals(6, runnerOf(alice, bob).getInt("x"));
    }

    @Test
    void shouldEndADroppedSeatWhenItsGraceIsOver() {
        GameTester tester = tester(GameTester.builder(TagGame::new).reconnectGrace(Duration.ofSeconds(1)));
        TestPlayer alice = tester.join("alice");
        TestPlayer bob = tester.join("bob");

        bob.drop();
        tester.advance(Duration.ofMillis(990));
        assertEquals(2, tester.playerCount());
        tester.advance(Duration.ofMillis(50));

        assertEquals(List.of("bob"), alice.playersLeft().stream().map(PlayerLeft::getName).toList());
        assertEquals(1, tester.playerCount());
        JoinRefusedException refused = assertThrows(JoinRefusedException.class, bob::reconnect);
        assertEquals(ErrorCode.RECONNECT_REFUSED, refused.code());
    }

    @Test
    void shouldDeliverChatLinesApartFromNotices() {
        GameTester tester = tagTester();
        TestPlayer alice = tester.join("alice");
        TestPlayer bob = tester.join("bob");

        alice.say("tag me if you can");
        tester.tick();

        List<ChatLine> lines = bob.chat();
        assertEquals(1, lines.size());
        assertEquals("alice", lines.get(0).getName());
        assertEquals("tag me if you can", lines.get(0).getText());
        assertEquals(alice.id(), lines.get(0).getPlayerId());
        assertTrue(bob.notices().isEmpty());
    }

    @Test
    void shouldReadTheStateOfAGameThatWritesItsOwnSnapshots() {
        GameTester tester = tester(GameTester.builder(TallyGame::new));
        TestPlayer alice = tester.join("alice");
        assertEquals(Tally.newBuilder().setPlayers(1).build(), alice.gameInfo(Tally.parser()));

        alice.input(new byte[] {1});
        alice.input(new byte[] {2});
        tester.tick();

        assertEquals(Tally.newBuilder().setInputs(2).setPlayers(1).build(), alice.state(Tally.parser()));
        assertThrows(IllegalStateException.class, alice::state, "no replicated state");
    }

    @Test
    void shouldFailTheStepInWhichTheGameThrew() {
        GameTester tester = tester(GameTester.builder(() -> new ThrowsOnInput(new TagGame())));
        TestPlayer alice = tester.join("alice");

        alice.input(RIGHT);
        AssertionError failure = assertThrows(AssertionError.class, tester::tick);

        assertTrue(failure.getMessage().contains("input"), failure.getMessage());
        assertEquals("bad input", failure.getCause().getMessage());
        assertEquals(1, tester.errors().size());
        assertEquals("input", tester.errors().get(0).callback());
        assertEquals(1, tester.errors().get(0).tick(), "inputs are handled before the room steps tick 2");
        tester.tick(); // contained by the server, reported once: the next step goes on
        assertEquals(3, tester.currentTick());
    }

    @Test
    void shouldListTheGamesErrorsWhenToldToTolerateThem() {
        GameTester tester = tester(GameTester.builder(() -> new ThrowsOnInput(new TagGame())).tolerateGameErrors());
        TestPlayer alice = tester.join("alice");
        tester.assertNoErrors();

        alice.input(RIGHT);
        tester.tick();
        alice.input(RIGHT);
        tester.tick();

        assertEquals(2, tester.errors().size());
        assertThrows(AssertionError.class, tester::assertNoErrors);
        assertEquals(0, runnerOf(alice, alice).getInt("x"), "the server skipped the failed inputs");
    }

    @Test
    void shouldGiveTheSameResultsForTheSameJoinsInputsAndTicks() {
        assertEquals(play(), play());
    }

    /** A short match; returns what alice and bob saw after each tick, and their events. */
    private static List<Object> play() {
        List<Object> seen = new ArrayList<>();
        try (GameTester tester = GameTester.builder(TagGame::new).tickRate(30).snapshotRate(15).build()) {
            TestPlayer alice = tester.join("alice");
            TestPlayer bob = tester.join("bob");
            for (int i = 0; i < 12; i++) {
                alice.input(i % 3 == 0 ? LEFT : RIGHT);
                if (i % 2 == 0) {
                    bob.input(Move.newBuilder().setDy(1).build());
                }
                tester.tick();
                seen.add(alice.state());
                seen.add(bob.state());
            }
            bob.drop();
            tester.tick(2);
            bob.reconnect();
            tester.advance(Duration.ofMillis(200));
            seen.add(bob.state());
            seen.add(alice.events(Tagged.parser()));
            seen.add(bob.snapshots().stream().map(s -> s.getState()).toList());
        }
        return seen;
    }

    @Test
    void shouldStopTheGamesOnClose() {
        List<String> calls = new ArrayList<>();
        GameTester tester = GameTester.of(() -> new ThrowsOnInput(new TagGame()) {
            @Override
            public void stop() {
                calls.add("stop");
            }
        });
        tester.join("alice");

        tester.close();

        assertEquals(List.of("stop"), calls);
    }

    /** Delegates to a game and throws on every input (after letting the game see none of it). */
    private static class ThrowsOnInput implements Game {
        private final Game game;

        ThrowsOnInput(Game game) {
            this.game = game;
        }

        @Override
        public void start(RoomContext room) {
            game.start(room);
        }

        @Override
        public void playerJoined(int playerId, String name) {
            game.playerJoined(playerId, name);
        }

        @Override
        public void playerLeft(int playerId) {
            game.playerLeft(playerId);
        }

        @Override
        public void input(int playerId, long seq, InputPayload payload) {
            throw new IllegalArgumentException("bad input");
        }

        @Override
        public void tick(long tick) {
            game.tick(tick);
        }

        @Override
        public void stop() {
            game.stop();
        }
    }

    @Test
    void shouldHandTheTestTheGamesOwnInstance() {
        GameTester tester = tagTester();
        tester.join("alice");

        assertSame(tester.games().get(0), tester.game(TagGame.class));
    }
}
