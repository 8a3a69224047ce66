package io.tickwave.replication;

import java.util.Map;
import java.util.TreeMap;

/**
 * The client side as the test needs it: applies {@code Snapshot.state} bytes to a state (id to
 * {@code [typeId, q...]}) by the rules of docs/replication.md, straight from BitReader and FieldCodec.
 */
final class SpecDecoder {
    private SpecDecoder() {
    }

    static TreeMap<Integer, int[]> apply(Schema schema, Map<Integer, int[]> before, byte[] bytes, int length) {
        TreeMap<Integer, int[]> state = new TreeMap<>();
        for (Map.Entry<Integer, int[]> e : before.entrySet()) {
            state.put(e.getKey(), e.getValue().clone());
        }
        BitReader in = new BitReader().reset(bytes, 0, length);
        long removals = in.readGamma();
        int previous = 0;
        for (long k = 0; k < removals; k++) {
            int id = previous + (int) in.readGamma() + 1;
            if (state.remove(id) == null) {
                throw new AssertionError("removal of entity " + id + " the client does not hold");
            }
            previous = id;
        }
        long creations = in.readGamma();
        previous = 0;
        for (long k = 0; k < creations; k++) {
            int id = previous + (int) in.readGamma() + 1;
            int typeId = in.readBits(schema.typeBits());
            EntityType type = schema.typeById(typeId);
            int[] entity = new int[1 + type.fieldCount()];
            entity[0] = typeId;
            for (int f = 0; f < type.fieldCount(); f++) {
                entity[1 + f] = FieldCodec.readFull(in, type.fieldAt(f));
            }
            state.put(id, entity);
            previous = id;
        }
        long updates = in.readGamma();
        previous = 0;
        for (long k = 0; k < updates; k++) {
            int id = previous + (int) in.readGamma() + 1;
            int[] entity = state.get(id);
            if (entity == null) {
                throw new AssertionError("update of entity " + id + " the client does not hold");
            }
            EntityType type = schema.typeById(entity[0]);
            int fields = type.fieldCount();
            long mask = fields <= 32 ? in.readBits(fields) & 0xFFFF_FFFFL
                    : (in.readBits(32) & 0xFFFF_FFFFL) | ((long) in.readBits(fields - 32) << 32);
            for (int f = 0; f < fields; f++) {
                if ((mask & (1L << f)) != 0) {
                    entity[1 + f] = FieldCodec.readDelta(in, type.fieldAt(f), entity[1 + f]);
                }
            }
            previous = id;
        }
        if (in.remainingBits() >= 8) {
            throw new AssertionError(in.remainingBits() + " bits left after the state");
        }
        return state;
    }

    static int hash(Map<Integer, int[]> state) {
        int h = StateHash.START;
        for (Map.Entry<Integer, int[]> e : state.entrySet()) {
            h = StateHash.mix(h, e.getKey());
            for (int word : e.getValue()) {
                h = StateHash.mix(h, word);
            }
        }
        return h;
    }

    /** The server's view ({@link Replicator#viewOf}) as a map like the decoder's. */
    static TreeMap<Integer, int[]> serverView(Replicator replicator, int playerId) {
        int[][] view = replicator.viewOf(playerId);
        if (view == null) {
            return null;
        }
        TreeMap<Integer, int[]> state = new TreeMap<>();
        for (int[] entry : view) {
            int[] entity = new int[entry.length - 1];
            System.arraycopy(entry, 1, entity, 0, entity.length);
            state.put(entry[0], entity);
        }
        return state;
    }

    static String describe(Map<Integer, int[]> state) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<Integer, int[]> e : state.entrySet()) {
            b.append(e.getKey()).append('=').append(java.util.Arrays.toString(e.getValue())).append(' ');
        }
        return b.append('}').toString();
    }

    static boolean sameState(Map<Integer, int[]> a, Map<Integer, int[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<Integer, int[]> e : a.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
