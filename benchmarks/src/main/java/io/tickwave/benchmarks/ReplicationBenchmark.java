package io.tickwave.benchmarks;

import io.tickwave.arena.protocol.Ship;
import io.tickwave.replication.Encoding;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.Field;
import io.tickwave.replication.ReplicatedState;
import io.tickwave.replication.Replicator;
import io.tickwave.replication.Schema;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The server side of replication (docs/replication.md), on the sample game's {@code Ship} type (two
 * 17-bit positions, a 10-bit aim, health, flags): what the game loop pays per snapshot.
 *
 * <ul>
 *   <li>{@link #encodeOneClient}: one viewer's {@code Snapshot.state} encoded against
 *       its previous snapshot, with {@code visible} ships in view of which half moved since. The
 *       viewers stand in clusters far apart, each seeing its own ships, so that no two get the same
 *       encoding: every encode is a real one. The world's moves and its commit
 *       ({@code beginSnapshot}) happen before each invocation, outside the time.</li>
 *   <li>{@link #gridUpdate1000}: the commit of 1,000 ships that all moved, with interest on
 *       (history ring, change marks, the interest grid rebuilt). The moves happen outside the time.</li>
 *   <li>{@link #sharedEncoding400}: 400 viewers who see every one of 400
 *       ships, half of which moved: the first viewer's encoding is made, the other 399 get it for the
 *       cost of the comparison.</li>
 * </ul>
 *
 * <p>With {@code -prof gc} each should show about 0 B/op: the replicator's arrays and pools reach
 * their sizes during warm-up and are then reused.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReplicationBenchmark {

    /** Ship positions move by this many units a snapshot: 260 units/s at 30 Hz, as in the sample game. */
    static final double STEP = 260.0 / 30;
    static final double WORLD = 8000;

    /** The sample game's ship, and the fields the benchmarks set. */
    static final class Ships {
        final Replicator replicator;
        final ReplicatedState state;
        final EntityType ship;
        final Field playerId;
        final Field x;
        final Field y;
        final Field aim;
        final Field health;
        final Field alive;
        int[] ids = new int[0];
        double[] xs = new double[0];
        double[] ys = new double[0];
        double[] headings = new double[0];
        final SplittableRandom random = new SplittableRandom(7);

        Ships() {
            Schema schema = Schema.fromTypes(Ship.getDescriptor());
            replicator = new Replicator(schema);
            state = replicator.state();
            ship = state.type(Ship.getDescriptor());
            playerId = ship.field(Ship.PLAYER_ID_FIELD_NUMBER);
            x = ship.field(Ship.X_FIELD_NUMBER);
            y = ship.field(Ship.Y_FIELD_NUMBER);
            aim = ship.field(Ship.AIM_FIELD_NUMBER);
            health = ship.field(Ship.HEALTH_FIELD_NUMBER);
            alive = ship.field(Ship.ALIVE_FIELD_NUMBER);
        }

        /** Adds {@code n} ships within {@code spread} of {@code (cx, cy)}. */
        void add(int n, double cx, double cy, double spread) {
            int from = ids.length;
            ids = java.util.Arrays.copyOf(ids, from + n);
            xs = java.util.Arrays.copyOf(xs, from + n);
            ys = java.util.Arrays.copyOf(ys, from + n);
            headings = java.util.Arrays.copyOf(headings, from + n);
            for (int i = from; i < from + n; i++) {
                int e = state.create(ship);
                ids[i] = e;
                double r = spread * Math.sqrt(random.nextDouble());
                double a = random.nextDouble() * 2 * Math.PI;
                xs[i] = cx + r * Math.cos(a);
                ys[i] = cy + r * Math.sin(a);
                headings[i] = random.nextDouble() * 2 * Math.PI;
                state.setInt(e, playerId, i + 1);
                state.setFloat(e, x, xs[i]);
                state.setFloat(e, y, ys[i]);
                state.setFloat(e, aim, headings[i]);
                state.setInt(e, health, 100);
                state.setBool(e, alive, true);
            }
        }

        /** Moves every {@code every}-th ship (from the first) one step along its heading; it turns back at the edges. */
        void move(int every) {
            for (int i = 0; i < ids.length; i += every) {
                double nx = xs[i] + STEP * Math.cos(headings[i]);
                double ny = ys[i] + STEP * Math.sin(headings[i]);
                if (nx < 0 || nx > WORLD || ny < 0 || ny > WORLD) {
                    headings[i] += Math.PI;
                    continue;
                }
                xs[i] = nx;
                ys[i] = ny;
                // Circles of about 43 units: the ship stays near where it started (and in its viewer's view).
                headings[i] += 0.2;
                state.setFloat(ids[i], x, nx);
                state.setFloat(ids[i], y, ny);
                state.setFloat(ids[i], aim, headings[i]);
            }
        }
    }

    /** Clusters of {@code visible} ships, one viewer in the middle of each, far apart. */
    @State(Scope.Thread)
    public static class EncodePerClient {
        static final int VIEWERS = 16;
        static final double RADIUS = 400;

        @Param({"50", "100"})
        public int visible;

        Ships world;
        long tick;
        long previousTick;

        @Setup(Level.Trial)
        public void setUp() {
            world = new Ships();
            world.state.setInterest(RADIUS, RADIUS);
            world.state.setByteBudget(64 * 1024); // every change sent: the figure is the encoding, not the budget
            for (int v = 0; v < VIEWERS; v++) {
                double cx = 500 + (v % 4) * 2000;
                double cy = 500 + (v / 4) * 2000;
                // Half the radius: the ships stay in view as they circle.
                world.add(visible, cx, cy, RADIUS / 2);
                world.replicator.addViewer(v + 1);
                world.state.setViewpoint(v + 1, cx, cy);
            }
            for (int i = 0; i < 40; i++) { // past the full first snapshots, to deltas against the previous one
                snapshot();
                for (int v = 0; v < VIEWERS; v++) {
                    world.replicator.encode(v + 1, previousTick, false);
                }
                world.replicator.endSnapshot();
            }
        }

        /** Half the ships move, and the world is committed: outside the measured time. */
        @Setup(Level.Invocation)
        public void snapshot() {
            world.move(2);
            previousTick = tick;
            tick++;
            world.replicator.beginSnapshot(tick);
        }

        int encodeOneClient() {
            int bytes = 0;
            for (int v = 0; v < VIEWERS; v++) {
                Encoding e = world.replicator.encode(v + 1, previousTick, false);
                bytes += e.length();
            }
            world.replicator.endSnapshot();
            return bytes;
        }
    }

    /** 1,000 ships spread over the world map, interest on with the world mode's radius. */
    @State(Scope.Thread)
    public static class GridUpdate {
        static final int SHIPS = 1_000;

        Ships world;
        long tick;

        @Setup(Level.Trial)
        public void setUp() {
            world = new Ships();
            world.state.setInterest(1200, 1200);
            world.add(SHIPS, WORLD / 2, WORLD / 2, WORLD / 2 - 100);
            for (int i = 0; i < 40; i++) {
                world.move(1);
                beginSnapshot();
            }
        }

        /** Every ship moves: outside the measured time. */
        @Setup(Level.Invocation)
        public void move() {
            world.move(1);
        }

        long beginSnapshot() {
            world.replicator.beginSnapshot(++tick);
            world.replicator.endSnapshot();
            return tick;
        }
    }

    /** 400 ships, 400 viewers, interest off: everyone sees everything. */
    @State(Scope.Thread)
    public static class SharedEncoding {
        static final int VIEWERS = 400;

        Ships world;
        long tick;
        long previousTick;

        @Setup(Level.Trial)
        public void setUp() {
            world = new Ships();
            world.state.setByteBudget(64 * 1024);
            world.add(VIEWERS, WORLD / 2, WORLD / 2, 1000);
            for (int v = 1; v <= VIEWERS; v++) {
                world.replicator.addViewer(v);
            }
            for (int i = 0; i < 40; i++) {
                snapshot();
                for (int v = 1; v <= VIEWERS; v++) {
                    world.replicator.encode(v, previousTick, false);
                }
                world.replicator.endSnapshot();
            }
        }

        /** Half the ships move, and the world is committed: outside the measured time. */
        @Setup(Level.Invocation)
        public void snapshot() {
            world.move(2);
            previousTick = tick;
            tick++;
            world.replicator.beginSnapshot(tick);
        }

        int encodeForViewerWhoSeesEverything() {
            int shared = 0;
            for (int v = 1; v <= VIEWERS; v++) {
                shared += world.replicator.encode(v, previousTick, false).shareIndex();
            }
            world.replicator.endSnapshot();
            return shared;
        }
    }

    @Benchmark
    @OperationsPerInvocation(EncodePerClient.VIEWERS)
    public int encodeOneClient(EncodePerClient s) {
        return s.encodeOneClient();
    }

    @Benchmark
    public long gridUpdate1000(GridUpdate s) {
        return s.beginSnapshot();
    }

    @Benchmark
    @OperationsPerInvocation(SharedEncoding.VIEWERS)
    public int sharedEncoding400(SharedEncoding s) {
        return s.encodeForViewerWhoSeesEverything();
    }
}
