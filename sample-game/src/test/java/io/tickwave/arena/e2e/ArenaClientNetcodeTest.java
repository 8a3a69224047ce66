package io.tickwave.arena.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.arena.sim.ArenaMap;
import io.tickwave.arena.sim.ArenaRules;
import io.tickwave.arena.sim.ArenaWorld;
import io.tickwave.arena.sim.Rect;
import io.tickwave.arena.sim.Ship;
import io.tickwave.arena.sim.ShipMovement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The client's netcode modules (js/movement.js, js/prediction.js, the SDK's interpolation buffer) run in real
 * Chromium on controlled inputs and a controlled clock, checked against the Java rules.
 */
class ArenaClientNetcodeTest extends ServedPageTest {

    ArenaClientNetcodeTest() {
        super("/");
    }

    /** Runs an async module script; it must call {@code done(result)}. */
    private Object runModule(String body, Object... args) {
        return browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const args = Array.from(arguments).slice(0, -1);
                (async () => {
                """ + body + """
                })().catch((e) => done({ error: String(e && e.stack || e) }));
                """, args);
    }

    private static Map<String, Object> arenaJson(ArenaRules rules, ArenaMap map) {
        List<Map<String, Object>> obstacles = new ArrayList<>();
        for (Rect r : map.obstacles()) {
            obstacles.add(Map.of("x", r.x(), "y", r.y(), "w", r.w(), "h", r.h()));
        }
        return Map.of("width", map.width(), "height", map.height(), "obstacles", obstacles,
                "shipSpeed", rules.shipSpeed(), "shipRadius", rules.shipRadius(), "inputRateHz", rules.inputRateHz());
    }

    @Test
    void shouldPredictMovementExactlyAsTheServerMovesShips() {
        ArenaRules rules = ArenaRules.standard();
        ArenaMap map = ArenaMap.standard();
        ArenaWorld world = new ArenaWorld(rules, map, 11);
        SplittableRandom random = new SplittableRandom(8);
        List<List<Integer>> moves = new ArrayList<>();
        List<Double> expected = new ArrayList<>();
        List<Double> starts = new ArrayList<>();
        for (int path = 0; path < 20; path++) {
            Ship ship = world.addPlayer(path + 1);
            starts.add(ship.x());
            starts.add(ship.y());
            for (int step = 0; step < 150; step++) {
                int mx = random.nextInt(3) - 1;
                int my = random.nextInt(3) - 1;
                moves.add(List.of(mx, my));
                ShipMovement.move(map, rules, ship, mx, my, rules.inputStepSeconds());
            }
            expected.add(ship.x());
            expected.add(ship.y());
        }

        Object result = runModule("""
                const { moveShip } = await import('/js/movement.js');
                const [arena, starts, moves] = args;
                const out = [];
                for (let path = 0; path < 20; path++) {
                  const ship = { x: starts[2 * path], y: starts[2 * path + 1] };
                  for (let step = 0; step < 150; step++) {
                    const [mx, my] = moves[path * 150 + step];
                    moveShip(arena, ship, mx, my, 1 / arena.inputRateHz);
                  }
                  out.push(ship.x, ship.y);
                }
                done(out);
                """, arenaJson(rules, map), starts, moves);

        @SuppressWarnings("unchecked")
        List<Number> actual = (List<Number>) result;
        assertEquals(expected.size(), actual.size(), String.valueOf(result));
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i).doubleValue(), 1e-9, "coordinate " + i);
        }
    }

    /**
     * Feeds the SDK's InterpolationBuffer (/sdk/interpolation.js, which the page draws everybody else
     * from) 30 Hz states of a ship flying at 240 units/s, quantized to 1/16 unit as arena.proto declares, arriving 40 ms late
     * plus 0..jitterMs of random jitter, with one snapshot lost; samples it at 60 fps on a simulated
     * clock and measures, after a warm-up, how far the ship moves per frame.
     */
    private Map<String, Object> interpolate(double jitterMs) {
        Object result = runModule("""
                const sdk = await import('/sdk/tickwave.js');
                const [jitterMs] = args;
                const schema = sdk.Schema.from({ types: [{ typeId: 1, name: 'test.Ship', fields: [
                  { name: 'x', kind: 'QUANTIZED', bits: 17, min: 0, max: 8000, precision: 0.0625 }] }] });
                const shipType = schema.typesById.get(1);
                const timeline = new sdk.InterpolationBuffer({ tickRate: 60, snapshotRate: 30 });
                let seed = 7;
                const jitter = () => { seed = (seed * 16807) % 2147483647; return (seed % 1000) / 1000 * jitterMs; };
                const arrivals = [];
                for (let tick = 2; tick <= 600; tick += 2) {
                  if (tick === 400) continue; // one snapshot lost
                  const serverMs = tick * 1000 / 60;
                  arrivals.push({ at: serverMs + 40 + jitter(), tick, x: 100 + serverMs * 0.24 });
                }
                // A WebSocket keeps order: a late snapshot holds up the ones behind it.
                for (let i = 1; i < arrivals.length; i++) {
                  arrivals[i].at = Math.max(arrivals[i].at, arrivals[i - 1].at);
                }
                let next = 0;
                let lastX = null;
                let maxStep = 0, minStep = Infinity, frames = 0, starved = 0;
                for (let now = 200; now < 9800; now += 1000 / 60) {
                  while (next < arrivals.length && arrivals[next].at <= now) {
                    const a = arrivals[next++];
                    const q = Int32Array.of(Math.round(a.x / 0.0625));
                    timeline.push(a.tick, new Map([[5, new sdk.EntityRecord(5, shipType, q)]]), a.at);
                  }
                  const sample = timeline.sample(now);
                  const ship = sample.entities.get(5);
                  if (ship && lastX !== null && now > 3000) {
                    if (sample.starved) starved++;
                    const step = ship.x - lastX;
                    maxStep = Math.max(maxStep, step);
                    minStep = Math.min(minStep, step);
                    frames++;
                  }
                  if (ship) lastX = ship.x;
                }
                done({ maxStep, minStep, frames, starved, delayMs: timeline.delayMs });
                """, jitterMs);
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) result;
        return stats;
    }

    @Test
    void shouldInterpolateOthersSmoothlyThroughJitterAndADroppedSnapshot() {
        Map<String, Object> stats = interpolate(30);

        double perFrame = 240.0 / 60;
        assertTrue(((Number) stats.get("frames")).intValue() > 300, stats.toString());
        assertEquals(0, ((Number) stats.get("starved")).intValue(), "never ran out of snapshots: " + stats);
        assertTrue(((Number) stats.get("maxStep")).doubleValue() < perFrame * 1.5, "no jump forward: " + stats);
        assertTrue(((Number) stats.get("minStep")).doubleValue() > perFrame * 0.5, "no stall or jump back: " + stats);
        double delay = ((Number) stats.get("delayMs")).doubleValue();
        assertTrue(delay >= 2000.0 / 30 && delay <= 2000.0 / 30 + 30, "two snapshot intervals plus the jitter: " + stats);
    }

    @Test
    void shouldWidenTheInterpolationDelayWhenSnapshotsArriveVeryUnevenly() {
        Map<String, Object> stats = interpolate(120);

        double perFrame = 240.0 / 60;
        assertEquals(0, ((Number) stats.get("starved")).intValue(), "adapted: never ran out of snapshots: " + stats);
        assertTrue(((Number) stats.get("maxStep")).doubleValue() < perFrame * 1.5, "no jump forward: " + stats);
        assertTrue(((Number) stats.get("minStep")).doubleValue() > perFrame * 0.5, "no stall or jump back: " + stats);
        assertTrue(((Number) stats.get("delayMs")).doubleValue() > 2000.0 / 30 + 40, "the delay grew: " + stats);
    }

    @Test
    void shouldReplayUnacknowledgedInputsAndFadeOutAMisprediction() {
        ArenaRules rules = ArenaRules.standard();
        Object result = runModule("""
                const { OwnShipPredictor } = await import('/js/prediction.js');
                const [arena] = args;
                const p = new OwnShipPredictor(arena);
                p.reconcile({ x: 500, y: 500, alive: true }, 0, 1);
                for (let seq = 1; seq <= 10; seq++) p.applyLocal(seq, 1, 0);
                const predictedBefore = p.current.x;
                // The server has applied inputs 1..6 exactly as we did: replaying 7..10 lands on the same spot.
                const step = arena.shipSpeed / arena.inputRateHz;
                p.reconcile({ x: 500 + 6 * step, y: 500, alive: true }, 6, 2);
                const agreed = { x: p.current.x, pending: p.pending.length, correction: p.lastCorrection };
                // Now the server disagrees by 12 units: the drawn position must not jump, then converge.
                const drawnBefore = p.renderPosition(1).x;
                p.reconcile({ x: 500 + 6 * step - 12, y: 500, alive: true }, 6, 3);
                const drawnRightAfter = p.renderPosition(1).x;
                for (let i = 0; i < 30; i++) p.decay(1000 / 60);
                const drawnLater = p.renderPosition(1).x;
                done({ predictedBefore, agreed, drawnBefore, drawnRightAfter, drawnLater, current: p.current.x });
                """, arenaJson(rules, new ArenaMap(2000, 1400, List.of(), List.of())));

        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) result;
        double step = rules.shipSpeed() / rules.inputRateHz();
        @SuppressWarnings("unchecked")
        Map<String, Object> agreed = (Map<String, Object>) r.get("agreed");
        assertEquals(500 + 10 * step, ((Number) r.get("predictedBefore")).doubleValue(), 1e-9, r.toString());
        assertEquals(500 + 10 * step, ((Number) agreed.get("x")).doubleValue(), 1e-9, "replayed 7..10: " + r);
        assertEquals(4, ((Number) agreed.get("pending")).intValue(), "inputs 7..10 still pending");
        assertEquals(0.0, ((Number) agreed.get("correction")).doubleValue(), 1e-9);
        assertEquals(((Number) r.get("drawnBefore")).doubleValue(), ((Number) r.get("drawnRightAfter")).doubleValue(),
                1e-9, "no visible jump at the correction");
        assertEquals(((Number) r.get("current")).doubleValue(), ((Number) r.get("drawnLater")).doubleValue(), 0.1,
                "converged to the corrected prediction within half a second");
    }
}
