package io.tickwave.replication;

import java.util.Map;
import java.util.TreeMap;

/**
 * For tests: writes a {@code Snapshot.state} bit stream straight from explicit lists, following
 * docs/replication.md's grammar (removals, creations, updates; ids ascending as gaps). It checks
 * nothing against a baseline, so tests can also build streams a server must never send.
 */
final class StateWriter {
    private final Schema schema;
    private final TreeMap<Integer, Boolean> removals = new TreeMap<>();
    private final TreeMap<Integer, Object[]> creations = new TreeMap<>();
    private final TreeMap<Integer, Object[]> updates = new TreeMap<>();

    StateWriter(Schema schema) {
        this.schema = schema;
    }

    StateWriter remove(int id) {
        removals.put(id, true);
        return this;
    }

    /** A creation with every field's {@code q}, in field order. */
    StateWriter create(int id, EntityType type, int... q) {
        if (q.length != type.fieldCount()) {
            throw new IllegalArgumentException(type + " has " + type.fieldCount() + " fields, not " + q.length);
        }
        creations.put(id, new Object[] {type, q.clone()});
        return this;
    }

    /** An update from the viewer's {@code oldQ} to {@code newQ}: the mask holds the fields that differ. */
    StateWriter update(int id, EntityType type, int[] oldQ, int[] newQ) {
        int mask = 0;
        for (int f = 0; f < type.fieldCount(); f++) {
            if (oldQ[f] != newQ[f]) {
                mask |= 1 << f;
            }
        }
        return update(id, type, mask, oldQ, newQ);
    }

    /** An update with an explicit mask (a set bit whose value did not change is still sent). */
    StateWriter update(int id, EntityType type, int mask, int[] oldQ, int[] newQ) {
        updates.put(id, new Object[] {type, mask, oldQ.clone(), newQ.clone()});
        return this;
    }

    BitWriter write(BitWriter out) {
        out.reset();
        out.writeGamma(removals.size());
        int previous = 0;
        for (int id : removals.keySet()) {
            out.writeGamma(id - previous - 1);
            previous = id;
        }
        out.writeGamma(creations.size());
        previous = 0;
        for (Map.Entry<Integer, Object[]> creation : creations.entrySet()) {
            EntityType type = (EntityType) creation.getValue()[0];
            int[] q = (int[]) creation.getValue()[1];
            out.writeGamma(creation.getKey() - previous - 1);
            out.writeBits(type.typeId(), schema.typeBits());
            for (int f = 0; f < type.fieldCount(); f++) {
                FieldCodec.writeFull(out, type.fieldAt(f), q[f]);
            }
            previous = creation.getKey();
        }
        out.writeGamma(updates.size());
        previous = 0;
        for (Map.Entry<Integer, Object[]> update : updates.entrySet()) {
            EntityType type = (EntityType) update.getValue()[0];
            int mask = (Integer) update.getValue()[1];
            int[] oldQ = (int[]) update.getValue()[2];
            int[] newQ = (int[]) update.getValue()[3];
            out.writeGamma(update.getKey() - previous - 1);
            out.writeBits(mask, type.fieldCount());
            for (int f = 0; f < type.fieldCount(); f++) {
                if ((mask >>> f & 1) != 0) {
                    FieldCodec.writeDelta(out, type.fieldAt(f), oldQ[f], newQ[f]);
                }
            }
            previous = update.getKey();
        }
        return out;
    }

    byte[] toBytes() {
        return write(new BitWriter()).toByteArray();
    }
}
