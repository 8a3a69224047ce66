package io.tickwave.bots;

/** When the bot process calls itself the bottleneck. Constants only. */
final class BotLimits {

    /** % of the available cores above which the bots' own CPU may delay their sends and receives. */
    static final double CPU_PCT_BOTTLENECK = 85;

    /** Send lag p99 (µs) above which the bots' timers clearly fall behind their schedule. */
    static final long SEND_LAG_P99_US_BOTTLENECK = 5_000;

    private BotLimits() {
    }
}
