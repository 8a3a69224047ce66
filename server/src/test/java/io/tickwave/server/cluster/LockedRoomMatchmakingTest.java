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
import io.tickwave.server.testgame.CommandGame;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One real cluster node on a real Redis: a room its game locked is offered by the matchmaker neither
 * to "any room" nor by its id, and is again once unlocked; the room's own capacity is what the
 * matchmaker counts.
 */
class LockedRoomMatchmakingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private RedisProcess redis;
    private TickwaveServer node;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void startNode() throws Exception {
        redis = RedisProcess.start();
        List<String> log = new CopyOnWriteArrayList<>();
        node = TickwaveServer.start(ServerSettings.defaults().withHost("127.0.0.1").withPort(0).withTickRate(20)
                        .withSnapshotRate(10).withRoomCapacity(8).withIoThreads(1)
                        .withRedis(redis.uri()).withClusterSecret("locked-room-test-secret-0123456789")
                        .withNodeId("node-a").withGameName("commands"),
                () -> new CommandGame(log, room -> room.setCapacity(3), () -> 0));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!node.cluster().registered() && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        assertTrue(node.cluster().registered());
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(TestClient::close);
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void shouldNotMatchmakeIntoALockedRoomUntilItIsUnlocked() throws Exception {
        TestClient host = joinThroughMatchmaker("{}");
        int roomId = host.awaitMessage(ServerMessage::hasWelcome, WAIT).getWelcome().getRoomId();
        host.chat("/lock");
        awaitRoomField(roomId, "locked", "1");
        assertEquals(409, matchmake("{\"roomId\":" + roomId + "}").statusCode());
        HttpResponse<String> any = matchmake("{}");
        assertEquals(200, any.statusCode(), any.body());
        assertNotEquals(roomId, JSON.readTree(any.body()).get("roomId").asInt(), "a locked room is not offered");

        host.chat("/unlock");
        awaitRoomField(roomId, "locked", "0");
        HttpResponse<String> again = matchmake("{\"roomId\":" + roomId + "}");
        assertEquals(200, again.statusCode(), again.body());
    }

    @Test
    void shouldCountTheRoomsOwnCapacity() throws Exception {
        TestClient first = joinThroughMatchmaker("{}");
        ServerMessage welcome = first.awaitMessage(ServerMessage::hasWelcome, WAIT);
        int roomId = welcome.getWelcome().getRoomId();
        assertEquals(3, welcome.getWelcome().getRoomCapacity());
        awaitRoomField(roomId, "players", "1");
        awaitRoomField(roomId, "capacity", "3");
        for (int i = 0; i < 2; i++) {
            assertEquals(200, matchmake("{\"roomId\":" + roomId + "}").statusCode(), "seat " + (i + 2) + " of 3");
        }
        assertEquals(409, matchmake("{\"roomId\":" + roomId + "}").statusCode(), "the room's 3 seats are taken");
    }

    /** Waits until the room's hash in Redis holds {@code value}: the node writes it with each heartbeat. */
    private void awaitRoomField(int roomId, String field, String value) throws InterruptedException {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            String key = "tickwave:room:" + roomId;
            while (!value.equals(connection.sync().hget(key, field)) && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
            assertEquals(value, connection.sync().hget(key, field), field + " of room " + roomId + " in Redis");
        } finally {
            client.shutdown();
        }
    }

    private TestClient joinThroughMatchmaker(String body) throws Exception {
        HttpResponse<String> response = matchmake(body);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        TestClient client = TestClient.connect(HTTP, URI.create(answer.get("url").asText()));
        clients.add(client);
        client.send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName("p" + clients.size())
                .setProtocolVersion(2).setSeatToken(answer.get("seatToken").asText())).build());
        return client;
    }

    private HttpResponse<String> matchmake(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/matchmake"))
                .timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
