package io.tickwave.server.metrics;

import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowedHistogramTest {

    @Test
    void shouldForgetOldValuesInQuantilesButKeepThemInCountAndSum() {
        Recorder recorder = new Recorder(10_000_000_000L, 3);
        WindowedHistogram histogram = new WindowedHistogram(recorder, 3);
        for (int i = 0; i < 100; i++) {
            recorder.recordValue(5_000_000); // a slow start: 5 ms ticks
        }
        assertEquals(5_000_000, histogram.snapshot().window().getValueAtPercentile(99), 5_000);
        histogram.rotate();
        for (int i = 0; i < 100; i++) {
            recorder.recordValue(100_000); // then 0.1 ms ticks
        }
        histogram.rotate();
        histogram.rotate(); // the bucket holding the slow start has now left the window
        WindowedHistogram.Snapshot snapshot = histogram.snapshot();
        assertEquals(100_000, snapshot.window().getValueAtPercentile(99), 100);
        assertEquals(200, snapshot.totalCount());
        assertEquals(100 * 5_000_000.0 + 100 * 100_000.0, snapshot.totalSum(), 1e6);
        assertTrue(snapshot.window().getTotalCount() == 100);
    }
}
