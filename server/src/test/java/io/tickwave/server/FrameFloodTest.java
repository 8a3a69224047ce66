package io.tickwave.server;

import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Ping;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.net.CloseCodes;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.RawWebSocket;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame rate limit over real sockets: floods of frames that carry few or no messages (empty
 * continuation fragments, WebSocket pings) are closed with 4008 and counted in /metrics, while a joined
 * player keeps receiving its snapshots without a gap.
 */
class FrameFloodTest {

    /** How long each flood goes on: new flooding connections, one after the other. */
    private static final long FLOOD_NS = 1_500_000_000L;
    private static final long MAX_SNAPSHOT_GAP_NS = 500_000_000L;
    /** Frames each flooding connection sends before it reads the server's answer. */
    private static final int FRAMES_PER_CONNECTION = 20_000;
    private static final byte[] MASK = {0x5A, (byte) 0xA5, 0x3C, (byte) 0xC3};
    private static TickwaveServer server;

    @BeforeAll
    static void startServer() {
        server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1"), WalkerGame::new);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** A masked client frame of up to 125 bytes; {@code firstByte} is FIN and opcode. */
    private static void frame(ByteArrayOutputStream out, int firstByte, byte[] payload) {
        out.write(firstByte);
        out.write(0x80 | payload.length);
        out.writeBytes(MASK);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ MASK[i % 4]);
        }
    }

    /**
     * Protocol pings, each split into 64 fragments (the most a message may have) of which 63 are empty:
     * 64 frames per message, so the frames run out long before the messages do.
     */
    private static byte[] fragmentFlood() {
        byte[] ping = ClientMessage.newBuilder().setPing(Ping.newBuilder().setClientTime(42)).build().toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int message = 0; message < FRAMES_PER_CONNECTION / 64; message++) {
            frame(out, 0x2, new byte[0]);
            for (int i = 0; i < 62; i++) {
                frame(out, 0x0, new byte[0]);
            }
            frame(out, 0x80, ping);
        }
        return out.toByteArray();
    }

    private static byte[] pingFlood() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < FRAMES_PER_CONNECTION; i++) {
            frame(out, 0x89, new byte[0]);
        }
        return out.toByteArray();
    }

    /** The value of one sample line of the /metrics text, read over HTTP. */
    private static double scrape(String sample) throws Exception {
        String text = ServerIntegrationTest.get(server.port(), "/metrics").body();
        Matcher matcher = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertTrue(matcher.find(), sample + " not in " + text);
        return Double.parseDouble(matcher.group(1));
    }

    /**
     * Floods with {@code flood} on new connections, one after the other, for {@link #FLOOD_NS}, while a
     * joined player watches its snapshots; each flooding connection must be closed with 4008 for its
     * frames, and /metrics must count every one of those closes.
     */
    private static void assertFloodClosedWhilePlayerIsServed(byte[] flood) throws Exception {
        double closesBefore = scrape("tickwave_closes_total{code=\"4008\"}");
        double rateLimitedBefore = scrape("tickwave_rate_limited_total");
        try (TestClient player = TestClient.joined(server.port(), "player")) {
            player.awaitMessage(ServerMessage::hasSnapshot);
            long start = System.nanoTime();
            int floods = 0;
            while (System.nanoTime() - start < FLOOD_NS) {
                try (RawWebSocket flooder = RawWebSocket.connect(server.port(), 0)) {
                    try {
                        flooder.sendRaw(flood);
                    } catch (IOException endedWhileSending) {
                        // The close frame, read next, is what matters.
                    }
                    RawWebSocket.Frame close = flooder.awaitCloseFrame();
                    assertNotNull(close, "flood " + floods + " ended without a close frame");
                    assertEquals(CloseCodes.RATE_LIMITED, close.closeCode(), close.closeReason());
                    assertEquals("over 240 frames per second", close.closeReason());
                }
                floods++;
            }
            long end = System.nanoTime();
            long gapNs = player.longestSnapshotGapNs(start, end);
            assertTrue(gapNs < MAX_SNAPSHOT_GAP_NS, "the player went " + gapNs / 1_000_000 + " ms without a snapshot");
            assertTrue(player.snapshotsArrivedBetween(start, end) >= 20, "snapshots kept arriving");
            assertFalse(player.isClosed());
            assertTrue(floods >= 3, "only " + floods + " floods in the window");
            awaitAtLeast("tickwave_closes_total{code=\"4008\"}", closesBefore + floods);
            assertTrue(scrape("tickwave_rate_limited_total") >= rateLimitedBefore + floods);
        }
    }

    private static void awaitAtLeast(String sample, double expected) throws Exception {
        for (int i = 0; i < 200 && scrape(sample) < expected; i++) {
            Thread.sleep(10);
        }
        assertTrue(scrape(sample) >= expected, sample + " below " + expected);
    }

    @Test
    void shouldDefaultToTwiceTheMessageLimit() {
        assertEquals(240, server.settings().maxFramesPerSecond());
        assertEquals(2 * server.settings().maxMessagesPerSecond(), server.settings().maxFramesPerSecond());
    }

    @Test
    void shouldCloseAFloodOfEmptyContinuationFragmentsWith4008WhileAJoinedPlayerKeepsItsSnapshots() throws Exception {
        assertFloodClosedWhilePlayerIsServed(fragmentFlood());
    }

    @Test
    void shouldCloseAFloodOfWebSocketPingsWith4008WhileAJoinedPlayerKeepsItsSnapshots() throws Exception {
        assertFloodClosedWhilePlayerIsServed(pingFlood());
    }

    @Test
    void shouldLetAClientWithinTheFrameLimitSendFragmentsAndPings() throws Exception {
        byte[] ping = ClientMessage.newBuilder().setPing(Ping.newBuilder().setClientTime(7)).build().toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // 200 frames at once, under the burst of 240: 3 pings in 64 fragments, 8 WebSocket pings.
        for (int message = 0; message < 3; message++) {
            frame(out, 0x2, new byte[0]);
            for (int i = 0; i < 62; i++) {
                frame(out, 0x0, new byte[0]);
            }
            frame(out, 0x80, ping);
        }
        for (int i = 0; i < 8; i++) {
            frame(out, 0x89, new byte[0]);
        }
        long webSocketFramesBefore = server.metrics().webSocketFramesIn.sum();
        long messagesBefore = server.metrics().framesIn.sum();
        try (RawWebSocket client = RawWebSocket.connect(server.port(), 0)) {
            client.sendRaw(out.toByteArray());
            int pongs = 0;
            int webSocketPongs = 0;
            while (pongs < 3 || webSocketPongs < 8) {
                RawWebSocket.Frame frame = client.readFrame();
                assertNotNull(frame, "stream ended");
                assertTrue(frame.opcode() != 0x8, "closed: " + frame.closeCode() + " " + frame.closeReason());
                if (frame.opcode() == 0xA) {
                    webSocketPongs++;
                } else if (frame.message().hasPong()) {
                    pongs++;
                }
            }
        }
        long webSocketFrames = server.metrics().webSocketFramesIn.sum() - webSocketFramesBefore;
        long messages = server.metrics().framesIn.sum() - messagesBefore;
        assertTrue(webSocketFrames >= 200, "tickwave_websocket_frames_in counts every frame: " + webSocketFrames);
        assertTrue(messages >= 3 && messages < 200, "tickwave_frames_in counts whole messages: " + messages);
    }
}
