package io.tickwave.replication;

import java.util.Arrays;

/**
 * What one viewer holds after applying one snapshot: its entities in ascending id, each with the seq
 * of the snapshot whose world values the viewer has for it ({@code ref}). Viewers that were sent the
 * same encoding share one record (reference counted, pooled by the {@link Replicator}).
 *
 * <p><b>Thread:</b> the game-loop thread only.
 */
final class ViewRecord {
    /** The snapshot seq this record is the state after. */
    int seq;
    int count;
    int[] ids = new int[16];
    int[] refs = new int[16];
    /** Hash of ids and refs, set by {@link #seal()}. */
    int hash;
    int refCount;

    void clear(int seq) {
        this.seq = seq;
        this.count = 0;
        this.hash = 0;
    }

    void add(int id, int ref) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
            refs = Arrays.copyOf(refs, count * 2);
        }
        ids[count] = id;
        refs[count] = ref;
        count++;
    }

    void seal() {
        int h = Replicator.HASH_SEED;
        for (int i = 0; i < count; i++) {
            h = Replicator.mixHash(Replicator.mixHash(h, ids[i]), refs[i]);
        }
        hash = h;
    }

    boolean sameContent(ViewRecord other) {
        return other == this || (other.count == count && other.hash == hash
                && Arrays.equals(ids, 0, count, other.ids, 0, count)
                && Arrays.equals(refs, 0, count, other.refs, 0, count));
    }
}
