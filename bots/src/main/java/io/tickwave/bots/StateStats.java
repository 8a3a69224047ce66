package io.tickwave.bots;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the bots that decode the replicated state ({@link StateDecoding}) count: state bytes and
 * entities created, updated and removed per snapshot, state hashes checked, mismatches and decode
 * failures.
 *
 * <p><b>Threading.</b> Written by the lane threads that own the decoding bots (adders, wait-free),
 * read by the reporter thread ({@link #totals}). The first {@link #DESCRIBED} problems are also
 * printed, one line each, on the stream given at construction (stderr in a run).
 */
final class StateStats {

    /** How many mismatches and decode failures are described one by one; the rest are only counted. */
    static final int DESCRIBED = 5;

    /** Bots that received a replication schema and decode their snapshots. */
    final AtomicInteger decodingBots = new AtomicInteger();
    final LongAdder snapshots = new LongAdder();
    /** {@code Snapshot.state} bytes of the decoded snapshots (no envelope, no frame header). */
    final LongAdder stateBytes = new LongAdder();
    final LongAdder created = new LongAdder();
    final LongAdder updated = new LongAdder();
    final LongAdder removed = new LongAdder();
    /** Sum over the decoded snapshots that created or updated anything of state bytes / (created + updated). */
    final DoubleAdder bytesPerEntitySum = new DoubleAdder();
    /** How many snapshots went into {@link #bytesPerEntitySum}. */
    final LongAdder bytesPerEntitySnapshots = new LongAdder();
    final LongAdder hashesChecked = new LongAdder();
    final LongAdder hashMismatches = new LongAdder();
    final LongAdder decodeFailures = new LongAdder();

    private final AtomicInteger described = new AtomicInteger();
    private final PrintStream problems;

    StateStats(PrintStream problems) {
        this.problems = problems;
    }

    /** One decoded snapshot of {@code stateBytes} bytes that created, updated and removed these many entities. */
    void recordSnapshot(int stateBytes, int created, int updated, int removed) {
        snapshots.increment();
        this.stateBytes.add(stateBytes);
        this.created.add(created);
        this.updated.add(updated);
        this.removed.add(removed);
        int sent = created + updated;
        if (sent > 0) {
            bytesPerEntitySum.add((double) stateBytes / sent);
            bytesPerEntitySnapshots.increment();
        }
    }

    /** Prints {@code what} when fewer than {@link #DESCRIBED} problems have been described so far. */
    void describe(String what) {
        if (described.getAndIncrement() < DESCRIBED) {
            problems.println("state check: " + what);
        }
    }

    Totals totals() {
        return new Totals(decodingBots.get(), snapshots.sum(), stateBytes.sum(), created.sum(), updated.sum(), removed.sum(),
                bytesPerEntitySum.sum(), bytesPerEntitySnapshots.sum(), hashesChecked.sum(), hashMismatches.sum(),
                decodeFailures.sum());
    }

    /**
     * The counts at one moment, or over a window (see {@link #minus}). Immutable; any thread.
     *
     * @param decodingBots bots decoding at the moment the totals were taken (not a difference)
     */
    record Totals(int decodingBots, long snapshots, long stateBytes, long created, long updated, long removed,
                  double bytesPerEntitySum, long bytesPerEntitySnapshots, long hashesChecked, long hashMismatches,
                  long decodeFailures) {

        static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        /** What happened between {@code start} and this; the bot count stays this one's. */
        Totals minus(Totals start) {
            return new Totals(decodingBots, snapshots - start.snapshots, stateBytes - start.stateBytes,
                    created - start.created, updated - start.updated, removed - start.removed,
                    bytesPerEntitySum - start.bytesPerEntitySum, bytesPerEntitySnapshots - start.bytesPerEntitySnapshots,
                    hashesChecked - start.hashesChecked, hashMismatches - start.hashMismatches,
                    decodeFailures - start.decodeFailures);
        }

        private double perSnapshot(long n) {
            return snapshots == 0 ? 0 : (double) n / snapshots;
        }

        double stateBytesPerSnapshot() {
            return perSnapshot(stateBytes);
        }

        double createdPerSnapshot() {
            return perSnapshot(created);
        }

        double updatedPerSnapshot() {
            return perSnapshot(updated);
        }

        double removedPerSnapshot() {
            return perSnapshot(removed);
        }

        /**
         * State bytes per entity sent (created or updated), per snapshot, averaged over the snapshots
         * that sent any: what one moving entity costs on the wire (with the removals and list headers
         * of its snapshot spread over it).
         */
        double bytesPerUpdatedEntity() {
            return bytesPerEntitySnapshots == 0 ? 0 : bytesPerEntitySum / bytesPerEntitySnapshots;
        }
    }
}
