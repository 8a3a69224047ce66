package io.tickwave.replication;

import org.agrona.collections.Int2IntHashMap;

/**
 * One player's replication state in a room: its viewpoint, the records of the last
 * {@value ReplicatedWorld#HISTORY} snapshots encoded for it (indexed by seq), and the skip counts of
 * the entities the byte budget held back.
 *
 * <p><b>Thread:</b> the game-loop thread only.
 */
final class Viewer {
    final int playerId;
    /** Added with {@link Replicator#addViewer}; a viewer object may exist before that to hold a viewpoint. */
    boolean added;

    boolean hasViewpoint;
    /** The entity the viewpoint follows, 0 for a fixed point. */
    int viewpointEntity;
    double viewX;
    double viewY;

    final ViewRecord[] records = new ViewRecord[ReplicatedWorld.HISTORY];
    /** Entity id to the snapshots in a row it was held back by the budget (absent: 0). */
    final Int2IntHashMap skips = new Int2IntHashMap(16, 0.65f, 0);

    Viewer(int playerId) {
        this.playerId = playerId;
    }
}
