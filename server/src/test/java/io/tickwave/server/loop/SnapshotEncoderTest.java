package io.tickwave.server.loop;

import com.google.protobuf.ByteString;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.server.net.Outbox;
import io.tickwave.server.net.SharedState;
import io.tickwave.server.net.SharedStatePool;
import io.tickwave.server.net.SnapshotFrame;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SnapshotEncoderTest {

    /** The frame's own prefix followed by the shared state it carries: the message a client receives. */
    private static byte[] encode(long tick, long ack, byte[] state) {
        SnapshotFrame frame = new Outbox(8).frameToFill();
        byte[] padded = new byte[state.length + 7];
        System.arraycopy(state, 0, padded, 3, state.length);
        SharedState shared = new SharedStatePool(4, 1).take(padded, 3, state.length);
        int length = SnapshotEncoder.encodeFrame(frame, tick, ack, shared);
        byte[] message = new byte[length];
        frame.prefixBuffer().get(SnapshotFrame.PREFIX_START, message, 0, frame.prefixLength());
        if (frame.state() != null) {
            byte[] carried = frame.state().toByteArray();
            System.arraycopy(carried, 0, message, frame.prefixLength(), carried.length);
        }
        assertEquals(length, frame.messageLength());
        return message;
    }

    private static byte[] generated(long tick, long ack, byte[] state) {
        return ServerMessage.newBuilder().setSnapshot(Snapshot.newBuilder().setTick(tick).setAckInputSeq((int) ack)
                .setState(ByteString.copyFrom(state))).build().toByteArray();
    }

    @Test
    void shouldWriteTheSameBytesAsTheGeneratedClasses() {
        Random random = new Random(42);
        long[] ticks = {0, 1, 127, 128, 300, 1L << 35, Long.MAX_VALUE};
        long[] acks = {0, 1, 0x7FFF_FFFFL, 0xFFFF_FFFFL};
        int[] stateLengths = {0, 1, 127, 128, 20_000};
        for (long tick : ticks) {
            for (long ack : acks) {
                for (int stateLength : stateLengths) {
                    byte[] state = new byte[stateLength];
                    random.nextBytes(state);
                    assertArrayEquals(generated(tick, ack, state), encode(tick, ack, state),
                            "tick " + tick + " ack " + ack + " state " + stateLength);
                }
            }
        }
    }

    @Test
    void shouldKeepOnlyTheGameMessageWrittenAfterAnAbandonedOne() throws Exception {
        SnapshotEncoder encoder = new SnapshotEncoder();
        encoder.beginGameMessage().output().writeString(1, "partial, then abandoned");
        encoder.abandonGameMessage();
        encoder.beginGameMessage().output().writeUInt32(5, 77);
        int length = encoder.finishGameMessage();
        // Only the second message remains: key of field 5 as a varint, then 77.
        assertEquals(2, length);
        assertEquals(5 << 3, encoder.gameMessageBytes()[0]);
        assertEquals(77, encoder.gameMessageBytes()[1]);
    }
}
