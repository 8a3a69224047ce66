package io.tickwave.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.replication.testproto.Clock;
import io.tickwave.replication.testproto.Pickup;
import io.tickwave.replication.testproto.ReplicationTest;
import io.tickwave.replication.testproto.Ship;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReplicaClientTest {
    private final Schema schema = Schema.fromMessage(Schema.fromFile(ReplicationTest.getDescriptor()).toMessage());
    private final EntityType ship = schema.type(Ship.getDescriptor());
    private final EntityType clock = schema.type(Clock.getDescriptor());
    private final EntityType pickup = schema.type(Pickup.getDescriptor());
    private final ReplicaClient client = new ReplicaClient(schema);

    private static final int[] SHIP_A = {7, 1928, 32000, 1020, 1, -3};
    private static final int[] SHIP_A2 = {7, 1930, 31990, 3, 0, -2};
    private static final int[] SHIP_A3 = {7, 0, 31990, 1020, 1, 500};
    private static final int[] CLOCK = {-1, Float.floatToRawIntBits(1.5f), 2};
    private static final int[] CLOCK2 = {0, Float.floatToRawIntBits(1.5f), 1};
    private static final int[] PICKUP = {200, 400, 5};

    @Test
    void shouldStartEmpty() {
        assertEquals(0, client.entityCount());
        assertEquals(0, client.tick());
        assertEquals(StateHash.START, client.stateHash());
        assertFalse(client.has(1));
    }

    @Test
    void shouldBuildAFullSnapshotAgainstTheEmptyState() {
        apply(1, 0, new StateWriter(schema).create(2, ship, SHIP_A).create(9, clock, CLOCK).create(40, pickup, PICKUP));

        assertState(Map.of(2, entity(ship, SHIP_A), 9, entity(clock, CLOCK), 40, entity(pickup, PICKUP)));
        assertEquals(1, client.tick());
        assertSame(ship, client.typeOf(2));
        assertNull(client.typeOf(3));
        assertEquals(120.5, client.value(2, 1));
        assertEquals(4294967295.0, client.value(9, 0));
        assertEquals(1.5, client.value(9, 1));
        assertEquals(-3.0, client.value(2, 5));
        assertThrows(IllegalArgumentException.class, () -> client.q(3, 0));
    }

    @Test
    void shouldApplyAnUpdateToTheStateAtItsBaselineNotTheNewest() {
        apply(1, 0, new StateWriter(schema).create(2, ship, SHIP_A).create(9, clock, CLOCK));
        apply(2, 1, new StateWriter(schema).update(2, ship, SHIP_A, SHIP_A2));
        assertState(Map.of(2, entity(ship, SHIP_A2), 9, entity(clock, CLOCK)));

        // Snapshot 3 was encoded against 1 (the server had not yet seen 2 handed to the socket).
        apply(3, 1, new StateWriter(schema).update(2, ship, SHIP_A, SHIP_A3).update(9, clock, CLOCK, CLOCK2));
        assertState(Map.of(2, entity(ship, SHIP_A3), 9, entity(clock, CLOCK2)));

        // And 4 against 2, which the client still holds.
        apply(4, 2, new StateWriter(schema).remove(9));
        assertState(Map.of(2, entity(ship, SHIP_A2)));
    }

    @Test
    void shouldDropStatesOlderThanTheNewestBaseline() {
        apply(1, 0, new StateWriter(schema).create(2, ship, SHIP_A));
        apply(2, 1, new StateWriter(schema));
        apply(3, 2, new StateWriter(schema));

        byte[] againstOne = new StateWriter(schema).remove(2).toBytes();
        MalformedStateException e = assertThrows(MalformedStateException.class,
                () -> client.apply(4, 1, againstOne, 0, againstOne.length));
        assertTrue(e.getMessage().contains("baseline 1"), e.getMessage());
        apply(4, 2, new StateWriter(schema).remove(2));
        assertState(Map.of());
    }

    @Test
    void shouldRemoveAndRecreateAnId() {
        apply(1, 0, new StateWriter(schema).create(2, ship, SHIP_A).create(5, pickup, PICKUP));
        apply(2, 1, new StateWriter(schema).remove(2));
        assertState(Map.of(5, entity(pickup, PICKUP)));

        apply(3, 2, new StateWriter(schema).create(2, ship, SHIP_A3).remove(5));
        assertState(Map.of(2, entity(ship, SHIP_A3)));
    }

    @Test
    void shouldReplaceAHeldEntityThatIsCreatedAgain() {
        apply(1, 0, new StateWriter(schema).create(2, ship, SHIP_A).create(3, pickup, PICKUP));
        apply(2, 1, new StateWriter(schema).create(2, ship, SHIP_A2).create(1, pickup, PICKUP));
        assertState(Map.of(1, entity(pickup, PICKUP), 2, entity(ship, SHIP_A2), 3, entity(pickup, PICKUP)));
    }

    @Test
    void shouldSendAFullSnapshotAgainstBaselineZeroWhateverIsHeld() {
        apply(1, 0, new StateWriter(schema).create(2, ship, SHIP_A));
        apply(2, 0, new StateWriter(schema).create(3, pickup, PICKUP));
        assertState(Map.of(3, entity(pickup, PICKUP)));
    }

    @Test
    void shouldRefuseAnUnknownBaselineAndKeepTheState() {
        apply(1, 0, new StateWriter(schema).create(2, ship, SHIP_A));
        int hash = client.stateHash();
        byte[] bytes = new StateWriter(schema).remove(2).toBytes();

        assertThrows(MalformedStateException.class, () -> client.apply(2, 7, bytes, 0, bytes.length));

        assertEquals(hash, client.stateHash());
        assertEquals(1, client.tick());
        assertState(Map.of(2, entity(ship, SHIP_A)));
    }

    @Test
    void shouldRefuseATruncatedStreamAndKeepTheState() {
        apply(1, 0, new StateWriter(schema).create(2, ship, SHIP_A));
        byte[] whole = new StateWriter(schema).create(3, ship, SHIP_A2).update(2, ship, SHIP_A, SHIP_A3).toBytes();
        for (int len = 0; len < whole.length; len++) {
            int cut = len;
            assertThrows(MalformedStateException.class, () -> client.apply(2, 1, whole, 0, cut), "cut at " + cut);
            assertState(Map.of(2, entity(ship, SHIP_A)));
        }
        client.apply(2, 1, whole, 0, whole.length);
        assertState(Map.of(2, entity(ship, SHIP_A3), 3, entity(ship, SHIP_A2)));
    }

    @Test
    void shouldRefuseBitsBeyondThePaddingAfterTheUpdates() {
        apply(1, 0, new StateWriter(schema).create(2, ship, SHIP_A));
        BitWriter stream = new StateWriter(schema).update(2, ship, SHIP_A, SHIP_A2).write(new BitWriter());
        int bits = stream.bitLength();

        byte[] extraByte = Arrays.copyOf(stream.toByteArray(), stream.byteLength() + 1);
        assertThrows(MalformedStateException.class, () -> client.apply(2, 1, extraByte, 0, extraByte.length));

        if (bits % 8 != 0) {
            byte[] dirtyPadding = stream.toByteArray();
            dirtyPadding[dirtyPadding.length - 1] |= (byte) 0x80;
            assertThrows(MalformedStateException.class, () -> client.apply(2, 1, dirtyPadding, 0, dirtyPadding.length));
        }
        assertState(Map.of(2, entity(ship, SHIP_A)));

        byte[] padded = stream.toByteArray();
        client.apply(2, 1, padded, 0, padded.length);
        assertState(Map.of(2, entity(ship, SHIP_A2)));
    }

    @Test
    void shouldRefuseListsThatDisagreeWithTheBaseline() {
        apply(1, 0, new StateWriter(schema).create(2, ship, SHIP_A));

        assertMalformed(2, 1, new StateWriter(schema).remove(3), "removal of entity 3");
        assertMalformed(2, 1, new StateWriter(schema).update(3, ship, SHIP_A, SHIP_A2), "update of entity 3");
        assertMalformed(2, 1, new StateWriter(schema).remove(2).update(2, ship, SHIP_A, SHIP_A2), "update of entity 2");
        assertMalformed(2, 1, new StateWriter(schema).create(2, ship, SHIP_A).update(2, ship, SHIP_A, SHIP_A2),
                "update of entity 2");
        BitWriter unknownType = new BitWriter();
        unknownType.writeGamma(0);
        unknownType.writeGamma(1);
        unknownType.writeGamma(4);
        unknownType.writeBits(2, schema.typeBits()); // no type 2
        unknownType.writeBits(0, 32);
        unknownType.writeGamma(0);
        byte[] bytes = unknownType.toByteArray();
        MalformedStateException e = assertThrows(MalformedStateException.class, () -> client.apply(2, 1, bytes, 0, bytes.length));
        assertTrue(e.getMessage().contains("unknown type 2"), e.getMessage());
        assertState(Map.of(2, entity(ship, SHIP_A)));
    }

    @Test
    void shouldRefuseASnapshotNotAfterTheNewest() {
        apply(5, 0, new StateWriter(schema));
        assertMalformed(5, 0, new StateWriter(schema), "not after");
        assertMalformed(4, 0, new StateWriter(schema), "not after");
    }

    @Test
    void shouldWrapIntegerDeltasAt32Bits() {
        int[] before = {Integer.MAX_VALUE, 0, 0};
        int[] after = {Integer.MIN_VALUE, 0, 3};
        apply(1, 0, new StateWriter(schema).create(9, clock, before));
        apply(2, 1, new StateWriter(schema).update(9, clock, before, after));
        assertState(Map.of(9, entity(clock, after)));
        assertEquals(2147483648.0, client.value(9, 0));
    }

    @Test
    void shouldTellTheListenerWhatChangedSinceThePreviousNewestState() {
        List<String> heard = new ArrayList<>();
        client.setListener(new ReplicaClient.Listener() {
            @Override
            public void added(int id, EntityType type) {
                heard.add("added " + id + " " + type.typeId() + " q1=" + client.q(id, 0));
            }

            @Override
            public void changed(int id, EntityType type, int changedMask) {
                heard.add("changed " + id + " " + Integer.toBinaryString(changedMask));
            }

            @Override
            public void removed(int id, EntityType type) {
                heard.add("removed " + id + " " + type.typeId());
            }
        });
        apply(1, 0, new StateWriter(schema).create(2, ship, SHIP_A).create(4, pickup, PICKUP));
        assertEquals(List.of("added 2 1 q1=7", "added 4 3 q1=200"), heard);
        heard.clear();

        apply(2, 1, new StateWriter(schema).update(2, ship, SHIP_A, SHIP_A2).remove(4).create(6, clock, CLOCK));
        assertEquals(List.of("changed 2 111110", "removed 4 3", "added 6 9 q1=-1"), heard);
        heard.clear();

        // Against baseline 1 again: the listener compares with the newest state (2), not the baseline.
        apply(3, 1, new StateWriter(schema).update(2, ship, SHIP_A, SHIP_A2).update(4, pickup, PICKUP, new int[] {1, 400, 5}));
        assertEquals(List.of("added 4 3 q1=1", "removed 6 9"), heard);
        heard.clear();

        // An explicit mask bit over an unchanged value is no change to the listener.
        apply(4, 3, new StateWriter(schema).update(2, ship, 0b10, SHIP_A2, SHIP_A2));
        assertEquals(List.of(), heard);
    }

    @Test
    void shouldMatchAModelOverARandomRunOfSnapshots() {
        Random random = new Random(3);
        TreeMap<Long, TreeMap<Integer, Object[]>> held = new TreeMap<>(); // what the client holds, by tick
        held.put(0L, new TreeMap<>());
        long newestBaseline = 0;
        int nextId = 1;
        for (long tick = 1; tick <= 300; tick++) {
            long baseline = newestBaseline + random.nextInt((int) (held.lastKey() - newestBaseline) + 1);
            if (random.nextInt(50) == 0) {
                baseline = 0;
            }
            TreeMap<Integer, Object[]> base = baseline == 0 ? new TreeMap<>() : held.get(baseline);
            TreeMap<Integer, Object[]> next = new TreeMap<>();
            StateWriter writer = new StateWriter(schema);
            for (Map.Entry<Integer, Object[]> e : base.entrySet()) {
                EntityType type = (EntityType) e.getValue()[0];
                int[] q = (int[]) e.getValue()[1];
                int roll = random.nextInt(10);
                if (roll == 0) {
                    writer.remove(e.getKey());
                } else if (roll < 5) {
                    int[] changed = randomValues(random, type, q);
                    writer.update(e.getKey(), type, q, changed);
                    next.put(e.getKey(), entity(type, changed));
                } else {
                    next.put(e.getKey(), e.getValue());
                }
            }
            for (int n = random.nextInt(4); n > 0; n--) {
                EntityType type = schema.types().get(random.nextInt(3));
                int[] q = randomValues(random, type, null);
                int id = nextId++;
                writer.create(id, type, q);
                next.put(id, entity(type, q));
            }
            apply(tick, baseline, writer);
            assertState(next);
            held.put(tick, next);
            newestBaseline = Math.max(newestBaseline, baseline);
            held.headMap(newestBaseline).clear();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static int[] randomValues(Random random, EntityType type, int[] old) {
        int[] q = new int[type.fieldCount()];
        for (int f = 0; f < q.length; f++) {
            Field field = type.fieldAt(f);
            if (old != null && random.nextBoolean()) {
                q[f] = old[f];
            } else if (field.maxQ() >= 0) {
                q[f] = random.nextInt(field.maxQ() + 1);
            } else {
                q[f] = random.nextInt();
            }
        }
        return q;
    }

    private void apply(long tick, long baseline, StateWriter writer) {
        byte[] bytes = writer.toBytes();
        byte[] framed = new byte[bytes.length + 5]; // at an offset, with bytes around it
        Arrays.fill(framed, (byte) 0xFF);
        System.arraycopy(bytes, 0, framed, 3, bytes.length);
        client.apply(tick, baseline, framed, 3, bytes.length);
    }

    private void assertMalformed(long tick, long baseline, StateWriter writer, String mention) {
        int hash = client.stateHash();
        byte[] bytes = writer.toBytes();
        MalformedStateException e = assertThrows(MalformedStateException.class,
                () -> client.apply(tick, baseline, bytes, 0, bytes.length));
        assertTrue(e.getMessage().contains(mention), e.getMessage());
        assertEquals(hash, client.stateHash());
    }

    private static Object[] entity(EntityType type, int[] q) {
        return new Object[] {type, q};
    }

    /** The newest state holds exactly {@code expected}, and hashes as the spec says. */
    private void assertState(Map<Integer, Object[]> expected) {
        TreeMap<Integer, Object[]> sorted = new TreeMap<>(expected);
        assertEquals(sorted.size(), client.entityCount(), "entity count");
        int index = 0;
        int hash = 0x811C9DC5;
        for (Map.Entry<Integer, Object[]> e : sorted.entrySet()) {
            EntityType type = (EntityType) e.getValue()[0];
            int[] q = (int[]) e.getValue()[1];
            assertEquals(e.getKey(), client.idAt(index), "id at " + index);
            assertSame(type, client.typeAt(index));
            assertTrue(client.has(e.getKey()));
            hash = fnv(fnv(hash, e.getKey()), type.typeId());
            for (int f = 0; f < q.length; f++) {
                assertEquals(q[f], client.q(e.getKey(), f), "entity " + e.getKey() + " field " + f);
                assertEquals(q[f], client.qAt(index, f));
                hash = fnv(hash, q[f]);
            }
            index++;
        }
        assertEquals(hash, client.stateHash(), "state hash");
    }

    private static int fnv(int hash, int word) {
        for (int shift = 0; shift < 32; shift += 8) {
            hash ^= (word >>> shift) & 0xFF;
            hash *= 16777619;
        }
        return hash;
    }
}
