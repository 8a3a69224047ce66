package io.tickwave.server;

import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A socket that does not finish its HTTP request within {@code --request-timeout-ms} is closed,
 * however it spreads its bytes; requests that do finish, and upgraded WebSockets, are not affected.
 */
class RequestDeadlineTest {

    private static final int REQUEST_TIMEOUT_MS = 1_000;
    /** Undertow adds 50 ms; timers and a loaded machine add more. */
    private static final long CLOSE_SLACK_MS = 2_000;
    private static TickwaveServer server;

    @BeforeAll
    static void startServer() {
        server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withRequestTimeoutMs(REQUEST_TIMEOUT_MS), WalkerGame::new);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Reads until the server closes the socket; returns how long that took from {@code startNs}, in ms. */
    private static long millisUntilClosed(Socket socket, long startNs) throws IOException {
        socket.setSoTimeout((int) (REQUEST_TIMEOUT_MS + CLOSE_SLACK_MS));
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // a 400 or similar is fine too; only the close matters
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("socket still open " + (REQUEST_TIMEOUT_MS + CLOSE_SLACK_MS) + " ms later", e);
        } catch (IOException reset) {
            // a reset is a close as well
        }
        return (System.nanoTime() - startNs) / 1_000_000;
    }

    @Test
    void shouldCloseASocketThatSendsOnlyPartOfItsHeaders() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            long startNs = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long closedAfterMs = millisUntilClosed(socket, startNs);
            assertTrue(closedAfterMs >= REQUEST_TIMEOUT_MS - 100, "closed too early, after " + closedAfterMs + " ms");
        }
    }

    @Test
    void shouldCloseASocketThatTricklesOneHeaderLineAtATime() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            long startNs = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            boolean closedWhileTrickling = false;
            // A line every 200 ms for three deadlines' worth: each line would re-arm a naive idle timer.
            for (int line = 0; line < 15 && !closedWhileTrickling; line++) {
                Thread.sleep(200);
                try {
                    out.write(("X-Trickle-" + line + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    closedWhileTrickling = true;
                }
            }
            long closedAfterMs = closedWhileTrickling
                    ? (System.nanoTime() - startNs) / 1_000_000 : millisUntilClosed(socket, startNs);
            assertTrue(closedAfterMs < REQUEST_TIMEOUT_MS + CLOSE_SLACK_MS, "closed only after " + closedAfterMs + " ms");
        }
    }

    @Test
    void shouldCloseASocketThatSendsNothing() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            long closedAfterMs = millisUntilClosed(socket, System.nanoTime());
            assertTrue(closedAfterMs >= REQUEST_TIMEOUT_MS - 100, "closed too early, after " + closedAfterMs + " ms");
        }
    }

    @Test
    void shouldStillAnswerARequestSentWhole() throws Exception {
        assertEquals(200, ServerIntegrationTest.get(server.port(), "/health").statusCode());
    }

    @Test
    void shouldKeepAnUpgradedWebSocketOpenPastTheRequestTimeout() throws Exception {
        try (TestClient client = TestClient.joined(server.port(), "stayer")) {
            Thread.sleep(REQUEST_TIMEOUT_MS * 5 / 2);
            assertFalse(client.isClosed(), "the WebSocket was closed by the HTTP request deadline");
            long before = client.received().stream().filter(ServerMessage::hasSnapshot).count();
            client.awaitCount(ServerMessage::hasSnapshot, (int) before + 3, Duration.ofSeconds(5));
        }
    }
}
