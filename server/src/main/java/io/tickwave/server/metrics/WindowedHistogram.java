package io.tickwave.server.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Reads a {@link Recorder} into a ring of {@code buckets} interval histograms of {@code bucketNanos}
 * each, so quantiles cover roughly the last {@code buckets × bucketNanos} (a sliding window, like a
 * Prometheus summary's max age), while the count and sum stay cumulative since start.
 *
 * <p>Threads: the recorder's writer is the game-loop thread; {@link #rotate} (the sampler thread) and
 * {@link #snapshot} (scrapes) may run on any threads and are serialized on this object.
 */
final class WindowedHistogram {

    private final Recorder recorder;
    private final Histogram[] buckets;
    private final Histogram window;
    private Histogram interval;
    private int current;
    private long totalCount;
    private double totalSum;

    WindowedHistogram(Recorder recorder, int buckets) {
        this.recorder = recorder;
        this.buckets = new Histogram[buckets];
        for (int i = 0; i < buckets; i++) {
            this.buckets[i] = emptyCopy(recorder);
        }
        this.window = emptyCopy(recorder);
    }

    private static Histogram emptyCopy(Recorder recorder) {
        Histogram histogram = recorder.getIntervalHistogram();
        histogram.reset();
        return histogram;
    }

    /** Closes the current bucket and opens the next, dropping the oldest. */
    synchronized void rotate() {
        pull();
        current = (current + 1) % buckets.length;
        buckets[current].reset();
    }

    /** The window's distribution and the cumulative totals, as of now. */
    synchronized Snapshot snapshot() {
        pull();
        window.reset();
        for (Histogram bucket : buckets) {
            window.add(bucket);
        }
        return new Snapshot(window, totalCount, totalSum);
    }

    private void pull() {
        interval = recorder.getIntervalHistogram(interval);
        totalCount += interval.getTotalCount();
        totalSum += interval.getMean() * interval.getTotalCount();
        buckets[current].add(interval);
    }

    /** Quantiles from {@code window} (valid until the next call), totals since start. */
    record Snapshot(Histogram window, long totalCount, double totalSum) {
    }
}
