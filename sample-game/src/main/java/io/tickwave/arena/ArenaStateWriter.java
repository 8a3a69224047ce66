package io.tickwave.arena;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.tickwave.arena.sim.ArenaWorld;
import io.tickwave.arena.sim.Bullet;
import io.tickwave.arena.sim.Kill;
import io.tickwave.arena.sim.PickupSpot;
import io.tickwave.arena.sim.Ship;
import java.io.IOException;
import java.util.List;

/**
 * Writes an {@link ArenaWorld} as an {@code arena.v1.ArenaState} message, field by field, straight to a
 * {@link CodedOutputStream}: no message objects, no allocation per snapshot.
 *
 * <p>A nested message on the wire is its tag, its byte length, then its fields, so each nested message
 * has a {@code size} method and a {@code write} method that must agree field for field: both skip
 * fields at their proto3 default value, as generated code does. {@code ArenaStateWriterTest} checks the
 * result parses back with {@code ArenaState.parseFrom}.
 *
 * <p>Stateless; safe from any thread that owns the world it writes.
 */
public final class ArenaStateWriter {

    private ArenaStateWriter() {
    }

    /** Writes the whole world as one ArenaState. */
    public static void write(ArenaWorld world, CodedOutputStream out) throws IOException {
        for (int i = 0; i < world.shipCount(); i++) {
            Ship s = world.shipAt(i);
            out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(shipSize(s));
            writeShip(s, out);
        }
        for (int i = 0; i < world.bulletCount(); i++) {
            Bullet b = world.bulletAt(i);
            out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(bulletSize(b));
            writeBullet(b, out);
        }
        List<PickupSpot> spots = world.map().pickupSpots();
        for (int i = 0; i < spots.size(); i++) {
            if (!world.pickupAvailable(i)) {
                continue;
            }
            PickupSpot p = spots.get(i);
            out.writeTag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(pickupSize(p));
            writePickup(p, out);
        }
        for (int i = 0; i < world.recentKillCount(); i++) {
            Kill k = world.recentKillAt(i);
            out.writeTag(4, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(killSize(k));
            writeKill(k, out);
        }
    }

    /** Respawn countdown in whole milliseconds, 0 for a living ship. */
    private static int respawnMs(Ship s) {
        return s.alive() ? 0 : (int) Math.ceil(Math.max(0, s.respawnTimer()) * 1000);
    }

    static int shipSize(Ship s) {
        return uint32Size(1, s.playerId())
                + floatSize(2, (float) s.x())
                + floatSize(3, (float) s.y())
                + floatSize(4, (float) s.aim())
                + uint32Size(5, s.health())
                + boolSize(6, s.alive())
                + int32Size(7, s.score())
                + uint32Size(8, s.deaths())
                + uint32Size(9, respawnMs(s))
                + boolSize(10, s.shielded())
                + boolSize(11, s.rapidFire());
    }

    static void writeShip(Ship s, CodedOutputStream out) throws IOException {
        writeUInt32(out, 1, s.playerId());
        writeFloat(out, 2, (float) s.x());
        writeFloat(out, 3, (float) s.y());
        writeFloat(out, 4, (float) s.aim());
        writeUInt32(out, 5, s.health());
        writeBool(out, 6, s.alive());
        writeInt32(out, 7, s.score());
        writeUInt32(out, 8, s.deaths());
        writeUInt32(out, 9, respawnMs(s));
        writeBool(out, 10, s.shielded());
        writeBool(out, 11, s.rapidFire());
    }

    static int bulletSize(Bullet b) {
        return uint32Size(1, b.id())
                + uint32Size(2, b.ownerId())
                + floatSize(3, (float) b.x())
                + floatSize(4, (float) b.y())
                + floatSize(5, (float) b.vx())
                + floatSize(6, (float) b.vy());
    }

    static void writeBullet(Bullet b, CodedOutputStream out) throws IOException {
        writeUInt32(out, 1, b.id());
        writeUInt32(out, 2, b.ownerId());
        writeFloat(out, 3, (float) b.x());
        writeFloat(out, 4, (float) b.y());
        writeFloat(out, 5, (float) b.vx());
        writeFloat(out, 6, (float) b.vy());
    }

    static int pickupSize(PickupSpot p) {
        return uint32Size(1, p.id())
                + uint32Size(2, p.kind())
                + floatSize(3, (float) p.x())
                + floatSize(4, (float) p.y());
    }

    static void writePickup(PickupSpot p, CodedOutputStream out) throws IOException {
        writeUInt32(out, 1, p.id());
        writeUInt32(out, 2, p.kind());
        writeFloat(out, 3, (float) p.x());
        writeFloat(out, 4, (float) p.y());
    }

    static int killSize(Kill k) {
        return uint32Size(1, k.id()) + uint32Size(2, k.killerId()) + uint32Size(3, k.victimId());
    }

    static void writeKill(Kill k, CodedOutputStream out) throws IOException {
        writeUInt32(out, 1, k.id());
        writeUInt32(out, 2, k.killerId());
        writeUInt32(out, 3, k.victimId());
    }

    // proto3 leaves fields at their default value off the wire; these helpers do the same in both passes.

    private static int uint32Size(int field, int v) {
        return v == 0 ? 0 : CodedOutputStream.computeUInt32Size(field, v);
    }

    private static int int32Size(int field, int v) {
        return v == 0 ? 0 : CodedOutputStream.computeInt32Size(field, v);
    }

    private static int floatSize(int field, float v) {
        return Float.floatToRawIntBits(v) == 0 ? 0 : CodedOutputStream.computeFloatSize(field, v);
    }

    private static int boolSize(int field, boolean v) {
        return v ? CodedOutputStream.computeBoolSize(field, true) : 0;
    }

    private static void writeUInt32(CodedOutputStream out, int field, int v) throws IOException {
        if (v != 0) {
            out.writeUInt32(field, v);
        }
    }

    private static void writeInt32(CodedOutputStream out, int field, int v) throws IOException {
        if (v != 0) {
            out.writeInt32(field, v);
        }
    }

    private static void writeFloat(CodedOutputStream out, int field, float v) throws IOException {
        if (Float.floatToRawIntBits(v) != 0) {
            out.writeFloat(field, v);
        }
    }

    private static void writeBool(CodedOutputStream out, int field, boolean v) throws IOException {
        if (v) {
            out.writeBool(field, true);
        }
    }
}
