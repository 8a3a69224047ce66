package io.tickwave.server;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the launcher hints at a heap limit, and what it suggests. */
class HeapHintTest {

    private static final long SIX_GIB = 6L << 30;

    @Test
    void shouldHintWhenNoHeapLimitWasGivenNamingTheHeapInForce() {
        Optional<String> hint = HeapHint.forJvm(List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Xms1g", "-XX:+UseG1GC"), SIX_GIB, 17);
        assertTrue(hint.isPresent(), "-Xms alone sets no limit");
        assertTrue(hint.get().contains("6144 MiB"), hint.get());
        assertEquals(1, hint.get().lines().count(), "one line");
    }

    @Test
    void shouldStayQuietWhenAnyHeapLimitWasGiven() {
        for (String option : List.of("-Xmx512m", "-XX:MaxHeapSize=536870912", "-XX:MaxRAMPercentage=50.0",
                "-XX:MaxRAMFraction=4", "-XX:MaxRAM=2g")) {
            assertEquals(Optional.empty(), HeapHint.forJvm(List.of("-Xms64m", option), SIX_GIB, 17), option);
        }
    }

    @Test
    void shouldSuggestG1WithPeriodicCollectionsOnJava17AndGenerationalZgcFrom21() {
        assertTrue(HeapHint.forJvm(List.of(), SIX_GIB, 17).orElseThrow()
                .contains("-Xmx512m -XX:+UseG1GC -XX:G1PeriodicGCInterval=60000"));
        assertTrue(HeapHint.forJvm(List.of(), SIX_GIB, 21).orElseThrow().contains("-XX:+UseZGC -XX:+ZGenerational"));
        String onJava25 = HeapHint.forJvm(List.of(), SIX_GIB, 25).orElseThrow();
        assertTrue(onJava25.contains("-XX:+UseZGC") && !onJava25.contains("ZGenerational"),
                "from 24 on ZGC is only generational, and the flag is gone: " + onJava25);
    }
}
