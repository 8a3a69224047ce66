package io.tickwave.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.TickwaveServer;
import io.tickwave.server.loop.RoomOccupancy;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.RedisProcess;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One real cluster node on a real Redis, with short seat tokens (1.5 s: a reservation lives 3.5 s): the
 * reservation a matchmade player filled is removed from Redis by the heartbeat that counts the player,
 * and once it would have expired anyway the node stops sending it with every heartbeat, by itself,
 * with no join or leave in the room to make it publish again.
 */
class SeatedReservationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SEAT_TOKEN_MS = 1_500;

    private RedisProcess redis;
    private TickwaveServer node;
    private RedisClient redisClient;
    private StatefulRedisConnection<String, String> redisConnection;

    @BeforeEach
    void startNode() throws Exception {
        redis = RedisProcess.start();
        node = TickwaveServer.start(ServerSettings.defaults().withHost("127.0.0.1").withPort(0).withTickRate(20)
                .withSnapshotRate(10).withRoomCapacity(8).withIoThreads(1).withIdleTimeoutMs(60_000)
                .withRedis(redis.uri()).withClusterSecret("seated-reservations-secret-0123456789")
                .withNodeId("node-a").withGameName("walker").withSeatTokenMs(SEAT_TOKEN_MS), WalkerGame::new);
        await(() -> node.cluster().registered(), "the node registered with Redis");
        redisClient = RedisClient.create(redis.uri());
        redisConnection = redisClient.connect();
    }

    @AfterEach
    void stop() {
        if (redisConnection != null) {
            redisConnection.close();
            redisClient.shutdown();
        }
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void shouldStopReportingAFilledReservationOnceItWouldHaveExpiredWithoutAJoinOrLeave() throws Exception {
        // Connected first, so that the short token is spent at once.
        try (TestClient ann = TestClient.connect(HTTP, URI.create("ws://127.0.0.1:" + node.port() + "/ws"))) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + node.port() + "/matchmake"))
                    .timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            JsonNode answer = JSON.readTree(response.body());
            int roomId = answer.get("roomId").asInt();
            String seats = "tickwave:room:" + roomId + ":seats";
            assertEquals(1L, redisConnection.sync().zcard(seats), "the matchmaker reserved the seat");
            ann.send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName("ann").setProtocolVersion(2)
                    .setSeatToken(answer.get("seatToken").asText())).build());
            assertEquals(SEAT_TOKEN_MS, answer.get("expiresInMs").asInt(), "the token lives --seat-token-ms");
            ServerMessage welcome = ann.awaitMessage(ServerMessage::hasWelcome, WAIT);
            assertEquals(roomId, welcome.getWelcome().getRoomId());
            int annId = welcome.getWelcome().getPlayerId();
            await(() -> reportedReservations(roomId) == 1, "the join's occupancy reports the filled reservation");
            await(() -> redisConnection.sync().zcard(seats) == 0
                            && "1".equals(redisConnection.sync().hget("tickwave:room:" + roomId, "players")),
                    "a heartbeat counted ann and removed her reservation in the same step");

            await(() -> reportedReservations(roomId) == 0,
                    "the reservation drops out of the published occupancy by itself");
            RoomOccupancy now = node.cluster().occupancy();
            assertEquals(1, now.players(), "ann is still seated: no leave made the loop publish");
            assertTrue(ann.received().stream().noneMatch(m -> m.hasPlayerLeft()
                            || m.hasPlayerJoined() && m.getPlayerJoined().getPlayerId() != annId),
                    "nobody but ann joined, and nobody left, meanwhile");
            assertEquals("1", redisConnection.sync().hget("tickwave:room:" + roomId, "players"));
        }
    }

    /** The reservations the newest published occupancy reports for the room, or -1 without the room. */
    private int reportedReservations(int roomId) {
        RoomOccupancy occupancy = node.cluster().occupancy();
        for (int i = 0; i < occupancy.rooms(); i++) {
            if (occupancy.roomId(i) == roomId) {
                return occupancy.seatedReservations(i).length;
            }
        }
        return -1;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean(), what);
    }
}
