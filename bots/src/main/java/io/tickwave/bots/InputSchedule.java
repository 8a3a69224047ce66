package io.tickwave.bots;

import org.HdrHistogram.Recorder;

/**
 * One bot's open-loop input schedule and the bookkeeping that turns snapshot acks into latencies.
 *
 * <p>Inputs fall due every {@code periodNs}, whatever happened before. {@link #next} hands out the
 * seq of the input to send now, if one is due; {@link #acked} records, for every input a snapshot
 * acknowledges for the first time, the latency from its <i>due</i> time (coordinated-omission
 * corrected) and from its actual send time (raw).
 *
 * <p>When several inputs are overdue at once (the bot's thread was starved), one input stands for
 * all of them, due when the oldest was due; when it is acked, one latency per overdue input is
 * recorded, each from its own due time. Bursting them instead would trip the server's rate limit.
 *
 * <p><b>Threading.</b> Owned by the bot's IO thread; not thread-safe. Allocation-free after construction.
 */
final class InputSchedule {

    /** Sent inputs remembered for their acks (51 s at 20 Hz); must be a power of two. */
    static final int RING = 1024;

    private final long periodNs;
    private final long[] dueNs = new long[RING];
    private final long[] sentNs = new long[RING];
    private final int[] covered = new int[RING];
    private long nextDueNs;
    private int sentSeq;
    private int ackedSeq;
    private int lastCovered;
    private long lastLagNs;

    InputSchedule(long periodNs) {
        if (periodNs <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        this.periodNs = periodNs;
    }

    /** The first input falls due at {@code firstDueNs}. */
    void start(long firstDueNs) {
        nextDueNs = firstDueNs;
    }

    /**
     * The seq of the input to send at {@code nowNs}, or 0 when none is due. Afterwards
     * {@link #lastCovered()} says how many due inputs it stands for and {@link #lastLagNs()} how late
     * the oldest of them is.
     */
    int next(long nowNs) {
        if (nowNs - nextDueNs < 0) {
            return 0;
        }
        int overdue = (int) Math.min(RING / 2, (nowNs - nextDueNs) / periodNs + 1);
        int seq = ++sentSeq;
        int slot = seq & (RING - 1);
        dueNs[slot] = nextDueNs;
        sentNs[slot] = nowNs;
        covered[slot] = overdue;
        lastCovered = overdue;
        lastLagNs = nowNs - nextDueNs;
        nextDueNs += overdue * periodNs;
        if (nowNs - nextDueNs >= 0) { // more than RING/2 periods behind: the oldest are given up
            nextDueNs = nowNs + periodNs;
        }
        return seq;
    }

    /** When the next input falls due (System.nanoTime). */
    long nextDueNs() {
        return nextDueNs;
    }

    int lastCovered() {
        return lastCovered;
    }

    long lastLagNs() {
        return lastLagNs;
    }

    int sentSeq() {
        return sentSeq;
    }

    /**
     * A snapshot read at {@code nowNs} says inputs up to {@code ackInputSeq} are applied. Records the
     * latency (µs) of each input acked for the first time; returns how many sent inputs that was.
     */
    int acked(int ackInputSeq, long nowNs, Recorder fromDueUs, Recorder fromSentUs) {
        int upTo = Math.min(ackInputSeq, sentSeq);
        int count = 0;
        for (int seq = ackedSeq + 1; seq <= upTo; seq++) {
            count++;
            if (sentSeq - seq >= RING) {
                continue; // its times were overwritten: too old to say
            }
            int slot = seq & (RING - 1);
            long fromDueNs = nowNs - dueNs[slot];
            fromDueUs.recordValue(fromDueNs / 1000);
            for (int k = 1; k < covered[slot]; k++) {
                fromDueUs.recordValue(Math.max(0, fromDueNs - k * periodNs) / 1000);
            }
            fromSentUs.recordValue((nowNs - sentNs[slot]) / 1000);
        }
        if (upTo > ackedSeq) {
            ackedSeq = upTo;
        }
        return count;
    }
}
