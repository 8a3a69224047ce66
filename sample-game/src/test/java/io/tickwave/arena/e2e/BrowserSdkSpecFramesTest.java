package io.tickwave.arena.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.protocol.EntityTypeSchema;
import io.tickwave.protocol.FieldKind;
import io.tickwave.protocol.FieldSchema;
import io.tickwave.protocol.ReplicationSchema;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The browser SDK ({@code /sdk/tickwave.js}, served by the server) in real Chromium, on frames built
 * here bit by bit from docs/replication.md: every field kind, both delta code paths, gamma codes up to
 * 32 bits, deltas against an older baseline, the callbacks, the hash check, malformed streams, and the interpolation
 * buffer. Independent of the Java encoder, so a misreading shared by both sides still shows here.
 */
class BrowserSdkSpecFramesTest extends ServedPageTest {

    BrowserSdkSpecFramesTest() {
        super("/health");
    }

    /** A bit stream written as docs/replication.md specifies: least significant bit first, from byte 0 up. */
    private static final class Bits {
        private final BitSet bits = new BitSet();
        private int length;

        Bits bit(int b) {
            bits.set(length++, b != 0);
            return this;
        }

        Bits value(long v, int width) {
            for (int i = 0; i < width; i++) {
                bit((int) (v >>> i) & 1);
            }
            return this;
        }

        Bits gamma(long v) {
            long x = v + 1;
            int n = 63 - Long.numberOfLeadingZeros(x);
            for (int i = 0; i < n; i++) {
                bit(0);
            }
            bit(1);
            return value(x, n);
        }

        Bits zigzag(int d) {
            return gamma(Integer.toUnsignedLong((d << 1) ^ (d >> 31)));
        }

        /** delta(field) of a QUANTIZED, ANGLE or BOUNDED field of b bits from o to q. */
        Bits delta(int b, int o, int q, boolean angle) {
            if (b <= 6) {
                return value(q, b);
            }
            int d = q - o;
            if (angle) {
                int size = 1 << b;
                d = Math.floorMod(d + size / 2, size) - size / 2;
            }
            long z = Integer.toUnsignedLong((d << 1) ^ (d >> 31));
            int[] widths = {(b + 3) / 4, (b + 1) / 2, (3 * b + 3) / 4};
            for (int c = 0; c < 3; c++) {
                if (z < (1L << widths[c])) {
                    return value(c, 2).value(z, widths[c]);
                }
            }
            return value(3, 2).value(q, b);
        }

        String base64() {
            byte[] bytes = new byte[(length + 7) / 8];
            byte[] set = bits.toByteArray();
            System.arraycopy(set, 0, bytes, 0, set.length);
            return Base64.getEncoder().encodeToString(bytes);
        }
    }

    private static final int SHIP = 1;
    private static final int BULLET = 5;

    /** Ship fields, in field-number order: x, aim, alive, health, score, player_id, speed. */
    private static Map<String, Object> schema() {
        List<Map<String, Object>> shipFields = List.of(
                Map.of("name", "x", "kind", "QUANTIZED", "bits", 15, "min", 0, "max", 2000, "precision", 0.0625),
                Map.of("name", "aim", "kind", "ANGLE", "bits", 10),
                Map.of("name", "alive", "kind", "BOOL", "bits", 1),
                Map.of("name", "health", "kind", "BOUNDED", "bits", 3),
                Map.of("name", "score", "kind", "SINT", "bits", 32),
                Map.of("name", "player_id", "kind", "UINT", "bits", 32),
                Map.of("name", "speed", "kind", "FLOAT", "bits", 32));
        // Kinds by number, as protobufjs decodes the enum by default (1 = QUANTIZED); 80 steps: 7 bits.
        List<Map<String, Object>> bulletFields = List.of(
                Map.of("name", "y", "kind", 1, "bits", 7, "min", -10, "max", 10, "precision", 0.25));
        return Map.of("types", List.of(
                Map.of("typeId", SHIP, "name", "test.Ship", "priority", 1, "fields", shipFields),
                Map.of("typeId", BULLET, "name", "test.Bullet", "priority", 2, "fields", bulletFields)));
    }

    /** An entity as the test expects the client to hold it: its type and each field's q. */
    private record Entity(int type, int[] q) {
    }

    private static int fnv(int h, int word) {
        for (int shift = 0; shift < 32; shift += 8) {
            h = (h ^ ((word >>> shift) & 0xff)) * 16777619;
        }
        return h;
    }

    private static long hash(TreeMap<Integer, Entity> state) {
        int h = (int) 2166136261L;
        for (Map.Entry<Integer, Entity> e : state.entrySet()) {
            h = fnv(h, e.getKey());
            h = fnv(h, e.getValue().type());
            for (int q : e.getValue().q()) {
                h = fnv(h, q);
            }
        }
        return Integer.toUnsignedLong(h);
    }

    private static Map<String, Object> frame(long tick, long baseline, Bits state, Long hash) {
        Map<String, Object> f = new HashMap<>();
        f.put("tick", tick);
        f.put("baseline", baseline);
        f.put("state", state.base64());
        f.put("hash", hash);
        return f;
    }

    private static final int BIG_PLAYER_ID = (int) 4_000_000_000L;

    @Test
    void shouldRebuildTheStateFromFramesWrittenAsTheSpecSays() {
        List<Map<String, Object>> frames = new ArrayList<>();
        // Tick 10, full: ships 1 and 7, bullet 3.
        TreeMap<Integer, Entity> s10 = new TreeMap<>();
        s10.put(1, new Entity(SHIP, new int[] {16000, 1020, 1, 5, -3, BIG_PLAYER_ID, Float.floatToRawIntBits(1.5f)}));
        s10.put(3, new Entity(BULLET, new int[] {80}));
        s10.put(7, new Entity(SHIP, new int[] {0, 0, 0, 0, 0, 1, Float.floatToRawIntBits(260.25f)}));
        Bits b10 = new Bits().gamma(0).gamma(3);
        b10.gamma(0).value(SHIP, 3).value(16000, 15).value(1020, 10).bit(1).value(5, 3).zigzag(-3)
                .gamma(Integer.toUnsignedLong(BIG_PLAYER_ID)).value(Float.floatToRawIntBits(1.5f), 32);
        b10.gamma(1).value(BULLET, 3).value(80, 7);
        b10.gamma(3).value(SHIP, 3).value(0, 15).value(0, 10).bit(0).value(0, 3).zigzag(0).gamma(1)
                .value(Float.floatToRawIntBits(260.25f), 32);
        b10.gamma(0);
        frames.add(frame(10, 0, b10, hash(s10)));

        // Tick 11 against 10: bullet 3 removed, bullet 9 created, ships 1 and 7 updated.
        TreeMap<Integer, Entity> s11 = new TreeMap<>();
        s11.put(1, new Entity(SHIP, new int[] {16005, 3, 0, 5, 7, BIG_PLAYER_ID, Float.floatToRawIntBits(1.5f)}));
        s11.put(7, new Entity(SHIP, new int[] {31999, 0, 0, 7, 0, 0, Float.floatToRawIntBits(-2.5f)}));
        s11.put(9, new Entity(BULLET, new int[] {0}));
        Bits b11 = new Bits().gamma(1).gamma(2);
        b11.gamma(1).gamma(8).value(BULLET, 3).value(0, 7);
        b11.gamma(2);
        // Ship 1: x (class 0), aim across the wrap (1020 -> 3: +7, class 1), alive flips, score -3 -> 7.
        b11.gamma(0).bit(1).bit(1).bit(1).bit(0).bit(1).bit(0).bit(0)
                .delta(15, 16000, 16005, false).delta(10, 1020, 3, true).zigzag(10);
        // Ship 7: x 0 -> 31999 (class 3: q whole), health 0 -> 7 (3 bits: q), player_id 1 -> 0, speed.
        b11.gamma(5).bit(1).bit(0).bit(0).bit(1).bit(0).bit(1).bit(1)
                .delta(15, 0, 31999, false).delta(3, 0, 7, false).zigzag(-1).value(Float.floatToRawIntBits(-2.5f), 32);
        frames.add(frame(11, 10, b11, null));

        // Tick 12 against 10 again (the client still holds it): ship 7 removed, bullet 3 moved by -1.
        TreeMap<Integer, Entity> s12 = new TreeMap<>();
        s12.put(1, s10.get(1));
        s12.put(3, new Entity(BULLET, new int[] {79}));
        Bits b12 = new Bits().gamma(1).gamma(6).gamma(0).gamma(1).gamma(2).bit(1).delta(7, 80, 79, false);
        frames.add(frame(12, 10, b12, hash(s12)));

        // Tick 13 against 12, nothing changed, with a wrong hash: reported, the state kept.
        frames.add(frame(13, 12, new Bits().gamma(0).gamma(0).gamma(0), hash(s12) ^ 1));
        // Tick 14 against 11, which the client dropped when 13 named 12 as its baseline: skipped.
        frames.add(frame(14, 11, new Bits().gamma(0).gamma(0).gamma(0), null));
        // Tick 15 against 13, cut short: skipped as malformed.
        frames.add(frame(15, 13, new Bits().gamma(4), null));
        // Tick 16 full: only bullet 20.
        TreeMap<Integer, Entity> s16 = new TreeMap<>();
        s16.put(20, new Entity(BULLET, new int[] {40}));
        frames.add(frame(16, 0, new Bits().gamma(0).gamma(1).gamma(19).value(BULLET, 3).value(40, 7).gamma(0), hash(s16)));
        // Tick 17 against 16: bullet 20's y set to q 127, above its 80 steps: malformed.
        frames.add(frame(17, 16, new Bits().gamma(0).gamma(0).gamma(1).gamma(19).bit(1).value(3, 2).value(127, 7), null));
        // Tick 18 against 16: a set bit after the updates: malformed.
        frames.add(frame(18, 16, new Bits().gamma(0).gamma(0).gamma(0).bit(1), null));

        Object result = BrowserSdk.run(browser, """
                const sdk = await import('/sdk/tickwave.js');
                const [schema, frames] = args;
                const calls = [];
                const errors = [];
                const replica = new sdk.Replica(schema, { tickRate: 30, snapshotRate: 30,
                  added: (id, e) => calls.push(`added ${id} ${e.$type}`),
                  changed: (id, e, names) => calls.push(`changed ${id} ${names.join(',')}`),
                  removed: (id) => calls.push(`removed ${id}`),
                  error: (e) => errors.push(`${e.kind} ${e.tick}`) });
                const snapshots = [];
                for (const f of frames) {
                  const state = Uint8Array.from(atob(f.state), (c) => c.charCodeAt(0));
                  const applied = replica.applySnapshot(
                    { tick: f.tick, baselineTick: f.baseline, state, stateHash: f.hash }, f.tick * 1000 / 30);
                  snapshots.push({ tick: replica.tick, applied, calls: calls.splice(0), hash: replica.stateHash(),
                    held: [...replica.states.keys()],
                    entities: Object.fromEntries([...replica.entities].map(([id, e]) => [id, { ...e }])) });
                }
                const between = replica.buffer.interpolate(10.5).entities;
                done({ snapshots, errors, checked: replica.hashesChecked,
                  between: Object.fromEntries([...between].map(([id, e]) => [id, e])) });
                """, schema(), frames);

        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) result;
        assertNull(r.get("error"), String.valueOf(r.get("error")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> snapshots = (List<Map<String, Object>>) r.get("snapshots");
        assertEquals(List.of("hash-mismatch 13", "missing-baseline 14", "malformed 15", "malformed 17", "malformed 18"),
                r.get("errors"));
        assertEquals(4L, ((Number) r.get("checked")).longValue(), "hashes checked at 10, 12, 13, 16");

        List<TreeMap<Integer, Entity>> expected = List.of(s10, s11, s12, s12, s12, s12, s16, s16, s16);
        List<Long> ticks = List.of(10L, 11L, 12L, 13L, 13L, 13L, 16L, 16L, 16L);
        List<Boolean> applied = List.of(true, true, true, true, false, false, true, false, false);
        for (int i = 0; i < expected.size(); i++) {
            Map<String, Object> snapshot = snapshots.get(i);
            String where = "after frame " + i + ": " + snapshot;
            assertEquals(ticks.get(i), ((Number) snapshot.get("tick")).longValue(), where);
            assertEquals(applied.get(i), snapshot.get("applied"), where);
            assertEquals(hash(expected.get(i)), ((Number) snapshot.get("hash")).longValue(), where);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> entities = (Map<String, Map<String, Object>>) snapshot.get("entities");
            assertEquals(expected.get(i).keySet().stream().map(String::valueOf).toList(),
                    entities.keySet().stream().sorted((a, b) -> Integer.parseInt(a) - Integer.parseInt(b)).toList(), where);
            for (Map.Entry<Integer, Entity> e : expected.get(i).entrySet()) {
                assertEntity(e.getValue(), entities.get(String.valueOf(e.getKey())), where + ", entity " + e.getKey());
            }
        }
        assertEquals(List.of("added 1 test.Ship", "added 3 test.Bullet", "added 7 test.Ship"), snapshots.get(0).get("calls"));
        assertEquals(sorted(List.of("removed 3", "changed 1 x,aim,alive,score", "changed 7 x,health,player_id,speed",
                "added 9 test.Bullet")), sorted(snapshots.get(1).get("calls")));
        // Against the older baseline: told as changes from the newest state, not from the baseline.
        assertEquals(sorted(List.of("added 3 test.Bullet", "changed 1 x,aim,alive,score", "removed 7", "removed 9")),
                sorted(snapshots.get(2).get("calls")));
        assertEquals(List.of(), snapshots.get(3).get("calls"));
        assertEquals(List.of(12L, 13L), longs(snapshots.get(3).get("held")), "states older than baseline 12 dropped");
        assertEquals(sorted(List.of("added 20 test.Bullet", "removed 1", "removed 3")),
                sorted(snapshots.get(6).get("calls")));

        // Halfway between ticks 10 and 11: x linear, the aim the short way across 0, bullet 3 gone, 9 there.
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> between = (Map<String, Map<String, Object>>) r.get("between");
        assertEquals(List.of("1", "7", "9"), between.keySet().stream().sorted().toList());
        assertEquals(1000.15625, ((Number) between.get("1").get("x")).doubleValue(), 1e-9);
        assertEquals(1023.5 * 2 * Math.PI / 1024, ((Number) between.get("1").get("aim")).doubleValue(), 1e-9);
        assertEquals(-10.0, ((Number) between.get("9").get("y")).doubleValue(), 1e-9);
    }

    @Test
    void shouldLoadAGameProtoWithReplicationOptionsAndDecodeTheSchemaFromWelcome() {
        ReplicationSchema schema = ReplicationSchema.newBuilder()
                .addTypes(EntityTypeSchema.newBuilder().setTypeId(3).setName("game.v1.Crate").setPriority(1)
                        .setPositionXField(0).setPositionYField(-1)
                        .addFields(FieldSchema.newBuilder().setName("pos_x").setNumber(1).setKind(FieldKind.QUANTIZED)
                                .setBits(6).setMin(-1).setMax(1).setPrecision(0.0625))
                        .addFields(FieldSchema.newBuilder().setName("open").setNumber(2).setKind(FieldKind.BOOL).setBits(1)))
                .build();
        // Crate 2 at pos_x q=24 (0.5), open; 32 steps of 1/16: 6 bits.
        Bits state = new Bits().gamma(0).gamma(1).gamma(1).value(3, 2).value(24, 6).bit(1).gamma(0);

        Object result = BrowserSdk.run(browser, """
                const [schemaBase64, stateBase64] = args;
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
                // As a game's page does: its own .proto imports tickwave_options.proto, which imports
                // google/protobuf/descriptor.proto; protobufjs fetches both relative to /proto/.
                const root = await protobuf.load(['/proto/tickwave.proto', '/proto/tickwave_options.proto']);
                protobuf.parse(`syntax = "proto3";
                  package game.v1;
                  import "tickwave_options.proto";
                  message Crate {
                    option (tickwave.v1.entity) = { type_id: 3 priority: 1 };
                    float pos_x = 1 [(tickwave.v1.field) = { min: -1 max: 1 precision: 0.0625 position: POSITION_X }];
                    bool open = 2;
                  }`, root);
                root.resolveAll();
                const crate = root.lookupType('game.v1.Crate');
                const bytes = (b) => Uint8Array.from(atob(b), (c) => c.charCodeAt(0));
                const message = root.lookupType('tickwave.v1.ReplicationSchema').decode(bytes(schemaBase64));
                const replica = new sdk.Replica(message, { camelCase: true });
                replica.applySnapshot({ tick: 5, baselineTick: 0, state: bytes(stateBase64) }, 0);
                done({
                  entityOption: JSON.stringify(crate.options),
                  fieldOption: JSON.stringify(crate.fields.posX.options),
                  typeBits: replica.schema.typeBits,
                  kinds: replica.schema.typesById.get(3).fields.map((f) => `${f.name}:${f.kind}:${f.bits}`),
                  crate: replica.entities.get(2),
                });
                """, Base64.getEncoder().encodeToString(schema.toByteArray()), state.base64());

        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) result;
        assertNull(r.get("error"), String.valueOf(r.get("error")));
        assertTrue(String.valueOf(r.get("entityOption")).contains("type_id"), r.toString());
        assertTrue(String.valueOf(r.get("fieldOption")).contains("POSITION_X"), r.toString());
        assertEquals(2L, ((Number) r.get("typeBits")).longValue(), r.toString());
        assertEquals(List.of("posX:QUANTIZED:6", "open:BOOL:1"), r.get("kinds"));
        @SuppressWarnings("unchecked")
        Map<String, Object> crate = (Map<String, Object>) r.get("crate");
        assertEquals(0.5, ((Number) crate.get("posX")).doubleValue(), 1e-12, r.toString());
        assertEquals(Boolean.TRUE, crate.get("open"));
        assertEquals("game.v1.Crate", crate.get("$type"));
    }

    private static List<String> sorted(Object calls) {
        @SuppressWarnings("unchecked")
        List<String> list = new ArrayList<>((List<String>) calls);
        list.sort(null);
        return list;
    }

    private static List<Long> longs(Object numbers) {
        List<Long> out = new ArrayList<>();
        for (Object n : (List<?>) numbers) {
            out.add(((Number) n).longValue());
        }
        return out;
    }

    private static void assertEntity(Entity expected, Map<String, Object> actual, String where) {
        assertNotNull(actual, where);
        int[] q = expected.q();
        if (expected.type() == BULLET) {
            assertEquals("test.Bullet", actual.get("$type"), where);
            assertEquals(-10 + q[0] * 0.25, ((Number) actual.get("y")).doubleValue(), 1e-9, where);
            return;
        }
        Map<String, Object> want = new LinkedHashMap<>();
        want.put("x", q[0] * 0.0625);
        want.put("aim", q[1] * 2 * Math.PI / 1024);
        want.put("health", (double) q[3]);
        want.put("score", (double) q[4]);
        want.put("player_id", (double) Integer.toUnsignedLong(q[5]));
        want.put("speed", (double) Float.intBitsToFloat(q[6]));
        assertEquals("test.Ship", actual.get("$type"), where);
        for (Map.Entry<String, Object> w : want.entrySet()) {
            assertEquals((double) w.getValue(), ((Number) actual.get(w.getKey())).doubleValue(), 1e-9, where + " " + w.getKey());
        }
        assertEquals(q[2] != 0, actual.get("alive"), where + " alive");
        assertFalse(actual.containsKey("player-id"), where);
        assertTrue(actual.size() == 8, where + ": seven fields and $type");
    }
}
