package io.tickwave.arena;

import static io.tickwave.arena.ArenaWebSocketClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.arena.protocol.ArenaInfo;
import io.tickwave.arena.protocol.PlayerScore;
import io.tickwave.arena.protocol.Ship;
import io.tickwave.arena.sim.ArenaRules;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.TickwaveServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The arena running in the real server, played over real WebSockets (no browser). */
class ArenaServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private TickwaveServer server;

    @BeforeEach
    void startServer() {
        server = TickwaveServer.start(ServerSettings.defaults().withHost("127.0.0.1").withPort(0), ArenaGame::new);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeTheBrowserClientItsScriptsAndTheProtoFiles() throws Exception {
        HttpResponse<String> index = get("/");
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("Tickwave"), "the arena's index.html, not a placeholder");
        for (String path : new String[] {"/js/main.js", "/js/movement.js", "/proto/arena.proto", "/proto/tickwave.proto",
                "/proto/tickwave_options.proto", "/webjars/protobufjs/7.5.4/dist/protobuf.min.js"}) {
            assertEquals(200, get(path).statusCode(), path);
        }
        assertTrue(get("/proto/arena.proto").body().contains("message PlayerScore"));
    }

    @Test
    void shouldWelcomeWithTheArenaAndMoveTheShipForEachInput() throws Exception {
        try (ArenaWebSocketClient client = ArenaWebSocketClient.join(server.port(), "mover")) {
            await("welcome and first snapshot", TIMEOUT,
                    () -> client.welcome() != null && client.ship(client.playerId()).isPresent());
            ArenaInfo info = ArenaInfo.parseFrom(client.welcome().getGameInfo());
            assertEquals(ArenaRules.standard().inputRateHz(), info.getInputRateHz());
            Ship start = client.ship(client.playerId()).orElseThrow();

            int last = 0;
            for (int i = 0; i < 5; i++) {
                last = client.sendInput(0, start.getY() > info.getHeight() / 2 ? -1 : 1, 0f, false);
            }
            int lastSeq = last;
            await("the snapshot acknowledging input " + lastSeq, TIMEOUT,
                    () -> client.lastSnapshot().getAckInputSeq() >= lastSeq);

            Ship moved = client.ship(client.playerId()).orElseThrow();
            assertTrue(Math.abs(moved.getY() - start.getY()) > 1, "moved vertically: " + start.getY() + " -> " + moved.getY());
            assertTrue(client.errors().isEmpty(), client.errors().toString());
        }
    }

    @Test
    void shouldShowEachPlayerTheOthersShipAndTheirChat() throws Exception {
        try (ArenaWebSocketClient ada = ArenaWebSocketClient.join(server.port(), "ada");
             ArenaWebSocketClient bob = ArenaWebSocketClient.join(server.port(), "bob")) {
            await("both welcomed", TIMEOUT, () -> ada.playerId() != 0 && bob.playerId() != 0);
            await("ada sees bob's ship", TIMEOUT, () -> ada.ship(bob.playerId()).isPresent());
            await("bob sees ada's ship", TIMEOUT, () -> bob.ship(ada.playerId()).isPresent());

            ada.sendChat("hello bob");

            await("bob gets ada's line", TIMEOUT, () -> bob.chat().stream()
                    .anyMatch(l -> l.getPlayerId() == ada.playerId() && l.getText().equals("hello bob")));
        }
    }

    @Test
    void shouldScoreForTheShooterWhenAShipIsDestroyed() throws Exception {
        try (ArenaWebSocketClient hunter = ArenaWebSocketClient.join(server.port(), "hunter");
             ArenaWebSocketClient prey = ArenaWebSocketClient.join(server.port(), "prey")) {
            await("both ships visible", TIMEOUT, () -> hunter.playerId() != 0 && prey.playerId() != 0
                    && hunter.ship(prey.playerId()).isPresent() && hunter.ship(hunter.playerId()).isPresent());
            // Both walk towards each other (sidestepping when a wall holds them up); the hunter fires.
            Random sidestep = new Random(1);
            double lastDistance = Double.MAX_VALUE;
            int stuckFrames = 0;
            int dodgeX = 0;
            int dodgeY = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (hunter.score(hunter.playerId()).map(PlayerScore::getScore).orElse(0) == 0
                    && System.nanoTime() < deadline) {
                Ship me = hunter.ship(hunter.playerId()).orElseThrow();
                Ship target = hunter.ship(prey.playerId()).orElseThrow();
                double dx = target.getX() - me.getX();
                double dy = target.getY() - me.getY();
                double distance = Math.hypot(dx, dy);
                stuckFrames = distance > 70 && distance >= lastDistance - 0.5 ? stuckFrames + 1 : 0;
                lastDistance = distance;
                if (stuckFrames > 10) {
                    dodgeX = sidestep.nextInt(3) - 1;
                    dodgeY = sidestep.nextInt(3) - 1;
                    stuckFrames = -15;
                }
                boolean dodging = stuckFrames < 0;
                int moveX = dodging ? dodgeX : (Math.abs(dx) > 40 ? (int) Math.signum(dx) : 0);
                int moveY = dodging ? dodgeY : (Math.abs(dy) > 40 ? (int) Math.signum(dy) : 0);
                hunter.sendInput(moveX, moveY, (float) Math.atan2(dy, dx), true);
                prey.sendInput(-moveX, -moveY, 0f, false);
                Thread.sleep(1000 / 30);
            }

            await("the prey's death reaches its own client", TIMEOUT,
                    () -> prey.score(prey.playerId()).map(PlayerScore::getDeaths).orElse(0) >= 1);
            assertEquals(1, hunter.score(hunter.playerId()).orElseThrow().getScore());
            await("the kill event reaches both", TIMEOUT, () -> hunter.events().stream().anyMatch(e -> e.hasKill()
                    && e.getKill().getKillerId() == hunter.playerId() && e.getKill().getVictimId() == prey.playerId())
                    && prey.events().stream().anyMatch(e -> e.hasKill() && e.getKill().getVictimId() == prey.playerId()));
            assertTrue(hunter.errors().isEmpty() && prey.errors().isEmpty(), hunter.errors() + " " + prey.errors());
        }
    }
}
