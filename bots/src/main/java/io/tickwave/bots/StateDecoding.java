package io.tickwave.bots;

/**
 * Which bots decode the replicated state of their snapshots (docs/replication.md) with a
 * {@code ReplicaClient}, and why. A bot that does not decode reads a snapshot's envelope only (tick,
 * ack), as before replication; a decoding bot also applies every snapshot's state to its replica,
 * counts what it created, updated and removed, and checks {@code state_hash} when the snapshot carries
 * one. Against a game that does not replicate (no schema in the welcome) nobody decodes.
 *
 * <p>Immutable; any thread.
 *
 * @param verify      every bot decodes and checks (the {@code --verify} flag)
 * @param sampleEvery otherwise one bot in this many decodes, for the state statistics (bots 0, N, 2N…);
 *                    0: none
 */
record StateDecoding(boolean verify, int sampleEvery) {

    /** One bot in {@value #DEFAULT_SAMPLE_EVERY} decodes: cheap statistics in every run. */
    static final int DEFAULT_SAMPLE_EVERY = 50;

    static final StateDecoding DEFAULT = new StateDecoding(false, DEFAULT_SAMPLE_EVERY);

    StateDecoding {
        if (sampleEvery < 0) {
            throw new IllegalArgumentException("state statistics sample must be 0 (none) or one bot in N >= 1, got " + sampleEvery);
        }
    }

    /** Whether bot number {@code index} (0-based) decodes its snapshots' state. */
    boolean decodes(int index) {
        return verify || (sampleEvery > 0 && index % sampleEvery == 0);
    }
}
