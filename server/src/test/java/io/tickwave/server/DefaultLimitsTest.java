package io.tickwave.server;

import com.google.protobuf.ByteString;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.net.CloseCodes;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default frame limit (2 KiB) is what the protocol needs: the largest legitimate messages pass,
 * anything bigger is closed with 1009.
 */
class DefaultLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TickwaveServer server;

    @BeforeAll
    static void startServer() {
        server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1"), WalkerGame::new);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void shouldDefaultToTwoKibibyteFrames() {
        assertEquals(2_048, ServerSettings.defaults().maxFrameBytes());
        assertTrue(ServerSettings.defaults().maxInputBytes() < ServerSettings.defaults().maxFrameBytes());
    }

    @Test
    void shouldAcceptTheLargestInputAndTheLongestChatLineOfFourByteCharacters() {
        try (TestClient client = TestClient.joined(server.port(), "big")) {
            client.inputWithPayload(1, ByteString.copyFrom(new byte[server.settings().maxInputBytes()]));
            client.awaitMessage(m -> m.hasSnapshot() && m.getSnapshot().getAckInputSeq() == 1);
            String line = "😀".repeat(server.settings().maxChatChars());
            client.chat(line);
            client.awaitMessage(m -> m.hasChat() && m.getChat().getText().equals(line));
            assertTrue(client.received().stream().noneMatch(ServerMessage::hasError), client.received().toString());
        }
    }

    @Test
    void shouldCloseAFrameOverTwoKibibytesWithMessageTooBig() {
        try (TestClient client = TestClient.connect(server.port())) {
            client.sendRaw(new byte[2_049]);
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, client.awaitClose(WAIT));
        }
    }
}
