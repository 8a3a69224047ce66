package io.tickwave.arena;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.tickwave.arena.protocol.ArenaState;
import io.tickwave.arena.protocol.Bullet;
import io.tickwave.arena.protocol.Kill;
import io.tickwave.arena.protocol.Pickup;
import io.tickwave.arena.protocol.Ship;
import io.tickwave.arena.sim.ArenaWorld;
import io.tickwave.arena.sim.PickupSpot;
import java.io.IOException;
import java.util.List;

/**
 * Writes an {@link ArenaWorld} as an {@code arena.v1.ArenaState} message, field by field, straight to a
 * {@link CodedOutputStream}: no message objects, no allocation per snapshot. Field numbers come from
 * the generated classes, so {@code arena.proto} stays the one source of the format.
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
            io.tickwave.arena.sim.Ship s = world.shipAt(i);
            out.writeTag(ArenaState.SHIPS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(shipSize(s));
            writeShip(s, out);
        }
        for (int i = 0; i < world.bulletCount(); i++) {
            io.tickwave.arena.sim.Bullet b = world.bulletAt(i);
            out.writeTag(ArenaState.BULLETS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(bulletSize(b));
            writeBullet(b, out);
        }
        List<PickupSpot> spots = world.map().pickupSpots();
        for (int i = 0; i < spots.size(); i++) {
            if (!world.pickupAvailable(i)) {
                continue;
            }
            PickupSpot p = spots.get(i);
            out.writeTag(ArenaState.PICKUPS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(pickupSize(p));
            writePickup(p, out);
        }
        for (int i = 0; i < world.recentKillCount(); i++) {
            io.tickwave.arena.sim.Kill k = world.recentKillAt(i);
            out.writeTag(ArenaState.KILLS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(killSize(k));
            writeKill(k, out);
        }
    }

    /** Respawn countdown in whole milliseconds, 0 for a living ship. */
    private static int respawnMs(io.tickwave.arena.sim.Ship s) {
        return s.alive() ? 0 : (int) Math.ceil(Math.max(0, s.respawnTimer()) * 1000);
    }

    static int shipSize(io.tickwave.arena.sim.Ship s) {
        return uint32Size(Ship.PLAYER_ID_FIELD_NUMBER, s.playerId())
                + floatSize(Ship.X_FIELD_NUMBER, (float) s.x())
                + floatSize(Ship.Y_FIELD_NUMBER, (float) s.y())
                + floatSize(Ship.AIM_FIELD_NUMBER, (float) s.aim())
                + uint32Size(Ship.HEALTH_FIELD_NUMBER, s.health())
                + boolSize(Ship.ALIVE_FIELD_NUMBER, s.alive())
                + int32Size(Ship.SCORE_FIELD_NUMBER, s.score())
                + uint32Size(Ship.DEATHS_FIELD_NUMBER, s.deaths())
                + uint32Size(Ship.RESPAWN_MS_FIELD_NUMBER, respawnMs(s))
                + boolSize(Ship.SHIELDED_FIELD_NUMBER, s.shielded())
                + boolSize(Ship.RAPID_FIRE_FIELD_NUMBER, s.rapidFire());
    }

    static void writeShip(io.tickwave.arena.sim.Ship s, CodedOutputStream out) throws IOException {
        writeUInt32(out, Ship.PLAYER_ID_FIELD_NUMBER, s.playerId());
        writeFloat(out, Ship.X_FIELD_NUMBER, (float) s.x());
        writeFloat(out, Ship.Y_FIELD_NUMBER, (float) s.y());
        writeFloat(out, Ship.AIM_FIELD_NUMBER, (float) s.aim());
        writeUInt32(out, Ship.HEALTH_FIELD_NUMBER, s.health());
        writeBool(out, Ship.ALIVE_FIELD_NUMBER, s.alive());
        writeInt32(out, Ship.SCORE_FIELD_NUMBER, s.score());
        writeUInt32(out, Ship.DEATHS_FIELD_NUMBER, s.deaths());
        writeUInt32(out, Ship.RESPAWN_MS_FIELD_NUMBER, respawnMs(s));
        writeBool(out, Ship.SHIELDED_FIELD_NUMBER, s.shielded());
        writeBool(out, Ship.RAPID_FIRE_FIELD_NUMBER, s.rapidFire());
    }

    static int bulletSize(io.tickwave.arena.sim.Bullet b) {
        return uint32Size(Bullet.ID_FIELD_NUMBER, b.id())
                + uint32Size(Bullet.OWNER_ID_FIELD_NUMBER, b.ownerId())
                + floatSize(Bullet.X_FIELD_NUMBER, (float) b.x())
                + floatSize(Bullet.Y_FIELD_NUMBER, (float) b.y())
                + floatSize(Bullet.VX_FIELD_NUMBER, (float) b.vx())
                + floatSize(Bullet.VY_FIELD_NUMBER, (float) b.vy());
    }

    static void writeBullet(io.tickwave.arena.sim.Bullet b, CodedOutputStream out) throws IOException {
        writeUInt32(out, Bullet.ID_FIELD_NUMBER, b.id());
        writeUInt32(out, Bullet.OWNER_ID_FIELD_NUMBER, b.ownerId());
        writeFloat(out, Bullet.X_FIELD_NUMBER, (float) b.x());
        writeFloat(out, Bullet.Y_FIELD_NUMBER, (float) b.y());
        writeFloat(out, Bullet.VX_FIELD_NUMBER, (float) b.vx());
        writeFloat(out, Bullet.VY_FIELD_NUMBER, (float) b.vy());
    }

    static int pickupSize(PickupSpot p) {
        return uint32Size(Pickup.ID_FIELD_NUMBER, p.id())
                + uint32Size(Pickup.KIND_FIELD_NUMBER, p.kind())
                + floatSize(Pickup.X_FIELD_NUMBER, (float) p.x())
                + floatSize(Pickup.Y_FIELD_NUMBER, (float) p.y());
    }

    static void writePickup(PickupSpot p, CodedOutputStream out) throws IOException {
        writeUInt32(out, Pickup.ID_FIELD_NUMBER, p.id());
        writeUInt32(out, Pickup.KIND_FIELD_NUMBER, p.kind());
        writeFloat(out, Pickup.X_FIELD_NUMBER, (float) p.x());
        writeFloat(out, Pickup.Y_FIELD_NUMBER, (float) p.y());
    }

    static int killSize(io.tickwave.arena.sim.Kill k) {
        return uint32Size(Kill.ID_FIELD_NUMBER, k.id()) + uint32Size(Kill.KILLER_ID_FIELD_NUMBER, k.killerId()) + uint32Size(Kill.VICTIM_ID_FIELD_NUMBER, k.victimId());
    }

    static void writeKill(io.tickwave.arena.sim.Kill k, CodedOutputStream out) throws IOException {
        writeUInt32(out, Kill.ID_FIELD_NUMBER, k.id());
        writeUInt32(out, Kill.KILLER_ID_FIELD_NUMBER, k.killerId());
        writeUInt32(out, Kill.VICTIM_ID_FIELD_NUMBER, k.victimId());
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
