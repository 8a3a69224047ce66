package io.tickwave.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliTest {

    @Test
    void shouldReadDurationsWithUnits() {
        DurationConverter c = new DurationConverter();
        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertEquals(Duration.ofSeconds(60), c.convert("60s"));
        assertEquals(Duration.ofMinutes(2), c.convert("2m"));
        assertEquals(Duration.ofMillis(1500), c.convert("1.5"));
        assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("soon"));
    }

    @Test
    void shouldPickExactlyTheSlowFractionOfBots() {
        SwarmSettings s = SwarmSettings.defaults(URI.create("ws://127.0.0.1:1/ws")).withSlow(0.05, Duration.ZERO);
        int slow = 0;
        for (int i = 0; i < 1000; i++) {
            slow += s.isSlow(i) ? 1 : 0;
        }
        assertEquals(50, slow);
        assertEquals(false, SwarmSettings.defaults(URI.create("ws://x/ws")).isSlow(0));
    }

    @Test
    void shouldDecodeStateOnOneBotInNOrOnEveryBotWithVerify() {
        StateDecoding sampled = new StateDecoding(false, 50);
        int decoding = 0;
        for (int i = 0; i < 1000; i++) {
            decoding += sampled.decodes(i) ? 1 : 0;
        }
        assertEquals(20, decoding);
        assertEquals(true, sampled.decodes(0), "the first bot always decodes: a run of few bots still has figures");
        assertEquals(false, new StateDecoding(false, 0).decodes(0));
        assertEquals(true, new StateDecoding(true, 0).decodes(7));
    }

    @Test
    void shouldRefuseANegativeStateStatsSampleAsUsageError() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine cl = BotsMain.commandLine(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        cl.setErr(new java.io.PrintWriter(bytes, true, StandardCharsets.UTF_8));
        assertEquals(2, cl.execute("--state-stats", "-1", "--url", "ws://127.0.0.1:1/ws"), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseAnUnknownBehaviourAsUsageError() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine cl = BotsMain.commandLine(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        cl.setErr(new java.io.PrintWriter(bytes, true, StandardCharsets.UTF_8));
        int exit = cl.execute("--behaviour", "dance", "--url", "ws://127.0.0.1:1/ws");
        assertEquals(2, exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseAnInputRateTheServerWouldNotAccept() {
        assertThrows(IllegalArgumentException.class,
                () -> SwarmSettings.defaults(URI.create("ws://127.0.0.1:1/ws")).withInputRate(500));
    }

    @Test
    void shouldRefuseAProtocolVersionOtherThan1Or2AsUsageError() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine cl = BotsMain.commandLine(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        cl.setErr(new java.io.PrintWriter(bytes, true, StandardCharsets.UTF_8));
        int exit = cl.execute("--protocol-version", "3", "--url", "ws://127.0.0.1:1/ws");
        assertEquals(2, exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseAUrlThatIsNotPlainWebSocketAsUsageErrorBeforeAnyBotStarts() {
        for (String url : new String[]{"http://127.0.0.1:1/", "wss://127.0.0.1:1/ws", "127.0.0.1:8080"}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CommandLine cl = BotsMain.commandLine(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            cl.setErr(new java.io.PrintWriter(bytes, true, StandardCharsets.UTF_8));
            long startNs = System.nanoTime();
            int exit = cl.execute("--url", url, "--bots", "1", "--ramp", "1s", "--warmup", "1s", "--duration", "1s");
            assertEquals(2, exit, bytes.toString(StandardCharsets.UTF_8));
            org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() - startNs < 2_000_000_000L,
                    "refused at once, not after the ramp, warm-up and window");
        }
    }

    @Test
    void shouldExitWithOneAndSayWhyWhenBotsWereRefusedAtTheUpgrade() throws Exception {
        // A tiny HTTP server that answers every upgrade as a server at its per-address cap does.
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread refuser = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (java.net.Socket socket = listener.accept()) {
                        socket.getInputStream().read(new byte[4096]);
                        socket.getOutputStream().write(("HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n"
                                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            refuser.setDaemon(true);
            refuser.start();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CommandLine cl = BotsMain.commandLine(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            int exit = cl.execute("--url", "ws://127.0.0.1:" + listener.getLocalPort() + "/ws", "--bots", "2",
                    "--ramp", "100ms", "--warmup", "200ms", "--duration", "300ms");
            String output = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(1, exit, output);
            org.junit.jupiter.api.Assertions.assertTrue(output.contains("2 of 2 bots never joined"), output);
            org.junit.jupiter.api.Assertions.assertTrue(output.contains("--max-connections-per-address"), output);
        }
    }
}
