package io.tickwave.bots;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency histogram recorded in microseconds, in milliseconds. Immutable.
 *
 * @param count how many values were recorded
 */
record LatencySummary(long count, double p50, double p90, double p99, double p999, double max, double mean) {

    static LatencySummary of(Histogram us) {
        if (us.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(us.getTotalCount(),
                ms(us.getValueAtPercentile(50)),
                ms(us.getValueAtPercentile(90)),
                ms(us.getValueAtPercentile(99)),
                ms(us.getValueAtPercentile(99.9)),
                ms(us.getMaxValue()),
                Math.round(us.getMean()) / 1000.0);
    }

    private static double ms(long us) {
        return us / 1000.0;
    }
}
