package io.tickwave.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

/** The open-loop schedule and the coordinated-omission correction, with made-up clocks. */
class InputScheduleTest {

    private static final long MS = 1_000_000L;

    private final Recorder fromDue = new Recorder(3);
    private final Recorder fromSent = new Recorder(3);

    @Test
    void shouldSendOnScheduleAndMeasureFromDueTime() {
        InputSchedule s = new InputSchedule(50 * MS);
        s.start(1000 * MS);
        assertEquals(0, s.next(999 * MS), "nothing due yet");
        assertEquals(1, s.next(1001 * MS)); // sent 1 ms late
        assertEquals(1, s.lastCovered());
        assertEquals(1 * MS, s.lastLagNs());
        assertEquals(0, s.next(1049 * MS));
        assertEquals(2, s.next(1050 * MS));

        assertEquals(2, s.acked(2, 1080 * MS, fromDue, fromSent));
        Histogram due = fromDue.getIntervalHistogram();
        Histogram sent = fromSent.getIntervalHistogram();
        assertEquals(2, due.getTotalCount());
        assertEquals(80_000, due.getMaxValue(), 100);  // input 1: due 1000, answered 1080
        assertEquals(30_000, due.getMinValue(), 100);  // input 2: due 1050
        assertEquals(79_000, sent.getMaxValue(), 100); // input 1 left at 1001
        assertEquals(0, s.acked(2, 1100 * MS, fromDue, fromSent), "an ack seen again records nothing");
    }

    @Test
    void shouldChargeEveryFoldedInputFromItsOwnDueTime() {
        InputSchedule s = new InputSchedule(50 * MS);
        s.start(0);
        assertEquals(1, s.next(0));
        // The bot's thread stalls for 210 ms: inputs due at 50, 100, 150 and 200 are all overdue.
        assertEquals(2, s.next(210 * MS));
        assertEquals(4, s.lastCovered(), "one input stands for four");
        assertEquals(160 * MS, s.lastLagNs(), "late by the oldest one's lateness");
        assertEquals(0, s.next(249 * MS), "the schedule goes on from 250");
        assertEquals(3, s.next(250 * MS));

        s.acked(2, 260 * MS, fromDue, fromSent);
        Histogram due = fromDue.getIntervalHistogram();
        // input 1 (due 0) and the four folded ones (due 50, 100, 150, 200), all answered at 260
        assertEquals(5, due.getTotalCount());
        assertEquals(260_000, due.getMaxValue(), 300);
        assertEquals(60_000, due.getMinValue(), 100);
        assertEquals(1, due.getCountBetweenValues(209_000, 211_000)); // due 50
        assertEquals(2, fromSent.getIntervalHistogram().getTotalCount(), "raw: one per input actually sent");
    }

    @Test
    void shouldIgnoreAcksForInputsNotYetSent() {
        InputSchedule s = new InputSchedule(50 * MS);
        s.start(0);
        s.next(0);
        assertEquals(1, s.acked(7, 10 * MS, fromDue, fromSent));
        assertEquals(2, s.next(50 * MS));
        assertEquals(1, s.acked(7, 60 * MS, fromDue, fromSent), "input 2 is new to this ack");
    }
}
