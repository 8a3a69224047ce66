package io.tickwave.server;

import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerSmokeTest {
    @Test
    void shouldWelcomeAndStreamSnapshots() {
        try (TickwaveServer server = TickwaveServer.start(ServerSettings.defaults().withPort(0), WalkerGame::new);
             TestClient client = TestClient.joined(server.port(), "ann")) {
            client.input(1, 1, 0);
            ServerMessage acked = client.awaitMessage(m -> m.hasSnapshot() && m.getSnapshot().getAckInputSeq() == 1);
            assertTrue(acked.getSnapshot().getTick() > 0);
            System.out.println(server.metricsText());
        }
    }
}
