package io.tickwave.replication;

import java.util.TreeMap;

/** A viewer whose connection applies every snapshot it is encoded to a {@link ReplicaClient}. */
final class TestViewer {
    final int playerId;
    final ReplicaClient client = new ReplicaClient(TestWorld.SCHEMA);
    TreeMap<Integer, int[]> state = new TreeMap<>();
    Encoding last;
    int lastLength;

    TestViewer(Replicator replicator, int playerId) {
        this.playerId = playerId;
        replicator.addViewer(playerId);
    }

    /** Encodes the current snapshot for this viewer and applies it; returns what the client holds. */
    TreeMap<Integer, int[]> receive(Replicator replicator, long tick) {
        Encoding encoding = replicator.encode(playerId, client.tick(), false);
        client.apply(tick, encoding.baselineTick(), encoding.array(), 0, encoding.length());
        state = Views.of(client);
        last = encoding;
        lastLength = encoding.length();
        return state;
    }

    /** The dequantized value of a field of an entity this viewer holds. */
    double value(int entity, Field field) {
        return client.value(entity, field.index());
    }
}
