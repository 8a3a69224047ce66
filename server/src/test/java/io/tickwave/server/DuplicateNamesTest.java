package io.tickwave.server;

import io.tickwave.protocol.PlayerInfo;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Welcome;
import io.tickwave.server.net.PlayerNames;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Two players of one room never share a name: over real WebSockets, a name already used in the room
 * comes back suffixed in the welcome, in the room's player_joined, in chat and in player_left; other rooms are not
 * concerned, and a suffix is free again once its player leaves.
 */
class DuplicateNamesTest {

    private static TickwaveServer server;

    @BeforeAll
    static void startServer() {
        server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1").withRoomCapacity(3),
                WalkerGame::new);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Each test starts with empty rooms: the previous test's leaves have all been handled. */
    @BeforeEach
    void awaitEmptyRooms() throws InterruptedException {
        for (int i = 0; i < 500 && server.metrics().players.get() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, server.metrics().players.get());
    }

    private static Welcome welcome(TestClient client) {
        return client.awaitMessage(ServerMessage::hasWelcome).getWelcome();
    }

    /** The name the welcome gives the player it welcomes. */
    private static String ownName(TestClient client) {
        Welcome welcome = welcome(client);
        return welcome.getPlayersList().stream().filter(p -> p.getPlayerId() == welcome.getPlayerId())
                .map(PlayerInfo::getName).findFirst().orElseThrow();
    }

    private static String joinedName(TestClient observer, int playerId) {
        return observer.awaitMessage(m -> m.hasPlayerJoined() && m.getPlayerJoined().getPlayerId() == playerId)
                .getPlayerJoined().getName();
    }

    @Test
    void shouldSuffixANameAlreadyUsedInTheRoomEverywhereItIsShown() {
        try (TestClient first = TestClient.joined(server.port(), "ann");
             TestClient second = TestClient.joined(server.port(), "ann");
             TestClient third = TestClient.joined(server.port(), "ANN")) {
            assertEquals("ann", ownName(first));
            assertEquals("ann (2)", ownName(second));
            assertEquals("ANN (3)", ownName(third), "names differing only in case are the same name");
            int secondId = welcome(second).getPlayerId();
            assertEquals(welcome(first).getRoomId(), welcome(third).getRoomId());
            assertEquals("ann (2)", joinedName(first, secondId), "player_joined to the room");
            assertEquals("ann (2)", joinedName(second, secondId), "player_joined to the player itself");
            assertEquals(List.of("ann", "ann (2)", "ANN (3)"), welcome(third).getPlayersList().stream()
                    .map(PlayerInfo::getName).toList(), "the welcome lists everyone by their shown names");

            second.chat("hello");
            ServerMessage chat = first.awaitMessage(m -> m.hasChat() && m.getChat().getText().equals("hello"));
            assertEquals("ann (2)", chat.getChat().getName());
            assertEquals(secondId, chat.getChat().getPlayerId());

            try (TestClient elsewhere = TestClient.joined(server.port(), "ann")) {
                assertNotEquals(welcome(first).getRoomId(), welcome(elsewhere).getRoomId(), "room 1 is full");
                assertEquals("ann", ownName(elsewhere), "a name is unique per room, not per server");
            }
        }
    }

    @Test
    void shouldFreeASuffixOnceItsPlayerLeaves() {
        try (TestClient first = TestClient.joined(server.port(), "bea")) {
            int leaverId;
            try (TestClient leaver = TestClient.joined(server.port(), "bea")) {
                assertEquals("bea (2)", ownName(leaver));
                leaverId = welcome(leaver).getPlayerId();
            }
            assertEquals("bea (2)", first.awaitMessage(m -> m.hasPlayerLeft()
                    && m.getPlayerLeft().getPlayerId() == leaverId).getPlayerLeft().getName());
            try (TestClient again = TestClient.joined(server.port(), "bea")) {
                assertEquals(welcome(first).getRoomId(), welcome(again).getRoomId());
                assertEquals("bea (2)", ownName(again), "the leaver's suffix is free again");
            }
        }
    }

    @Test
    void shouldKeepAFullLengthNameWholeAndAddTheSuffixBeyondTheLimit() {
        String longest = "z".repeat(PlayerNames.MAX_CHARS);
        try (TestClient first = TestClient.joined(server.port(), longest);
             TestClient second = TestClient.joined(server.port(), longest)) {
            assertEquals(longest, ownName(first));
            assertEquals(longest + " (2)", ownName(second));
        }
    }
}
