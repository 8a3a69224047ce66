package io.tickwave.server.loop;

import io.tickwave.server.metrics.ServerMetrics;

/** What rooms need from the loop besides their game: counters and the problem log. */
record LoopServices(ServerMetrics metrics, ProblemReporter problems) {
}
