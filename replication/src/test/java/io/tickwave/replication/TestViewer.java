package io.tickwave.replication;

import java.util.Arrays;
import java.util.TreeMap;

/** A viewer that applies every snapshot it is encoded (a connection that never drops one). */
final class TestViewer {
    final int playerId;
    TreeMap<Integer, int[]> state = new TreeMap<>();
    long newest;
    Encoding last;
    int lastLength;

    TestViewer(Replicator replicator, int playerId) {
        this.playerId = playerId;
        replicator.addViewer(playerId);
    }

    /** Encodes the current snapshot for this viewer and applies it; returns the decoded state. */
    TreeMap<Integer, int[]> receive(Replicator replicator, long tick) {
        Encoding encoding = replicator.encode(playerId, newest, false);
        byte[] bytes = Arrays.copyOf(encoding.array(), encoding.length());
        TreeMap<Integer, int[]> before = encoding.baselineTick() == 0 ? new TreeMap<>() : state;
        state = SpecDecoder.apply(TestWorld.SCHEMA, before, bytes, bytes.length);
        newest = tick;
        last = encoding;
        lastLength = encoding.length();
        return state;
    }

    /** The dequantized value of a field of an entity this viewer holds. */
    double value(int entity, Field field) {
        int[] held = state.get(entity);
        return field.dequantize(held[1 + field.index()]);
    }
}
