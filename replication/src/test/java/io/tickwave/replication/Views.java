package io.tickwave.replication;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** States as maps of id to {@code [typeId, q...]}: a ReplicaClient's, and the server's view of a viewer. */
final class Views {
    private Views() {
    }

    /** What {@code client} holds now. */
    static TreeMap<Integer, int[]> of(ReplicaClient client) {
        TreeMap<Integer, int[]> state = new TreeMap<>();
        for (int i = 0; i < client.entityCount(); i++) {
            EntityType type = client.typeAt(i);
            int[] entity = new int[1 + type.fieldCount()];
            entity[0] = type.typeId();
            for (int f = 0; f < type.fieldCount(); f++) {
                entity[1 + f] = client.qAt(i, f);
            }
            state.put(client.idAt(i), entity);
        }
        return state;
    }

    /** The server's view ({@link Replicator#viewOf}) of {@code playerId}; null if not computable. */
    static TreeMap<Integer, int[]> server(Replicator replicator, int playerId) {
        int[][] view = replicator.viewOf(playerId);
        if (view == null) {
            return null;
        }
        TreeMap<Integer, int[]> state = new TreeMap<>();
        for (int[] entry : view) {
            state.put(entry[0], Arrays.copyOfRange(entry, 1, entry.length));
        }
        return state;
    }

    static boolean same(Map<Integer, int[]> a, Map<Integer, int[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<Integer, int[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static String describe(Map<Integer, int[]> state) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<Integer, int[]> e : state.entrySet()) {
            b.append(e.getKey()).append('=').append(Arrays.toString(e.getValue())).append(' ');
        }
        return b.append('}').toString();
    }
}
