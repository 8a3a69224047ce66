package io.tickwave.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.net.MatchmakeEndpoint;
import io.tickwave.server.net.PlayerNames;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /matchmake}: finds a seat anywhere in the cluster and reserves it with one atomic Lua
 * script ({@code matchmake.lua}), then signs a seat token for it. The request is a JSON object of join
 * options: {@code game} (optional: only nodes running that game), {@code name} (optional: checked by
 * the name rules, so a bad one fails here rather than at join), {@code roomId} (optional: that room or
 * nothing). The answer: {@code {"url", "seatToken", "roomId", "nodeId", "expiresInMs"}}, or an
 * {@code {"error": …}} with 400 (bad request), 404 (no such room), 409 (room full or its node draining),
 * 503 (no node can take a room, or Redis cannot be reached).
 *
 * <p>Threads: {@link #matchmake} is called on an IO thread and never blocks; the answer is completed on a
 * Lettuce thread.
 */
public final class Matchmaker implements MatchmakeEndpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom NONCES = new SecureRandom();
    private static final int OK = 200;
    private static final int BAD_REQUEST = 400;
    private static final int NOT_FOUND = 404;
    private static final int CONFLICT = 409;
    private static final int UNAVAILABLE = 503;

    private final ClusterNode node;
    private final ServerSettings settings;
    private final SeatTokens seatTokens;

    Matchmaker(ClusterNode node, ServerSettings settings, SeatTokens seatTokens) {
        this.node = node;
        this.settings = settings;
        this.seatTokens = seatTokens;
    }

    @Override
    public CompletionStage<Answer> matchmake(String requestBody) {
        JsonNode request;
        try {
            request = requestBody == null || requestBody.isBlank() ? JSON.createObjectNode() : JSON.readTree(requestBody);
        } catch (Exception e) {
            return answered(BAD_REQUEST, "the body is not JSON: send an object such as {\"game\": \"arena\", \"name\": \"ann\"}");
        }
        if (!request.isObject()) {
            return answered(BAD_REQUEST, "the body must be a JSON object of join options");
        }
        JsonNode name = request.get("name");
        if (name != null && !name.isNull()) {
            String problem = name.isTextual() ? PlayerNames.problemWith(name.asText().strip()) : "name must be a string";
            if (problem != null) {
                return answered(BAD_REQUEST, "bad name: " + problem);
            }
        }
        JsonNode game = request.get("game");
        if (game != null && !game.isNull() && !game.isTextual()) {
            return answered(BAD_REQUEST, "game must be a string");
        }
        JsonNode roomId = request.get("roomId");
        if (roomId != null && !roomId.isNull() && !(roomId.canConvertToInt() && roomId.isIntegralNumber()
                && roomId.asInt() > 0)) {
            return answered(BAD_REQUEST, "roomId must be a positive integer");
        }
        StatefulRedisConnection<String, String> redis = node.connection();
        if (redis == null || !redis.isOpen()) {
            return redisDown();
        }
        String nonce = HexFormat.of().formatHex(randomBytes());
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        redis.async().<List<Object>>eval(ClusterKeys.MATCHMAKE_SCRIPT, ScriptOutputType.MULTI, new String[0],
                ClusterKeys.PREFIX,
                roomId == null || roomId.isNull() ? "0" : Integer.toString(roomId.asInt()),
                game == null || game.isNull() ? "" : game.asText(),
                Integer.toString(settings.roomCapacity()),
                Long.toString(ClusterKeys.reservationMs(settings.seatTokenMs())),
                nonce).whenComplete((reply, error) -> {
                    if (error != null) {
                        answer.complete(redisDownAnswer());
                    } else {
                        answer.complete(answerFor(reply, nonce));
                    }
                });
        return answer;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        NONCES.nextBytes(bytes);
        return bytes;
    }

    private Answer answerFor(List<Object> reply, String nonce) {
        String status = String.valueOf(reply.get(0));
        return switch (status) {
            case "ok" -> {
                int roomId = Integer.parseInt(String.valueOf(reply.get(1)));
                String nodeId = String.valueOf(reply.get(2));
                ObjectNode body = JSON.createObjectNode()
                        .put("url", String.valueOf(reply.get(3)))
                        .put("seatToken", seatTokens.issue(nodeId, roomId, settings.seatTokenMs(), nonce))
                        .put("roomId", roomId)
                        .put("nodeId", nodeId)
                        .put("expiresInMs", settings.seatTokenMs());
                yield new Answer(OK, body.toString());
            }
            case "no-such-room" -> error(NOT_FOUND, "no such room in the cluster (it ended, or its node is gone)");
            case "full" -> error(CONFLICT, "that room is full");
            case "draining" -> error(CONFLICT, "that room's node is draining: it takes no new players");
            case "no-node" -> error(UNAVAILABLE, "no node can open a room: every node is draining, full or gone");
            default -> error(UNAVAILABLE, "unexpected matchmaker answer " + status);
        };
    }

    private static Answer error(int status, String message) {
        return new Answer(status, JSON.createObjectNode().put("error", message).toString());
    }

    private static CompletionStage<Answer> answered(int status, String message) {
        return CompletableFuture.completedFuture(error(status, message));
    }

    private static Answer redisDownAnswer() {
        return error(UNAVAILABLE, "matchmaking unavailable: the cluster's Redis cannot be reached; running rooms"
                + " play on, try again in a moment");
    }

    private static CompletionStage<Answer> redisDown() {
        return CompletableFuture.completedFuture(redisDownAnswer());
    }
}
