package io.tickwave.bots;

import java.lang.management.ManagementFactory;

/**
 * This process's CPU time, to tell whether the bots themselves are the bottleneck.
 *
 * <p>Stateless; any thread.
 */
final class CpuMeter {

    private static final com.sun.management.OperatingSystemMXBean OS = osBean();

    private CpuMeter() {
    }

    /** CPU time used by this process so far, in nanoseconds; -1 when the JVM cannot tell. */
    static long processCpuNs() {
        return OS == null ? -1 : OS.getProcessCpuTime();
    }

    /** Cores this process may run on (respects {@code taskset}). */
    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static com.sun.management.OperatingSystemMXBean osBean() {
        java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        return bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
    }
}
