package io.tickwave.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.MessageLite;
import io.tickwave.arena.protocol.ArenaInfo;
import io.tickwave.arena.protocol.ArenaInput;
import io.tickwave.arena.protocol.ArenaState;
import io.tickwave.arena.sim.ArenaRules;
import io.tickwave.replication.ReplicatedState;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.api.SnapshotBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The Game API adapter, driven the way the server drives it, on the test thread. */
class ArenaGameTest {

    private static final long TICK_NANOS = 1_000_000_000L / 30;

    private static final class FakeRoom implements RoomContext {
        long tick;

        @Override
        public int roomId() {
            return 1;
        }

        @Override
        public int tickRateHz() {
            return 30;
        }

        @Override
        public int snapshotRateHz() {
            return 20;
        }

        @Override
        public long tickIntervalNanos() {
            return TICK_NANOS;
        }

        @Override
        public int capacity() {
            return 32;
        }

        @Override
        public long currentTick() {
            return tick;
        }

        @Override
        public long seed() {
            return 5;
        }

        @Override
        public ReplicatedState replicate(Descriptors.FileDescriptor file) {
            throw new UnsupportedOperationException("the arena game writes its own snapshots");
        }

        @Override
        public void sendEvent(int playerId, MessageLite event) {
        }

        @Override
        public void broadcastEvent(MessageLite event) {
        }
    }

    /** A payload inside a bigger array, as the server's reused buffer would hold it. */
    private static InputPayload payload(byte[] message) {
        byte[] padded = new byte[message.length + 10];
        System.arraycopy(message, 0, padded, 3, message.length);
        return new InputPayload() {
            @Override
            public byte[] array() {
                return padded;
            }

            @Override
            public int offset() {
                return 3;
            }

            @Override
            public int length() {
                return message.length;
            }
        };
    }

    private static final class Buffer implements SnapshotBuffer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

        @Override
        public CodedOutputStream output() {
            return out;
        }

        byte[] toBytes() throws IOException {
            out.flush();
            return bytes.toByteArray();
        }
    }

    private static ArenaState snapshot(ArenaGame game, int viewer) throws IOException {
        Buffer buffer = new Buffer();
        game.writeSnapshot(viewer, 0, buffer);
        return ArenaState.parseFrom(buffer.toBytes());
    }

    @Test
    void shouldMoveShipWhenInputPayloadArrives() throws IOException {
        ArenaGame game = new ArenaGame();
        game.start(new FakeRoom());
        game.playerJoined(11, "ada");
        float startX = snapshot(game, 11).getShips(0).getX();

        game.input(11, 1, payload(ArenaInput.newBuilder().setMoveX(-1).setAim(2.5f).build().toByteArray()));
        game.tick(1);

        io.tickwave.arena.protocol.Ship ship = snapshot(game, 11).getShips(0);
        double step = ArenaRules.standard().shipSpeed() / ArenaRules.standard().inputRateHz();
        assertEquals(startX - step, ship.getX(), 1e-3);
        assertEquals(2.5f, ship.getAim());
    }

    @Test
    void shouldDropMalformedInputWithoutFailing() throws IOException {
        ArenaGame game = new ArenaGame();
        game.start(new FakeRoom());
        game.playerJoined(11, "ada");
        float startX = snapshot(game, 11).getShips(0).getX();

        game.input(11, 1, payload(new byte[] {(byte) 0x08, (byte) 0xff}));
        game.tick(1);

        assertEquals(startX, snapshot(game, 11).getShips(0).getX());
    }

    @Test
    void shouldSkipUnknownInputFieldsFromNewerClients() throws IOException {
        ArenaGame game = new ArenaGame();
        game.start(new FakeRoom());
        game.playerJoined(11, "ada");
        float startY = snapshot(game, 11).getShips(0).getY();
        byte[] known = ArenaInput.newBuilder().setMoveY(1).build().toByteArray();
        byte[] withExtra = new byte[known.length + 3];
        withExtra[0] = (byte) ((15 << 3) | 2);
        withExtra[1] = 1;
        withExtra[2] = 42;
        System.arraycopy(known, 0, withExtra, 3, known.length);

        game.input(11, 1, payload(withExtra));

        assertTrue(snapshot(game, 11).getShips(0).getY() > startY);
    }

    @Test
    void shouldWriteWelcomeInfoWithMapAndMovementNumbers() throws IOException {
        ArenaGame game = new ArenaGame();
        game.start(new FakeRoom());
        game.playerJoined(11, "ada");
        Buffer buffer = new Buffer();

        game.writeWelcomeInfo(11, buffer);

        ArenaInfo info = ArenaInfo.parseFrom(buffer.toBytes());
        ArenaRules rules = ArenaRules.standard();
        assertEquals((float) rules.shipSpeed(), info.getShipSpeed());
        assertEquals((float) rules.shipRadius(), info.getShipRadius());
        assertEquals(rules.inputRateHz(), info.getInputRateHz());
        assertEquals(2000f, info.getWidth());
        assertTrue(info.getObstaclesCount() > 5);
        assertTrue(info.getPickupSpotsCount() > 0);
    }

    @Test
    void shouldShowEveryoneTheSameWorld() throws IOException {
        ArenaGame game = new ArenaGame();
        game.start(new FakeRoom());
        game.playerJoined(11, "ada");
        game.playerJoined(12, "bob");

        assertEquals(game.viewKey(11), game.viewKey(12));
        assertEquals(snapshot(game, 11), snapshot(game, 12));
        assertEquals(2, snapshot(game, 12).getShipsCount());
        game.playerLeft(11);
        assertEquals(1, snapshot(game, 12).getShipsCount());
        assertNotNull(game.world().ship(12));
    }
}
