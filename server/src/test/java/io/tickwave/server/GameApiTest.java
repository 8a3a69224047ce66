package io.tickwave.server;

import io.tickwave.protocol.ChatLine;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Welcome;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.net.CloseCodes;
import io.tickwave.server.testgame.CommandGame;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The game API of issue 10 end to end, over real WebSockets: join options, the admit and chat hooks,
 * rooms by id and private rooms, capacity and locks, kicks, ends, notices and per-room rates. The test
 * game ({@link CommandGame}) takes its orders as chat commands, so every call into the room is made on
 * the loop thread as a game makes it.
 */
class GameApiTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();
    private TickwaveServer server;

    private TickwaveServer start(Consumer<RoomContext> atStart) {
        TickwaveServer[] started = new TickwaveServer[1];
        server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withTickRate(60).withSnapshotRate(30),
                () -> new CommandGame(log, atStart, () -> started[0].metrics().currentTick.get()));
        started[0] = server;
        return server;
    }

    @AfterEach
    void closeAll() {
        clients.forEach(TestClient::close);
        if (server != null) {
            server.close();
        }
    }

    private TestClient connect() {
        TestClient client = TestClient.connect(server.port());
        clients.add(client);
        return client;
    }

    private static void join(TestClient client, String name, Consumer<Join.Builder> extra) {
        Join.Builder join = Join.newBuilder().setName(name).setProtocolVersion(2);
        extra.accept(join);
        client.send(ClientMessage.newBuilder().setJoin(join).build());
    }

    private Welcome joined(String name, Consumer<Join.Builder> extra) {
        TestClient client = connect();
        join(client, name, extra);
        return client.awaitMessage(ServerMessage::hasWelcome, WAIT).getWelcome();
    }

    private TestClient client(int index) {
        return clients.get(index);
    }

    private static ServerMessage awaitError(TestClient client, ErrorCode code) {
        return client.awaitMessage(m -> m.hasError() && m.getError().getCode() == code, WAIT);
    }

    private static Predicate<ServerMessage> notice(String text) {
        return m -> m.hasChat() && m.getChat().getPlayerId() == 0 && m.getChat().getText().equals(text);
    }

    private void awaitLog(String line) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!log.contains(line)) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("no \"" + line + "\" in the game's log: " + log.stream()
                        .filter(l -> !l.startsWith("tick")).toList());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void shouldHandJoinOptionsToAdmitAndToTheGame() {
        start(room -> { });
        Welcome welcome = joined("ann", j -> j.putOptions("token", "good").putOptions("team", "red"));
        awaitLog("admit ann {team=red, token=good}");
        awaitLog("joined " + welcome.getPlayerId() + " {team=red, token=good}");
    }

    @Test
    void shouldRefuseAJoinTheGameDoesNotAdmitAndSeatTheNextJoinOnTheSameSocket() {
        start(room -> { });
        TestClient client = connect();
        join(client, "mallory", j -> j.putOptions("token", "bad"));
        assertEquals("bad token", awaitError(client, ErrorCode.JOIN_REFUSED).getError().getMessage());
        awaitLog("stop"); // the room opened for that join alone is taken down
        join(client, "mallory", j -> j.putOptions("token", "good"));
        Welcome welcome = client.awaitMessage(ServerMessage::hasWelcome, WAIT).getWelcome();
        awaitLog("joined " + welcome.getPlayerId() + " {token=good}");
        assertFalse(client.isClosed());
    }

    @Test
    void shouldRefuseJoinOptionsOverTheLimitsWithoutClosing() {
        start(room -> { });
        TestClient client = connect();
        join(client, "many", j -> {
            for (int i = 0; i < 17; i++) {
                j.putOptions("k" + i, "v");
            }
        });
        assertTrue(awaitError(client, ErrorCode.BAD_JOIN_OPTIONS).getError().getMessage().contains("at most 16"));
        join(client, "long", j -> j.putOptions("k".repeat(33), "v"));
        join(client, "both", j -> j.setRoomId(1).setCreateRoom(true));
        assertEquals(3, client.awaitCount(m -> m.hasError() && m.getError().getCode() == ErrorCode.BAD_JOIN_OPTIONS,
                3, WAIT).size());
        join(client, "fine", j -> j.putOptions("k".repeat(32), "v".repeat(256)));
        client.awaitMessage(ServerMessage::hasWelcome, WAIT);
        assertFalse(log.stream().anyMatch(l -> l.startsWith("admit many") || l.startsWith("admit long")
                || l.startsWith("admit both")), "refused on the IO thread: " + log);
    }

    @Test
    void shouldJoinByRoomIdAndRefuseUnknownFullAndLockedRooms() {
        start(room -> room.setCapacity(2));
        Welcome first = joined("ann", j -> j.setCreateRoom(true));
        assertEquals(2, first.getRoomCapacity());
        int roomId = first.getRoomId();
        assertEquals(roomId, joined("bob", j -> j.setRoomId(roomId)).getRoomId());

        TestClient carl = connect();
        join(carl, "carl", j -> j.setRoomId(roomId));
        assertEquals("room " + roomId + " is full", awaitError(carl, ErrorCode.ROOM_FULL).getError().getMessage());
        join(carl, "carl", j -> j.setRoomId(roomId + 1000));
        awaitError(carl, ErrorCode.ROOM_NOT_FOUND);
        assertFalse(carl.isClosed());

        client(1).close(); // bob leaves: a free seat, then ann locks the room
        client(0).awaitMessage(ServerMessage::hasPlayerLeft, WAIT);
        client(0).chat("/lock");
        client(0).chat("/count");
        client(0).awaitMessage(notice("players 1"), WAIT);
        join(carl, "carl", j -> j.setRoomId(roomId));
        awaitError(carl, ErrorCode.ROOM_LOCKED);
        client(0).chat("/unlock");
        client(0).chat("/count");
        client(0).awaitCount(notice("players 1"), 2, WAIT);
        join(carl, "carl", j -> j.setRoomId(roomId));
        assertEquals(roomId, carl.awaitMessage(ServerMessage::hasWelcome, WAIT).getWelcome().getRoomId());
    }

    @Test
    void shouldNotSeatJoinOrCreateInAPrivateOrLockedRoom() {
        start(room -> { });
        int privateRoom = joined("host", j -> j.setCreateRoom(true)).getRoomId();
        int publicRoom = joined("walk-in", j -> { }).getRoomId();
        assertNotEquals(privateRoom, publicRoom);
        client(1).chat("/lock");
        client(1).chat("/count");
        client(1).awaitMessage(notice("players 1"), WAIT);
        int third = joined("late", j -> { }).getRoomId();
        assertNotEquals(privateRoom, third);
        assertNotEquals(publicRoom, third);
        assertEquals(privateRoom, joined("friend", j -> j.setRoomId(privateRoom)).getRoomId());
    }

    @Test
    void shouldKickWithKickedAnd4015AndAnnounceTheLeave() {
        start(room -> { });
        Welcome ann = joined("ann", j -> { });
        Welcome bob = joined("bob", j -> { });
        client(0).chat("/kick " + bob.getPlayerId() + " no cheating");
        assertEquals("no cheating", awaitError(client(1), ErrorCode.KICKED).getError().getMessage());
        assertEquals(CloseCodes.KICKED, client(1).awaitClose(WAIT));
        client(0).awaitMessage(m -> m.hasPlayerLeft() && m.getPlayerLeft().getPlayerId() == bob.getPlayerId(), WAIT);
        awaitLog("left " + bob.getPlayerId());
        assertFalse(log.contains("left " + ann.getPlayerId()));
    }

    @Test
    void shouldEndTheRoomForEveryoneWithRoomEndedAnd4016ThenStop() {
        start(room -> { });
        Welcome ann = joined("ann", j -> { });
        Welcome bob = joined("bob", j -> { });
        client(1).chat("/end round over");
        for (int i = 0; i < 2; i++) {
            assertEquals("round over", awaitError(client(i), ErrorCode.ROOM_ENDED).getError().getMessage());
            assertEquals(CloseCodes.ROOM_ENDED, client(i).awaitClose(WAIT));
        }
        awaitLog("stop");
        int stop = log.indexOf("stop");
        assertTrue(log.indexOf("left " + ann.getPlayerId()) < stop && log.indexOf("left " + bob.getPlayerId()) < stop,
                "playerLeft for each, then stop: " + log.stream().filter(l -> !l.startsWith("tick")).toList());
        assertFalse(client(0).received().stream().anyMatch(ServerMessage::hasPlayerLeft),
                "an ended room announces no leaves");
    }

    @Test
    void shouldSendNoticesAsChatLinesOfPlayerZero() {
        start(room -> { });
        joined("ann", j -> { });
        Welcome bob = joined("bob", j -> { });
        client(0).chat("/notice " + bob.getPlayerId() + " psst");
        ChatLine line = client(1).awaitMessage(notice("psst"), WAIT).getChat();
        assertEquals("", line.getName());
        client(0).chat("/broadcast hello all");
        client(0).awaitMessage(notice("hello all"), WAIT);
        client(1).awaitMessage(notice("hello all"), WAIT);
        assertFalse(client(0).received().stream().anyMatch(notice("psst")), "a notice goes to its player only");
    }

    @Test
    void shouldDropAChatLineTheGameRefuses() {
        start(room -> { });
        Welcome ann = joined("ann", j -> { });
        joined("bob", j -> { });
        client(0).chat("this has a badword in it");
        client(0).chat("a clean line");
        Predicate<ServerMessage> fromAnn = m -> m.hasChat() && m.getChat().getPlayerId() == ann.getPlayerId();
        client(1).awaitMessage(m -> fromAnn.test(m) && m.getChat().getText().equals("a clean line"), WAIT);
        client(0).awaitMessage(m -> fromAnn.test(m) && m.getChat().getText().equals("a clean line"), WAIT);
        for (int i = 0; i < 2; i++) {
            assertFalse(client(i).received().stream().anyMatch(m -> fromAnn.test(m)
                    && m.getChat().getText().contains("badword")), "the dropped line is neither echoed nor sent");
        }
        assertEquals(1L, server.metrics().chatLines.get(), "only the line passed on counts");
    }

    @Test
    void shouldStepARoomAtItsOwnTickRate() {
        start(room -> {
            room.setTickRate(20);
            room.setSnapshotRate(10);
        });
        Welcome welcome = joined("slow", j -> { });
        assertEquals(20, welcome.getTickRate());
        assertEquals(10, welcome.getSnapshotRate());
        awaitLog("start " + welcome.getRoomId() + " 20/10 " + 3 * server.settings().tickIntervalNs());
        client(0).awaitCount(ServerMessage::hasSnapshot, 5, WAIT);
        awaitLogPrefix("tick 12 at ");
        List<Long> loopTicks = new ArrayList<>();
        for (String line : log) {
            if (line.startsWith("tick ")) {
                loopTicks.add(Long.parseLong(line.substring(line.indexOf(" at ") + 4)));
            }
        }
        for (int i = 1; i < loopTicks.size(); i++) {
            assertEquals(3L, loopTicks.get(i) - loopTicks.get(i - 1), "every 3rd loop tick: " + loopTicks);
        }
        for (ServerMessage message : client(0).received()) {
            if (message.hasSnapshot()) {
                assertEquals(0, message.getSnapshot().getTick() % 2, "a snapshot every 2nd room tick");
            }
        }
        client(0).chat("/tickrate 10");
        assertTrue(client(0).awaitMessage(m -> m.hasChat() && m.getChat().getText().startsWith("refused: "), WAIT)
                .getChat().getText().contains("only be called from Game.start"));
    }

    private void awaitLogPrefix(String prefix) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (log.stream().noneMatch(l -> l.startsWith(prefix))) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("nothing starting \"" + prefix + "\" in the game's log");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void shouldRefuseATickRateThatDoesNotDivideTheServersAndRoomSettersOutsideStart() {
        List<String> outcomes = new CopyOnWriteArrayList<>();
        start(room -> {
            for (int hz : new int[]{7, 0, 120}) {
                try {
                    room.setTickRate(hz);
                    outcomes.add(hz + " taken");
                } catch (IllegalArgumentException e) {
                    outcomes.add(hz + " refused");
                }
            }
            try {
                room.setSnapshotRate(7);
                outcomes.add("snapshot 7 taken");
            } catch (IllegalArgumentException e) {
                outcomes.add("snapshot 7 refused");
            }
            room.setTickRate(30);
            outcomes.add("rates " + room.tickRateHz() + "/" + room.snapshotRateHz());
        });
        Welcome welcome = joined("ann", j -> { });
        assertEquals(List.of("7 refused", "0 refused", "120 refused", "snapshot 7 refused", "rates 30/30"), outcomes);
        assertEquals(30, welcome.getTickRate());
    }
}
