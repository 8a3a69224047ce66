package io.tickwave.server.loop;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.server.net.Outbox;
import io.tickwave.server.net.SharedState;
import io.tickwave.server.net.SharedStatePool;
import io.tickwave.server.net.SnapshotFrame;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotEncoderTest {

    /** The frame's own prefix followed by the shared state it carries: the message a client receives. */
    private static byte[] encode(long tick, long ack, long baseline, Integer hash, byte[] state) {
        SnapshotFrame frame = new Outbox(8).frameToFill();
        byte[] padded = new byte[state.length + 7];
        System.arraycopy(state, 0, padded, 3, state.length);
        SharedState shared = new SharedStatePool(4, 1).take(padded, 3, state.length);
        int length = hash == null && baseline == 0
                ? SnapshotEncoder.encodeFrame(frame, tick, ack, shared)
                : SnapshotEncoder.encodeFrame(frame, tick, ack, baseline, hash != null, hash == null ? 0 : hash, shared);
        byte[] message = new byte[length];
        frame.prefixBuffer().get(SnapshotFrame.PREFIX_START, message, 0, frame.prefixLength());
        if (frame.state() != null) {
            byte[] carried = frame.state().toByteArray();
            System.arraycopy(carried, 0, message, frame.prefixLength(), carried.length);
        }
        assertEquals(length, frame.messageLength());
        assertTrue(frame.prefixLength() <= SnapshotFrame.MAX_PREFIX_BYTES, "prefix fits its buffer");
        return message;
    }

    private static Snapshot.Builder withoutState(long tick, long ack, long baseline, Integer hash) {
        Snapshot.Builder snapshot = Snapshot.newBuilder().setTick(tick).setAckInputSeq((int) ack).setBaselineTick(baseline);
        if (hash != null) {
            snapshot.setStateHash(hash);
        }
        return snapshot;
    }

    /**
     * What the generated classes write: the envelope around the snapshot's fields without the state,
     * then the state alone (the encoder puts the state last so that the shared bytes follow the prefix).
     */
    private static byte[] generated(long tick, long ack, long baseline, Integer hash, byte[] state) {
        byte[] head = withoutState(tick, ack, baseline, hash).build().toByteArray();
        byte[] tail = Snapshot.newBuilder().setState(ByteString.copyFrom(state)).build().toByteArray();
        ByteString body = ByteString.copyFrom(head).concat(ByteString.copyFrom(tail));
        ByteString.Output envelope = ByteString.newOutput();
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(envelope);
            out.writeBytes(ServerMessage.SNAPSHOT_FIELD_NUMBER, body);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return envelope.toByteString().toByteArray();
    }

    @Test
    void shouldWriteTheSameBytesAsTheGeneratedClasses() throws Exception {
        Random random = new Random(42);
        long[] ticks = {0, 1, 127, 128, 300, 1L << 35, Long.MAX_VALUE};
        long[] acks = {0, 1, 0x7FFF_FFFFL, 0xFFFF_FFFFL};
        long[] baselines = {0, 1, 299, Long.MAX_VALUE};
        Integer[] hashes = {null, 0, 1, 0x8000_0001, -1};
        int[] stateLengths = {0, 1, 127, 128, 20_000};
        for (long tick : ticks) {
            for (long ack : acks) {
                for (long baseline : baselines) {
                    for (Integer hash : hashes) {
                        for (int stateLength : stateLengths) {
                            byte[] state = new byte[stateLength];
                            random.nextBytes(state);
                            String what = "tick " + tick + " ack " + ack + " baseline " + baseline + " hash " + hash
                                    + " state " + stateLength;
                            byte[] encoded = encode(tick, ack, baseline, hash, state);
                            assertArrayEquals(generated(tick, ack, baseline, hash, state), encoded, what);
                            ServerMessage expected = ServerMessage.newBuilder().setSnapshot(
                                    withoutState(tick, ack, baseline, hash).setState(ByteString.copyFrom(state))).build();
                            assertEquals(expected, ServerMessage.parseFrom(encoded), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldWriteExactlyWhatTheGeneratedClassesWriteForAStateWithoutBaselineOrHash() {
        byte[] state = {1, 2, 3, (byte) 0xFF};
        byte[] generated = ServerMessage.newBuilder().setSnapshot(Snapshot.newBuilder().setTick(300).setAckInputSeq(7)
                .setState(ByteString.copyFrom(state))).build().toByteArray();
        assertArrayEquals(generated, encode(300, 7, 0, null, state));
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
