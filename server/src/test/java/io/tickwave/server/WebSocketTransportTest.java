package io.tickwave.server;

import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.net.CloseCodes;
import io.tickwave.server.testgame.BulkyGame;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.RawWebSocket;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Our WebSocket layer over real sockets: the handshake as browsers and the JDK send it, refused
 * handshakes, broken and oversized frames answered with close codes the client actually sees, and a
 * client that stops reading at the TCP level.
 */
class WebSocketTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TickwaveServer server;

    @BeforeAll
    static void startServer() {
        server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withMaxFrameBytes(1024).withMaxInputBytes(64), WalkerGame::new);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static ClientMessage join(String name) {
        return ClientMessage.newBuilder().setJoin(Join.newBuilder().setName(name).setProtocolVersion(2)).build();
    }

    private static ServerMessage awaitMessage(RawWebSocket ws, java.util.function.Predicate<ServerMessage> test)
            throws IOException {
        for (RawWebSocket.Frame frame = ws.readFrame(); frame != null; frame = ws.readFrame()) {
            if (frame.opcode() == 0x2 && test.test(frame.message())) {
                return frame.message();
            }
            if (frame.opcode() == 0x8) {
                fail("closed with " + frame.closeCode());
            }
        }
        throw new AssertionError("stream ended");
    }

    private static long closes(int code) {
        return server.metrics().closesByCode().getOrDefault(code, 0L);
    }

    @Test
    void shouldAcceptABrowserLikeHandshakeAndServeTheProtocolOverIt() throws Exception {
        String key = "dGhlIHNhbXBsZSBub25jZQ==";
        String request = "GET /ws HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + server.port() + "\r\n"
                + "Connection: keep-alive, Upgrade\r\n"
                + "Pragma: no-cache\r\n"
                + "Cache-Control: no-cache\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36\r\n"
                + "Upgrade: WebSocket\r\n"
                + "Origin: http://127.0.0.1:" + server.port() + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Accept-Encoding: gzip, deflate, br\r\n"
                + "Accept-Language: en-US,en;q=0.9\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
        try (RawWebSocket ws = RawWebSocket.open(server.port(), request, 0)) {
            String head = ws.responseHead();
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            // RFC 6455 section 1.3's own example.
            assertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), head);
            assertTrue(head.toLowerCase().contains("upgrade: websocket"), head);
            assertTrue(!head.toLowerCase().contains("sec-websocket-extensions"), "no extension is accepted: " + head);
            ws.sendMessage(join("browser"));
            assertTrue(awaitMessage(ws, ServerMessage::hasWelcome).getWelcome().getPlayerId() > 0);
            assertTrue(awaitMessage(ws, ServerMessage::hasSnapshot).getSnapshot().getTick() > 0);
            ws.sendFrame(0x80 | 0x9, true, "are you there".getBytes(StandardCharsets.UTF_8));
            for (RawWebSocket.Frame frame = ws.readFrame(); ; frame = ws.readFrame()) {
                if (frame.opcode() == 0xA) {
                    assertEquals("are you there", new String(frame.payload(), StandardCharsets.UTF_8));
                    break;
                }
            }
            ws.sendFrame(0x80 | 0x8, true, new byte[]{0x03, (byte) 0xE8});
            assertEquals(1000, ws.awaitCloseCode(), "the server answers a close with the same code");
            assertEquals(null, ws.readFrame(), "and then ends the connection");
        }
    }

    @Test
    void shouldComputeTheAcceptKeyAsTheRfcSays() throws Exception {
        String key = RawWebSocket.newKey();
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), 0)) {
            assertTrue(ws.responseHead().startsWith("HTTP/1.1 101"));
        }
        String expected = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        String request = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        try (RawWebSocket ws = RawWebSocket.open(server.port(), request, 0)) {
            assertTrue(ws.responseHead().contains("Sec-WebSocket-Accept: " + expected + "\r\n"), ws.responseHead());
        }
    }

    @Test
    void shouldRefuseBadHandshakesWith400Or426() throws Exception {
        String host = "Host: 127.0.0.1\r\n";
        String key = "Sec-WebSocket-Key: " + RawWebSocket.newKey() + "\r\n";
        String[][] cases = {
            {"GET /ws HTTP/1.1\r\n" + host + "\r\n", "426", "Upgrade: websocket"},
            {"GET /ws HTTP/1.1\r\n" + host + "Upgrade: websocket\r\nConnection: Upgrade\r\n" + key
                    + "Sec-WebSocket-Version: 8\r\n\r\n", "426", "Sec-WebSocket-Version: 13"},
            {"GET /ws HTTP/1.1\r\n" + host + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n", "400", ""},
            {"GET /ws HTTP/1.1\r\n" + host + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n", "400", ""},
            {"GET /ws HTTP/1.1\r\n" + host + "Upgrade: websocket\r\nConnection: keep-alive\r\n" + key
                    + "Sec-WebSocket-Version: 13\r\n\r\n", "400", ""},
            {"POST /ws HTTP/1.1\r\n" + host + "Upgrade: websocket\r\nConnection: Upgrade\r\n" + key
                    + "Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n", "400", ""},
        };
        for (String[] c : cases) {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), c[0], 0)) {
                assertTrue(ws.responseHead().startsWith("HTTP/1.1 " + c[1]), c[0] + " → " + ws.responseHead());
                assertTrue(ws.responseHead().contains(c[2]), ws.responseHead());
            }
        }
        assertEquals(200, ServerIntegrationTest.get(server.port(), "/health").statusCode(), "HTTP is still served");
    }

    @Test
    void shouldAnswerOversizedFrameWith1009ThatTheClientSees() throws Exception {
        long before = closes(CloseCodes.MESSAGE_TOO_BIG);
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), 0, 8 * 1024)) {
            // Announce a megabyte and send all of it before reading, as a client in the middle of a big send
            // would: had the server closed the socket with this unread, the reset would fail the send and
            // wipe the close frame from our receive queue.
            ws.sendHeader(0x80 | 0x2, true, 1 << 20, new byte[64 * 1024]);
            for (int i = 0; i < 15; i++) {
                ws.sendRaw(new byte[64 * 1024]);
            }
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, ws.awaitCloseCode());
        }
        try (TestClient client = TestClient.connect(server.port())) {
            client.sendRaw(new byte[4096]);
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, client.awaitClose(WAIT), "the JDK's client sees it too");
        }
        awaitCount(CloseCodes.MESSAGE_TOO_BIG, before + 2);
    }

    @Test
    void shouldCloseBrokenFramingWith1002AndCountIt() throws Exception {
        long before = closes(CloseCodes.PROTOCOL_ERROR);
        int[][] broken = {{0x80 | 0x40 | 0x2, 1}, {0x80 | 0x3, 1}, {0x80 | 0x2, 0}};
        for (int[] frame : broken) {
            try (RawWebSocket ws = RawWebSocket.connect(server.port(), 0)) {
                ws.sendFrame(frame[0], frame[1] == 1, join("x").toByteArray());
                assertEquals(CloseCodes.PROTOCOL_ERROR, ws.awaitCloseCode(), Integer.toHexString(frame[0]));
            }
        }
        awaitCount(CloseCodes.PROTOCOL_ERROR, before + broken.length);
    }

    @Test
    void shouldTakeAFragmentedMessageWithAPingInBetween() throws Exception {
        byte[] message = join("fragments").toByteArray();
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), 0)) {
            ws.sendFrame(0x2, true, java.util.Arrays.copyOfRange(message, 0, 3));
            ws.sendFrame(0x80 | 0x9, true, new byte[0]);
            ws.sendFrame(0x80, true, java.util.Arrays.copyOfRange(message, 3, message.length));
            assertTrue(awaitMessage(ws, ServerMessage::hasWelcome).getWelcome().getPlayersList().stream()
                    .anyMatch(p -> p.getName().equals("fragments")));
        }
    }

    private static void awaitCount(int code, long count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (closes(code) < count && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        assertEquals(count, closes(code), server.metricsText());
    }

    @Test
    void shouldGiveASlowReaderWholeInOrderFramesAndCloseItWith4010WhenItStaysStalled() throws Exception {
        try (TickwaveServer bulky = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withTickRate(60).withSnapshotRate(60).withStallTimeoutMs(3_000), BulkyGame::new);
             RawWebSocket ws = RawWebSocket.connect(bulky.port(), 4_096)) {
            ws.sendMessage(join("slow"));
            awaitMessage(ws, ServerMessage::hasWelcome);
            // Stop reading for a while (below the stall timeout): the server's writes back up and go partial.
            Thread.sleep(1_500);
            assertTrue(bulky.metrics().staleSnapshotsDropped.get() > 0, "the socket backed up: snapshots were replaced");
            long lastTick = 0;
            int snapshots = 0;
            while (snapshots < 120) {
                ServerMessage message = awaitMessage(ws, ServerMessage::hasSnapshot); // parses: frames are whole
                assertTrue(message.getSnapshot().getTick() > lastTick, "snapshots arrive in order");
                lastTick = message.getSnapshot().getTick();
                snapshots++;
            }
            assertEquals(0L, bulky.metrics().closesByCode().getOrDefault(CloseCodes.TOO_SLOW, 0L));
            // Now stall for good: closed as too slow, and the stream ends.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (bulky.metrics().closesByCode().getOrDefault(CloseCodes.TOO_SLOW, 0L) == 0
                    && System.nanoTime() - deadline < 0) {
                Thread.sleep(100);
            }
            assertEquals(1L, bulky.metrics().closesByCode().get(CloseCodes.TOO_SLOW));
            try {
                while (ws.readFrame() != null) {
                    // whatever was written before the close still arrives whole
                }
            } catch (SocketTimeoutException e) {
                fail("the stalled connection was not ended");
            }
        }
    }
}
