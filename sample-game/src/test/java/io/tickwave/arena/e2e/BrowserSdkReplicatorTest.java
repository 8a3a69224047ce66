package io.tickwave.arena.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.protocol.EntityTypeSchema;
import io.tickwave.protocol.FieldKind;
import io.tickwave.protocol.FieldSchema;
import io.tickwave.protocol.ReplicationSchema;
import io.tickwave.replication.Encoding;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.Field;
import io.tickwave.replication.ReplicatedState;
import io.tickwave.replication.Replicator;
import io.tickwave.replication.Schema;
import io.tickwave.replication.StateHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The browser SDK against the Java encoder: a random world (every field kind, creations, updates,
 * destroys, snapshots encoded but never delivered, deltas against a state older than the client's
 * newest, a reconnect) goes through the real
 * {@link Replicator}; its frames and schema (as protobuf bytes, decoded by protobufjs) are replayed in
 * Chromium through {@code /sdk/tickwave.js}, and after every snapshot the page must hold exactly the
 * world the server holds (every entity, every field's value, the state hash), with every state_hash
 * the encoder sent checked and none failing.
 */
class BrowserSdkReplicatorTest extends ServedPageTest {

    BrowserSdkReplicatorTest() {
        super("/health");
    }

    private static FieldSchema.Builder field(String name, int number, FieldKind kind, int bits) {
        return FieldSchema.newBuilder().setName(name).setNumber(number).setKind(kind).setBits(bits);
    }

    private static FieldSchema.Builder quantized(String name, int number, double min, double max, double precision) {
        int steps = (int) Math.ceil((max - min) / precision);
        return field(name, number, FieldKind.QUANTIZED, 32 - Integer.numberOfLeadingZeros(steps))
                .setMin(min).setMax(max).setPrecision(precision);
    }

    /** Every kind, both delta paths (B > 6 and B <= 6), a negative QUANTIZED range, three type ids. */
    private static Schema schema() {
        return Schema.fromMessage(ReplicationSchema.newBuilder()
                .addTypes(EntityTypeSchema.newBuilder().setTypeId(1).setName("t.Ship").setPriority(1)
                        .setPositionXField(-1).setPositionYField(-1)
                        .addFields(quantized("x", 1, 0, 2000, 0.0625))
                        .addFields(quantized("y", 2, -100, 100, 0.5))
                        .addFields(field("aim", 3, FieldKind.ANGLE, 10))
                        .addFields(field("alive", 4, FieldKind.BOOL, 1))
                        .addFields(field("health", 5, FieldKind.BOUNDED, 5))
                        .addFields(field("score", 6, FieldKind.SINT, 32))
                        .addFields(field("player_id", 7, FieldKind.UINT, 32))
                        .addFields(field("speed", 8, FieldKind.FLOAT, 32)))
                .addTypes(EntityTypeSchema.newBuilder().setTypeId(4).setName("t.Marker").setPriority(1)
                        .setPositionXField(-1).setPositionYField(-1)
                        .addFields(field("heading", 1, FieldKind.ANGLE, 3))
                        .addFields(field("lit", 2, FieldKind.BOOL, 1))
                        .addFields(field("stage", 3, FieldKind.BOUNDED, 12)))
                .addTypes(EntityTypeSchema.newBuilder().setTypeId(9).setName("t.Clock").setPriority(1)
                        .setAlwaysRelevant(true).setPositionXField(-1).setPositionYField(-1)
                        .addFields(field("ticks_left", 1, FieldKind.UINT, 32)))
                .build());
    }

    /** Sets a random value of the field's kind (sometimes out of range) and returns the q the world now holds. */
    private static int setRandom(ReplicatedState state, int entity, Field field, SplittableRandom random) {
        switch (field.kind()) {
            case QUANTIZED: {
                double span = field.max() - field.min();
                double v = field.min() - span * 0.05 + random.nextDouble() * span * 1.1;
                state.setFloat(entity, field, v);
                return field.quantize(v);
            }
            case ANGLE: {
                double v = (random.nextDouble() - 0.5) * 30;
                state.setFloat(entity, field, v);
                return field.quantize(v);
            }
            case FLOAT: {
                double v = random.nextInt(4) == 0 ? random.nextInt(3) : random.nextGaussian() * 1e3;
                state.setFloat(entity, field, v);
                return field.quantize(v);
            }
            case BOOL: {
                boolean v = random.nextBoolean();
                state.setBool(entity, field, v);
                return field.quantizeBool(v);
            }
            default: {
                int v = random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(400) - 100;
                state.setInt(entity, field, v);
                return field.quantizeInt(v);
            }
        }
    }

    /** An entity as the server's world holds it: its type and each field's q. */
    private record Held(EntityType type, int[] q) {
    }

    private static long hash(TreeMap<Integer, Held> world) {
        int h = StateHash.START;
        for (Map.Entry<Integer, Held> e : world.entrySet()) {
            h = StateHash.mix(h, e.getKey());
            h = StateHash.mix(h, e.getValue().type().typeId());
            for (int q : e.getValue().q()) {
                h = StateHash.mix(h, q);
            }
        }
        return Integer.toUnsignedLong(h);
    }

    @Test
    void shouldHoldExactlyTheServersWorldAfterEverySnapshotTheJavaEncoderSent() {
        Schema schema = schema();
        List<EntityType> types = schema.types();
        Replicator replicator = new Replicator(schema);
        ReplicatedState state = replicator.state();
        state.setByteBudget(1 << 20); // everything fits: the client holds the whole world after each snapshot
        replicator.addViewer(1);
        SplittableRandom random = new SplittableRandom(20261201);

        TreeMap<Integer, Held> world = new TreeMap<>();
        List<Map<String, Object>> frames = new ArrayList<>();
        List<TreeMap<Integer, Held>> expected = new ArrayList<>();
        long tick = 0;
        // The server's baseline for the player: the newest snapshot handed to its socket. Sometimes a
        // snapshot reaches the client but the next one is encoded before the hand-off counted, so the
        // client gets a delta against a state older than its newest.
        long baseline = 0;
        int hashes = 0;
        for (int snapshot = 0; snapshot < 150; snapshot++) {
            for (int op = random.nextInt(12); op > 0; op--) {
                int what = random.nextInt(10);
                if (what <= 1 || world.isEmpty()) {
                    EntityType type = types.get(random.nextInt(types.size()));
                    int id = state.create(type);
                    int[] q = new int[type.fieldCount()];
                    for (int i = 0; i < q.length; i++) {
                        q[i] = setRandom(state, id, type.fieldAt(i), random);
                    }
                    world.put(id, new Held(type, q));
                } else if (what == 2 && world.size() > 3) {
                    Integer id = new ArrayList<>(world.keySet()).get(random.nextInt(world.size()));
                    state.destroy(id);
                    world.remove(id);
                } else {
                    Integer id = new ArrayList<>(world.keySet()).get(random.nextInt(world.size()));
                    Held held = world.get(id);
                    int i = random.nextInt(held.type().fieldCount());
                    held.q()[i] = setRandom(state, id, held.type().fieldAt(i), random);
                }
            }
            tick += 1 + random.nextInt(3);
            if (snapshot == 90) { // the player reconnects: the server starts it from the empty state
                replicator.removeViewer(1);
                replicator.addViewer(1);
                baseline = 0;
            }
            replicator.beginSnapshot(tick);
            boolean withHash = random.nextInt(3) == 0;
            Encoding encoding = replicator.encode(1, baseline, withHash);
            byte[] bytes = Arrays.copyOf(encoding.array(), encoding.length());
            boolean dropped = baseline != 0 && random.nextInt(5) == 0; // encoded, replaced unsent as stale
            if (!dropped) {
                Map<String, Object> frame = new HashMap<>();
                frame.put("tick", tick);
                frame.put("baseline", encoding.baselineTick());
                frame.put("state", Base64.getEncoder().encodeToString(bytes));
                frame.put("hash", encoding.hasHash() ? Integer.toUnsignedLong(encoding.stateHash()) : null);
                hashes += encoding.hasHash() ? 1 : 0;
                frames.add(frame);
                TreeMap<Integer, Held> copy = new TreeMap<>();
                world.forEach((id, held) -> copy.put(id, new Held(held.type(), held.q().clone())));
                expected.add(copy);
                if (random.nextInt(4) != 0) {
                    baseline = tick;
                }
            }
            replicator.endSnapshot();
        }
        assertTrue(hashes > 10, "the encoder sent hashes to check: " + hashes);
        int olderBaselines = 0;
        for (int i = 1; i < frames.size(); i++) {
            long b = (long) frames.get(i).get("baseline");
            olderBaselines += b != 0 && b != (long) frames.get(i - 1).get("tick") ? 1 : 0;
        }
        assertTrue(olderBaselines > 5, "deltas against a state older than the client's newest: " + olderBaselines);

        Object result = BrowserSdk.run(browser, """
                const [schemaBase64, frames] = args;
                if (!window.protobuf) {
                  await new Promise((resolve, reject) => {
                    const script = document.createElement('script');
                    script.src = '/webjars/protobufjs/7.5.4/dist/protobuf.min.js';
                    script.onload = resolve;
                    script.onerror = () => reject(new Error('protobuf.min.js did not load'));
                    document.head.append(script);
                  });
                }
                const sdk = await import('/sdk/tickwave.js');
                const root = await protobuf.load('/proto/tickwave_options.proto');
                const bytes = (b) => Uint8Array.from(atob(b), (c) => c.charCodeAt(0));
                const schema = root.lookupType('tickwave.v1.ReplicationSchema').decode(bytes(schemaBase64));
                const errors = [];
                const replica = new sdk.Replica(schema, { error: (e) => errors.push(e.message) });
                const held = [];
                for (const f of frames) {
                  replica.applySnapshot({ tick: f.tick, baselineTick: f.baseline, state: bytes(f.state),
                    stateHash: f.hash }, 0);
                  // [id, type, field values in order] per entity, ascending id.
                  const rows = [...replica.entities].sort((a, b) => a[0] - b[0]).map(([id, e]) =>
                    [id, e.$type, ...replica.typeOf(id).fields.map((field) => e[field.name])]);
                  held.push({ tick: replica.tick, hash: replica.stateHash(), rows });
                }
                done({ held, errors, checked: replica.hashesChecked });
                """, Base64.getEncoder().encodeToString(schema.toMessage().toByteArray()), frames);

        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) result;
        assertNull(r.get("error"), String.valueOf(r.get("error")));
        assertEquals(List.of(), r.get("errors"), "no hash mismatch, no missing baseline, no malformed state");
        assertEquals((long) hashes, ((Number) r.get("checked")).longValue(), "every state_hash checked");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> held = (List<Map<String, Object>>) r.get("held");
        assertEquals(expected.size(), held.size());
        for (int s = 0; s < expected.size(); s++) {
            Map<String, Object> client = held.get(s);
            String where = "after the snapshot of tick " + frames.get(s).get("tick");
            assertEquals(frames.get(s).get("tick"), ((Number) client.get("tick")).longValue(), where);
            assertEquals(hash(expected.get(s)), ((Number) client.get("hash")).longValue(), where + ": state hash");
            @SuppressWarnings("unchecked")
            List<List<Object>> rows = (List<List<Object>>) client.get("rows");
            assertEquals(new ArrayList<>(expected.get(s).keySet()),
                    rows.stream().map(row -> ((Number) row.get(0)).intValue()).toList(), where + ": entity ids");
            int row = 0;
            for (Map.Entry<Integer, Held> e : expected.get(s).entrySet()) {
                assertEntity(e.getKey(), e.getValue(), rows.get(row++), where);
            }
        }
    }

    private static void assertEntity(int id, Held expected, List<Object> row, String where) {
        EntityType type = expected.type();
        String what = where + ", entity " + id + " " + row;
        assertEquals(type.name(), row.get(1), what);
        assertEquals(type.fieldCount() + 2, row.size(), what);
        for (int i = 0; i < type.fieldCount(); i++) {
            Field field = type.fieldAt(i);
            Object actual = row.get(i + 2);
            int q = expected.q()[i];
            if (field.kind() == io.tickwave.replication.FieldKind.BOOL) {
                assertEquals(q != 0, actual, what + " " + field.name());
            } else {
                double want = field.dequantize(q);
                double got = ((Number) actual).doubleValue();
                assertEquals(want, got, 1e-9 * Math.max(1, Math.abs(want)), what + " " + field.name() + " (q " + q + ")");
            }
        }
    }
}
