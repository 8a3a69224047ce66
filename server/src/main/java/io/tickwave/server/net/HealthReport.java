package io.tickwave.server.net;

/**
 * What {@code GET /health} answers: an HTTP status (200 while the loop ticks, 503 when it has stalled)
 * and a JSON body. Immutable; built by whichever thread serves the request.
 */
public record HealthReport(int httpStatus, String json) {
}
