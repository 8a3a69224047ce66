package io.tickwave.server.loop;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.server.api.SnapshotBuffer;
import io.tickwave.server.net.SharedState;
import io.tickwave.server.net.SnapshotFrame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Encodes snapshot frames without allocating in steady state: a game that does not replicate writes its
 * state through a reused {@link CodedOutputStream} into a reused array (a replicating game's state comes
 * from its {@code Replicator}); the loop then copies the state once into a pooled {@link SharedState},
 * and each viewer's envelope prefix ({@code ServerMessage.snapshot = Snapshot{tick, ack_input_seq,
 * baseline_tick, state_hash, state}}, up to the state's length) is written into the client's reusable
 * {@link SnapshotFrame}, which is sent followed by the shared bytes. Prefix and state together parse as
 * the message the generated classes build, and are byte for byte what they write for its fields
 * without the state followed by the state alone; a test checks both.
 *
 * <p>Owned by the game-loop thread.
 */
public final class SnapshotEncoder implements SnapshotBuffer {

    private static final int STREAM_BUFFER_BYTES = 4_096;
    private static final int ENVELOPE_FIELD = ServerMessage.SNAPSHOT_FIELD_NUMBER;
    private static final int ENVELOPE_TAG = tag(ENVELOPE_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int TICK_TAG = tag(Snapshot.TICK_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
    private static final int ACK_TAG = tag(Snapshot.ACK_INPUT_SEQ_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
    private static final int STATE_TAG = tag(Snapshot.STATE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int BASELINE_TAG = tag(Snapshot.BASELINE_TICK_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
    private static final int HASH_TAG = tag(Snapshot.STATE_HASH_FIELD_NUMBER, WireFormat.WIRETYPE_FIXED32);

    private final GrowableByteOutput gameBytes = new GrowableByteOutput(16_384);
    private final CodedOutputStream gameStream = CodedOutputStream.newInstance(gameBytes, STREAM_BUFFER_BYTES);

    /** Starts a game message: the game writes through {@link #output()} next. */
    public SnapshotBuffer beginGameMessage() {
        abandonGameMessage();
        return this;
    }

    @Override
    public CodedOutputStream output() {
        return gameStream;
    }

    /** Ends the game message begun last; its bytes are {@link #gameMessageBytes()} {@code [0, length)}. */
    public int finishGameMessage() {
        try {
            gameStream.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gameBytes.size();
    }

    /** Discards whatever a game wrote (used when a game throws mid-write). */
    public void abandonGameMessage() {
        try {
            gameStream.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gameBytes.reset();
    }

    public byte[] gameMessageBytes() {
        return gameBytes.array();
    }

    /** A complete state without a hash: the frame of a game that does not replicate. */
    public static int encodeFrame(SnapshotFrame frame, long tick, long ackInputSeq, SharedState state) {
        return encodeFrame(frame, tick, ackInputSeq, 0, false, 0, state);
    }

    /**
     * Writes one viewer's envelope prefix into {@code frame} and hands it a reference to the shared
     * {@code state} (or none, for an empty state): the frame's bytes followed by the state's are
     * {@code ServerMessage{snapshot{tick, ack_input_seq, baseline_tick, state_hash, state}}}. The state is
     * the last field on the wire (protobuf takes fields in any order), so that the shared bytes can follow
     * the per-viewer prefix; fields at their default are left out, as protobuf leaves them out.
     *
     * @param baselineTick the tick the state is a delta against, 0 for a complete state
     * @param hasStateHash whether {@code state_hash} is present (it is an {@code optional fixed32})
     * @return the encoded message length, prefix and state together
     */
    public static int encodeFrame(SnapshotFrame frame, long tick, long ackInputSeq, long baselineTick,
                                  boolean hasStateHash, int stateHash, SharedState state) {
        int stateLength = state == null ? 0 : state.length();
        int snapshotLength = 0;
        if (tick != 0) {
            snapshotLength += CodedOutputStream.computeUInt64Size(Snapshot.TICK_FIELD_NUMBER, tick);
        }
        if (ackInputSeq != 0) {
            snapshotLength += CodedOutputStream.computeUInt32Size(Snapshot.ACK_INPUT_SEQ_FIELD_NUMBER, (int) ackInputSeq);
        }
        if (baselineTick != 0) {
            snapshotLength += CodedOutputStream.computeUInt64Size(Snapshot.BASELINE_TICK_FIELD_NUMBER, baselineTick);
        }
        if (hasStateHash) {
            snapshotLength += CodedOutputStream.computeFixed32Size(Snapshot.STATE_HASH_FIELD_NUMBER, stateHash);
        }
        if (stateLength != 0) {
            snapshotLength += CodedOutputStream.computeTagSize(Snapshot.STATE_FIELD_NUMBER)
                    + CodedOutputStream.computeUInt32SizeNoTag(stateLength) + stateLength;
        }
        ByteBuffer target = frame.prefixBuffer().clear(); // the IO thread left its limit at the last frame's end
        int position = SnapshotFrame.PREFIX_START;
        position = writeVarint(target, position, ENVELOPE_TAG);
        position = writeVarint(target, position, snapshotLength);
        if (tick != 0) {
            position = writeVarint(target, position, TICK_TAG);
            position = writeVarint(target, position, tick);
        }
        if (ackInputSeq != 0) {
            position = writeVarint(target, position, ACK_TAG);
            position = writeVarint(target, position, ackInputSeq);
        }
        if (baselineTick != 0) {
            position = writeVarint(target, position, BASELINE_TAG);
            position = writeVarint(target, position, baselineTick);
        }
        if (hasStateHash) {
            position = writeVarint(target, position, HASH_TAG);
            for (int shift = 0; shift < Integer.SIZE; shift += Byte.SIZE) { // fixed32: little-endian
                target.put(position++, (byte) (stateHash >>> shift));
            }
        }
        SharedState carried = null;
        if (stateLength != 0) {
            position = writeVarint(target, position, STATE_TAG);
            position = writeVarint(target, position, stateLength);
            state.retain();
            carried = state;
        }
        int prefixLength = position - SnapshotFrame.PREFIX_START;
        frame.set(tick, prefixLength, carried);
        return prefixLength + stateLength;
    }

    /** A field key as the protobuf wire format defines it. */
    private static int tag(int fieldNumber, int wireType) {
        return fieldNumber << 3 | wireType;
    }

    /**
     * Base-128 varint, as CodedOutputStream writes it. Written here rather than through a
     * CodedOutputStream because creating one over an array allocates, and this runs per client per
     * snapshot; {@code SnapshotEncoderTest} checks the bytes against protobuf's own parser.
     */
    private static int writeVarint(ByteBuffer target, int position, long value) {
        while ((value & ~0x7FL) != 0) {
            target.put(position++, (byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        target.put(position++, (byte) value);
        return position;
    }
}
