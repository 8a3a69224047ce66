package io.tickwave.bots;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The bots' side of a cluster's {@code POST /matchmake} (docs/scale-out.md): asks for a seat with the
 * join options {@code {"game": …, "name": …}} and hands the answer, a {@link Seat} or why there is
 * none, to the bot on its lane's thread.
 *
 * <p><b>Threading.</b> {@link #request} is called on a lane thread and returns at once: the request goes
 * out with {@link HttpClient#sendAsync} on this client's own single daemon thread, which also reads the
 * answer, and the result is handed back through {@link BotLane#execute}, so no lane ever waits on HTTP.
 * One instance per swarm, shared by all its lanes.
 */
final class MatchmakerClient implements AutoCloseable {

    /** A seat the matchmaker reserved: connect to {@code url} within its expiry and join with {@code seatToken}. */
    record Seat(URI url, String seatToken, int roomId, String nodeId) {
    }

    /** The answer to one request: a seat, or (seat null) a short reason there is none. */
    record Answer(Seat seat, String problem) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI endpoint;
    private final String game;
    private final ExecutorService thread;
    private final HttpClient http;

    /**
     * @param matchmaker {@code http://host:port} of any node (the path {@code /matchmake} is added when
     *                   the URI has none)
     * @param game       the game the seat must be in, or null for any
     */
    MatchmakerClient(URI matchmaker, String game) {
        this.endpoint = endpointOf(matchmaker);
        this.game = game;
        this.thread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "tickwave-bots-matchmake");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().executor(thread).connectTimeout(TIMEOUT).build();
    }

    static URI endpointOf(URI matchmaker) {
        String scheme = matchmaker.getScheme() == null ? "" : matchmaker.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || matchmaker.getHost() == null) {
            throw new IllegalArgumentException("the matchmaker must be an http://host:port URL, not " + matchmaker);
        }
        String path = matchmaker.getPath();
        return path == null || path.isEmpty() || path.equals("/") ? matchmaker.resolve("/matchmake") : matchmaker;
    }

    URI endpoint() {
        return endpoint;
    }

    /** Lane thread: asks for a seat for a player named {@code name}; {@code onAnswer} runs on {@code lane}'s thread. */
    void request(String name, BotLane lane, Consumer<Answer> onAnswer) {
        ObjectNode body = JSON.createObjectNode();
        if (game != null) {
            body.put("game", game);
        }
        body.put("name", name);
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        send(request, true, lane, onAnswer);
    }

    /**
     * Sends {@code request}; a request that failed on a pooled connection the node had just closed (it
     * closes idle HTTP connections after its request timeout, and the client may pick one in that
     * instant: "header parser received no bytes") goes out once more on a fresh one. Such a node closed
     * the connection unread, so no seat is reserved twice; a refused connect, a timeout and any second
     * failure are the answer.
     */
    private void send(HttpRequest request, boolean mayRetry, BotLane lane, Consumer<Answer> onAnswer) {
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause != null && mayRetry && cause instanceof java.io.IOException
                    && !(cause instanceof java.net.ConnectException) && !(cause instanceof java.net.http.HttpTimeoutException)) {
                send(request, false, lane, onAnswer);
                return;
            }
            Answer answer = cause != null ? new Answer(null, "matchmake: " + cause)
                    : answerOf(response.statusCode(), response.body());
            lane.execute(() -> onAnswer.accept(answer));
        });
    }

    /** Reads one answer of {@code POST /matchmake}; any thread. */
    static Answer answerOf(int status, String body) {
        try {
            JsonNode json = JSON.readTree(body == null ? "" : body);
            if (status != 200) {
                String error = json != null && json.hasNonNull("error") ? json.get("error").asText() : String.valueOf(body);
                return new Answer(null, "matchmake " + status + ": " + error);
            }
            URI url = URI.create(json.get("url").asText());
            if (!"ws".equalsIgnoreCase(url.getScheme())) {
                return new Answer(null, "matchmake answered " + url + ": the bots speak plain ws:// only");
            }
            return new Answer(new Seat(url, json.get("seatToken").asText(), json.path("roomId").asInt(),
                    json.path("nodeId").asText()), null);
        } catch (Exception e) { // not JSON, or fields missing: a broken answer, not a seat
            return new Answer(null, "matchmake " + status + ": unreadable answer (" + e + ")");
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
