package io.tickwave.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random worlds, viewers and networks: whatever the server encodes and the client applies, the client
 * ends up holding exactly the server's view of it.
 */
class ReplicatorPropertyTest {
    private static final EntityType[] TYPES = {TestWorld.SHIP, TestWorld.SHIP, TestWorld.PICKUP, TestWorld.CLOCK};

    /** One player's connection: a ReplicaClient; the newest snapshot it applied is its baseline. */
    private static final class Client {
        ReplicaClient replica = new ReplicaClient(TestWorld.SCHEMA);

        void reconnect() {
            replica = new ReplicaClient(TestWorld.SCHEMA);
        }
    }

    @Property(tries = 40)
    void shouldRebuildEveryViewersStateExactlyThroughDroppedSnapshotsAndReconnects(@ForAll long seed) {
        Random random = new Random(seed);
        Replicator replicator = new Replicator(TestWorld.SCHEMA);
        ReplicatedState state = replicator.state();
        if (random.nextBoolean()) {
            state.setInterest(20 + random.nextInt(150), 50 + random.nextInt(300));
        }
        if (random.nextInt(3) == 0) {
            state.setByteBudget(8 + random.nextInt(120));
        }
        int players = 1 + random.nextInt(4);
        Client[] clients = new Client[players + 1];
        for (int p = 1; p <= players; p++) {
            replicator.addViewer(p);
            clients[p] = new Client();
        }
        List<Integer> live = new ArrayList<>();
        Map<Integer, EntityType> typeOf = new HashMap<>();
        long tick = 0;
        int checked = 0;
        for (int snapshot = 0; snapshot < 70; snapshot++) {
            int operations = random.nextInt(14);
            for (int op = 0; op < operations; op++) {
                int what = random.nextInt(12);
                if (what <= 1 || live.isEmpty()) {
                    EntityType type = TYPES[random.nextInt(TYPES.length)];
                    int id = state.create(type);
                    live.add(id);
                    typeOf.put(id, type);
                    for (Field field : type.fields()) {
                        if (random.nextBoolean()) {
                            TestWorld.setRandom(state, id, field, random);
                        }
                    }
                    if (type.hasPosition()) { // keep most ships where the viewers look
                        state.setFloat(id, type.fieldAt(type.positionXIndex()), random.nextDouble() * 400);
                        state.setFloat(id, type.fieldAt(type.positionYIndex()), random.nextDouble() * 400);
                    }
                } else if (what == 2) {
                    int id = live.remove(random.nextInt(live.size()));
                    state.destroy(id);
                } else if (what <= 7) {
                    int id = live.get(random.nextInt(live.size()));
                    EntityType type = typeOf.get(id);
                    TestWorld.setRandom(state, id, type.fieldAt(random.nextInt(type.fieldCount())), random);
                } else if (what == 8) {
                    int player = 1 + random.nextInt(players);
                    int how = random.nextInt(4);
                    if (how == 0) {
                        state.clearViewpoint(player);
                    } else if (how == 1) {
                        state.setViewpoint(player, live.get(random.nextInt(live.size())));
                    } else {
                        state.setViewpoint(player, random.nextDouble() * 400, random.nextDouble() * 400);
                    }
                } else if (what == 9) {
                    int id = live.get(random.nextInt(live.size()));
                    state.setOnlyVisibleTo(id, random.nextInt(3) == 0 ? 0 : random.nextInt(players + 2));
                } else if (what == 10 && random.nextInt(4) == 0) {
                    state.setByteBudget(random.nextBoolean() ? 1200 : 8 + random.nextInt(100));
                } else {
                    for (int id : live) { // everything moves a little
                        EntityType type = typeOf.get(id);
                        if (type == TestWorld.SHIP && random.nextBoolean()) {
                            TestWorld.setRandom(state, id, TestWorld.SHIP_AIM, random);
                        }
                    }
                }
            }
            tick += 1 + random.nextInt(3);
            replicator.beginSnapshot(tick);
            for (int p = 1; p <= players; p++) {
                Client client = clients[p];
                if (random.nextInt(25) == 0) {
                    client.reconnect();
                    if (random.nextBoolean()) {
                        replicator.removeViewer(p);
                        replicator.addViewer(p);
                    }
                }
                boolean withHash = random.nextInt(3) == 0;
                long newest = client.replica.tick();
                Encoding encoding = replicator.encode(p, newest, withHash);
                long baseline = encoding.baselineTick();
                assertTrue(baseline == 0 || baseline == newest,
                        "baseline " + baseline + " is neither 0 nor the client's " + newest);
                if (newest != 0 && random.nextInt(5) == 0) {
                    continue; // dropped as stale: encoded, never sent
                }
                client.replica.apply(tick, baseline, encoding.array(), 0, encoding.length());
                TreeMap<Integer, int[]> after = Views.of(client.replica);
                TreeMap<Integer, int[]> expected = Views.server(replicator, p);
                if (expected != null) {
                    assertTrue(Views.same(expected, after), "seed " + seed + " tick " + tick + " player " + p
                            + "\nserver " + Views.describe(expected) + "\nclient " + Views.describe(after));
                    assertEquals(withHash, encoding.hasHash(), "hash present when asked for and computable");
                    checked++;
                }
                if (encoding.hasHash()) {
                    assertEquals(client.replica.stateHash(), encoding.stateHash(), "state hash at tick " + tick);
                }
            }
            replicator.endSnapshot();
        }
        assertTrue(checked > 0, "no snapshot was checked");
    }
}
