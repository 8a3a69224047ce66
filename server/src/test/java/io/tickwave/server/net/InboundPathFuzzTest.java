package io.tickwave.server.net;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzzes the inbound path (raw client bytes → frame parser → frame and message limits →
 * decoder → gateway checks → ring → loop) with {@link InboundPathHarness}, which checks every step.
 *
 * <p>In the normal build this class runs in a Surefire execution of its own ({@code fuzz}, in
 * server/pom.xml) with {@code JAZZER_FUZZ=1}: first every seed in
 * {@code src/test/resources/io/tickwave/server/net/InboundPathFuzzTestInputs/<method>/}, then 10 s of
 * coverage-guided fuzzing from them. A finding fails the build, and Jazzer writes the input as a
 * {@code crash-…} file into that directory, where it stays a seed; a finding also becomes a named case
 * in {@link InboundPathTest}. Without {@code JAZZER_FUZZ} (an IDE, {@code -Dtest=…}) only the seeds run.
 */
class InboundPathFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void shouldPublishOrRefuseEveryClientMessageAndNeverThrow(byte[] input) {
        InboundPathHarness.play(input);
    }
}
