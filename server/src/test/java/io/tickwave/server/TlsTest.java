package io.tickwave.server;

import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.TestClient;
import io.tickwave.server.tls.SelfSignedPem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With --tls-cert and --tls-key the one port serves https and wss, and a bad file stops the start. */
class TlsTest {

    @TempDir
    static Path dir;
    private static SelfSignedPem rsa;
    private static SelfSignedPem ec;

    @BeforeAll
    static void generateCertificates() throws Exception {
        rsa = SelfSignedPem.generate(dir, "RSA");
        ec = SelfSignedPem.generate(dir, "EC");
    }

    @Test
    void shouldServeHttpsAndWssOnItsOnePortWithPemFiles() throws Exception {
        for (SelfSignedPem pem : new SelfSignedPem[]{rsa, ec}) {
            String keyAlgorithm = pem.keyFile().getFileName().toString();
            try (TickwaveServer server = TickwaveServer.start(ServerSettings.defaults().withPort(0)
                    .withHost("127.0.0.1").withTls(pem.certFile(), pem.keyFile()), WalkerGame::new)) {
                HttpClient https = HttpClient.newBuilder().sslContext(pem.trustingClientContext()).build();
                HttpResponse<String> health = https.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + server.port() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), keyAlgorithm);
                assertTrue(health.body().contains("\"status\":\"ok\""), health.body());

                try (TestClient client = TestClient.connect(https,
                        URI.create("wss://127.0.0.1:" + server.port() + "/ws"))) {
                    client.join("secure");
                    assertTrue(client.awaitMessage(ServerMessage::hasWelcome).getWelcome().getPlayerId() > 0);
                    client.awaitMessage(ServerMessage::hasSnapshot);
                }
            }
        }
    }

    @Test
    void shouldNotAnswerPlainHttpWhenServingTls() throws Exception {
        SelfSignedPem pem = ec;
        try (TickwaveServer server = TickwaveServer.start(ServerSettings.defaults().withPort(0)
                .withHost("127.0.0.1").withTls(pem.certFile(), pem.keyFile()), WalkerGame::new)) {
            assertThrows(java.io.IOException.class, () -> ServerIntegrationTest.get(server.port(), "/health"));
        }
    }

    @Test
    void shouldFailFastWithOneLineNamingTheFlagOfABadFile() throws Exception {
        SelfSignedPem pem = rsa;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TickwaveLauncher.run(new String[]{"--host", "127.0.0.1", "--port", "0",
                "--tls-cert", pem.certFile().toString(), "--tls-key", dir.resolve("missing.pem").toString()},
                "walker", WalkerGame::new, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, exit, message);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("--tls-key (TICKWAVE_TLS_KEY): no such file"), message);
    }

    @Test
    void shouldRefuseACertificateWithoutAKey() throws Exception {
        SelfSignedPem pem = rsa;
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () ->
                ServerSettings.defaults().withTls(pem.certFile(), null).validate());
        assertTrue(error.getMessage().contains("--tls-cert (TICKWAVE_TLS_CERT) and --tls-key (TICKWAVE_TLS_KEY) go together"),
                error.getMessage());
    }
}
