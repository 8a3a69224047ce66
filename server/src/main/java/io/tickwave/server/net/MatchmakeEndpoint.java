package io.tickwave.server.net;

import java.util.concurrent.CompletionStage;

/**
 * What {@code POST /matchmake} calls with the request body: a cluster node's matchmaker. Called on an
 * IO thread, so it must not block: the answer comes later, on whatever thread completes it.
 */
public interface MatchmakeEndpoint {

    /** The answer to one request: an HTTP status and a JSON body. */
    record Answer(int httpStatus, String json) {
    }

    CompletionStage<Answer> matchmake(String requestBody);
}
