package io.tickwave.server;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one-line hint the launcher prints when the JVM was started without a heap limit: the JVM's
 * default, a quarter of the machine's memory, is far more than a game server needs, and a heap that
 * grew under load is not given back unless the collector is told to (README, "Running in production").
 *
 * <p>Threads: a pure function, safe on any thread.
 */
final class HeapHint {

    /** JVM options that set the heap's maximum, directly or as a share of the memory. */
    private static final List<String> HEAP_LIMIT_OPTIONS = List.of(
            "-Xmx", "-XX:MaxHeapSize=", "-XX:MaxRAMPercentage=", "-XX:MaxRAMFraction=", "-XX:MaxRAM=");

    private HeapHint() {
    }

    /**
     * The hint, or empty when a heap limit was given.
     *
     * @param jvmArguments   the JVM's own options ({@code RuntimeMXBean.getInputArguments()})
     * @param maxHeapBytes   the heap's maximum in force ({@code Runtime.maxMemory()})
     * @param javaFeature    the running Java's feature release ({@code Runtime.version().feature()})
     */
    static Optional<String> forJvm(List<String> jvmArguments, long maxHeapBytes, int javaFeature) {
        for (String argument : jvmArguments) {
            for (String option : HEAP_LIMIT_OPTIONS) {
                if (argument.startsWith(option)) {
                    return Optional.empty();
                }
            }
        }
        String example = javaFeature >= 21
                ? "java -Xms128m -Xmx512m -XX:+UseZGC" + (javaFeature < 24 ? " -XX:+ZGenerational" : "") + " -jar …"
                : "java -Xms128m -Xmx512m -XX:+UseG1GC -XX:G1PeriodicGCInterval=60000 -jar …";
        return Optional.of(String.format(Locale.ROOT,
                "Hint: no -Xmx given, so the heap may grow to %d MiB and stay there; in production set one,"
                        + " e.g. %s (README, \"Running in production\").",
                maxHeapBytes >> 20, example));
    }
}
