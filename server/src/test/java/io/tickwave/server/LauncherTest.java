package io.tickwave.server;

import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testgame.WalkerMain;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: fail fast with one clear line, print what is in force, stop cleanly on SIGTERM. */
class LauncherTest {

    private static final class Output {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        int run(String... args) {
            return TickwaveLauncher.run(args, "walker", WalkerGame::new,
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldFailFastWithOneLineNamingABadSetting() {
        Output output = new Output();
        assertEquals(2, output.run("--tick-rate", "60", "--snapshot-rate", "25"));
        assertEquals(1, output.err().lines().count(), output.err());
        assertTrue(output.err().contains("--snapshot-rate (TICKWAVE_SNAPSHOT_RATE) must divide --tick-rate"), output.err());
    }

    @Test
    void shouldFailFastWithOneLineNamingABadHardeningSetting() {
        Output origins = new Output();
        assertEquals(2, origins.run("--allowed-origins", "https://ok.example.com,game.example.com"));
        assertEquals(1, origins.err().lines().count(), origins.err());
        assertTrue(origins.err().contains("--allowed-origins (TICKWAVE_ALLOWED_ORIGINS): 'game.example.com'"),
                origins.err());
        Output tls = new Output();
        assertEquals(2, tls.run("--tls-cert", "cert.pem"));
        assertEquals(1, tls.err().lines().count(), tls.err());
        assertTrue(tls.err().contains("--tls-cert (TICKWAVE_TLS_CERT) and --tls-key (TICKWAVE_TLS_KEY) go together"),
                tls.err());
    }

    @Test
    void shouldFailFastOnAFrameLimitBelowTheMessageLimit() {
        Output output = new Output();
        assertEquals(2, output.run("--max-messages-per-second", "100", "--max-frames-per-second", "50"));
        assertEquals(1, output.err().lines().count(), output.err());
        assertTrue(output.err().contains("--max-frames-per-second (TICKWAVE_MAX_FRAMES_PER_SECOND) must be at least"
                + " --max-messages-per-second (100)"), output.err());
    }

    @Test
    void shouldReadTheFrameLimitFromItsFlag() {
        TickwaveLauncher options = new TickwaveLauncher();
        new picocli.CommandLine(options).parseArgs("--max-frames-per-second", "500");
        assertEquals(500, options.toSettings().validate().maxFramesPerSecond());
        TickwaveLauncher defaults = new TickwaveLauncher();
        new picocli.CommandLine(defaults).parseArgs("--max-messages-per-second", "50");
        assertEquals(100, defaults.toSettings().validate().maxFramesPerSecond(), "0, the default: twice the messages");
    }

    @Test
    void shouldFailFastOnAnUnknownFlagNamingTheGame() {
        Output output = new Output();
        assertEquals(2, output.run("--tickrate", "60"));
        assertTrue(output.err().startsWith("walker: "), output.err());
    }

    @Test
    void shouldNameTheGameInTheUsageLine() {
        Output output = new Output();
        assertEquals(0, output.run("--help"));
        assertTrue(output.out().startsWith("Usage: walker "), output.out());
    }

    @Test
    void shouldRefuseNegativeIoThreadsNamingTheFlag() {
        Output output = new Output();
        assertEquals(2, output.run("--io-threads", "-1"));
        assertEquals(1, output.err().lines().count(), output.err());
        assertTrue(output.err().contains("--io-threads (TICKWAVE_IO_THREADS) must be 0 (one per CPU) or between 1 and 256,"
                + " was -1"), output.err());
    }

    @Test
    void shouldReportAHostThatDoesNotResolveAsSuchNotAsATakenPort() {
        Output output = new Output();
        assertEquals(2, output.run("--host", "no-such-host.invalid", "--port", "0"));
        assertEquals(1, output.err().lines().count(), output.err());
        assertTrue(output.err().contains("--host (TICKWAVE_HOST) 'no-such-host.invalid' is not a host name this machine"
                + " can resolve"), output.err());
        assertFalse(output.err().contains("another port"), output.err());
    }

    @Test
    void shouldReportAnAddressOfAnotherMachineAsSuchNotAsATakenPort() {
        Output output = new Output();
        // 192.0.2.0/24 is TEST-NET-1, documentation only: never an address of this machine.
        assertEquals(2, output.run("--host", "192.0.2.7", "--port", "0"));
        assertEquals(1, output.err().lines().count(), output.err());
        assertTrue(output.err().contains("--host (TICKWAVE_HOST) '192.0.2.7' (192.0.2.7) is not an address of this machine"),
                output.err());
        assertFalse(output.err().contains("another port"), output.err());
    }

    @Test
    void shouldFailFastWithOneLineWhenThePortIsTaken() {
        try (TickwaveServer holder = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1"),
                WalkerGame::new)) {
            Output output = new Output();
            assertEquals(1, output.run("--host", "127.0.0.1", "--port", String.valueOf(holder.port())));
            assertEquals(1, output.err().lines().count(), output.err());
            assertTrue(output.err().contains("choose another port with --port"), output.err());
        }
    }

    @Test
    void shouldPrintTheUrlAndSettingsThenExitZeroOnSigterm() throws Exception {
        // Started without a heap limit, whatever this JVM's environment adds, so the heap hint shows.
        Process process = walkerServer("--host", "127.0.0.1", "--port", "0", "--tick-rate", "30", "--snapshot-rate", "10",
                "--outbox-capacity", "512").start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            int port = readBoundPort(reader, lines);
            for (String line = reader.readLine(); line != null && !line.startsWith("Press Ctrl-C"); line = reader.readLine()) {
                lines.add(line);
            }
            String banner = String.join("\n", lines);
            assertTrue(banner.contains("tick-rate=30 Hz snapshot-rate=10 Hz"), banner);
            assertTrue(banner.contains("outbox-capacity=512"), banner);
            assertTrue(banner.contains("port=" + port + " "), "the settings show the port bound, not 0: " + banner);
            assertTrue(banner.contains("max-messages-per-second=120 max-frames-per-second=240"), banner);
            assertTrue(banner.lines().anyMatch(line -> line.startsWith("Hint: no -Xmx given")), banner);
            assertTrue(banner.lines().noneMatch(line -> line.contains("XNIO")), "library version chatter: " + banner);
            assertEquals(200, ServerIntegrationTest.get(port, "/health").statusCode());
            java.net.http.HttpResponse<String> schema = ServerIntegrationTest.get(port, "/proto/tickwave.proto");
            assertEquals("text/plain; charset=utf-8", schema.headers().firstValue("Content-Type").orElse(""),
                    "a browser shows the schema instead of downloading it");

            // SIGTERM, as a service manager sends it (Process.destroy would also close our pipes).
            new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "still running after SIGTERM");
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } finally {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), String.join("\n", lines));
        assertTrue(lines.contains("Tickwave stopped."), String.join("\n", lines));
    }

    @Test
    void shouldNameTheEnvironmentVariableWhenItsValueCannotBeParsed() throws Exception {
        ProcessBuilder launch = walkerServer();
        launch.environment().put("TICKWAVE_PORT", "abc");
        Process process = launch.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), output);
        assertEquals(2, process.exitValue(), output);
        assertEquals(1, output.lines().count(), output);
        assertTrue(output.contains("'abc'") && output.contains("taken from the environment variable TICKWAVE_PORT"),
                output);
    }

    @Test
    void shouldDrainOnSigtermClosePlayersWithRematchAtTheDeadlineAndExitZero() throws Exception {
        Process process = walkerServer("--host", "127.0.0.1", "--port", "0", "--drain-timeout-ms", "500").start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            int port = readBoundPort(reader, lines);
            try (TestClient player = TestClient.joined(port, "ann")) {
                new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
                assertEquals(4013, player.awaitClose(Duration.ofSeconds(20)), "rematch at the drain deadline");
            }
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "still running after the drain");
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } finally {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("Tickwave is draining")), String.join("\n", lines));
    }

    @Test
    void shouldNotBlameTheEnvironmentForABadValueGivenOnTheCommandLine() {
        Output output = new Output();
        assertEquals(2, output.run("--port", "abc"));
        assertTrue(output.err().contains("'abc'") && !output.err().contains("environment"), output.err());
    }

    @Test
    void shouldServePlayersInAJvmStartedWithoutAnyFlag() throws Exception {
        // As a developer's own project runs it (mvn exec:java, an IDE): no --add-exports, no manifest entry.
        Process process = walkerServer("--host", "127.0.0.1", "--port", "0", "--tick-rate", "30", "--snapshot-rate", "10")
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            int port = readBoundPort(reader, lines);
            try (TestClient player = TestClient.joined(port, "ann")) {
                player.input(1, 1, 0);
                player.awaitMessage(ServerMessage::hasSnapshot, Duration.ofSeconds(10));
                player.chat("hello");
                player.awaitMessage(ServerMessage::hasChat, Duration.ofSeconds(10));
            }
            new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "still running after SIGTERM");
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } finally {
            process.destroyForcibly();
        }
        String output = String.join("\n", lines);
        assertEquals(0, process.exitValue(), output);
        assertTrue(lines.stream().noneMatch(line -> line.contains("IllegalAccessError") || line.contains("Exception")),
                output);
    }

    /**
     * A child JVM running {@link WalkerMain} with {@code args} on this test's class path, with no JVM option at all
     * (none from JAVA_TOOL_OPTIONS or JDK_JAVA_OPTIONS either); its stderr joins its stdout.
     */
    private static ProcessBuilder walkerServer(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WalkerMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder launch = new ProcessBuilder(command).redirectErrorStream(true);
        launch.environment().remove("JAVA_TOOL_OPTIONS");
        launch.environment().remove("JDK_JAVA_OPTIONS");
        return launch;
    }

    /** Reads the launched server's output up to the banner line with its URL; returns the port it names. */
    private static int readBoundPort(BufferedReader reader, List<String> lines) throws java.io.IOException {
        Pattern url = Pattern.compile("open http://127\\.0\\.0\\.1:(\\d+)/");
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
            Matcher matcher = url.matcher(line);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("no URL printed: " + lines);
    }
}
