package io.tickwave.server.net;

import io.tickwave.server.net.websocket.FrameHeaders;

import java.nio.ByteBuffer;

/**
 * One client's snapshot frame, in two parts so that the state is never copied per client: a small
 * direct buffer with this client's own bytes (room for the WebSocket header, then the envelope prefix
 * {@code ServerMessage.snapshot{tick, ack_input_seq, baseline_tick, state_hash, state tag and length}}) and a reference to the
 * {@link SharedState} that follows it. Passed between the loop (which fills it) and the connection's IO
 * thread (which sends it) through {@link Outbox}; only one side holds it at a time.
 */
public final class SnapshotFrame {

    /** Where the envelope prefix starts: room for the longest server frame header before it. */
    public static final int PREFIX_START = FrameHeaders.MAX_SERVER_HEADER_BYTES;
    /**
     * The longest envelope prefix: the envelope's tag and length, a 64-bit tick, a 32-bit ack, a 64-bit
     * baseline tick and a fixed32 state hash, each with its tag, then the state's tag and length.
     */
    public static final int MAX_PREFIX_BYTES = 1 + 5 + 1 + 10 + 1 + 5 + 1 + 10 + 1 + 4 + 1 + 5;

    private final ByteBuffer prefix = ByteBuffer.allocateDirect(PREFIX_START + MAX_PREFIX_BYTES);
    private int prefixLength;
    private SharedState state;
    private long tick;

    SnapshotFrame() {
    }

    /** The buffer the loop writes the envelope prefix into, at {@link #PREFIX_START}. */
    public ByteBuffer prefixBuffer() {
        return prefix;
    }

    /**
     * Completes the frame: the prefix is {@code prefixLength} bytes from {@link #PREFIX_START}, then
     * {@code sharedState} (or nothing, when null), whose reference this frame now holds. Loop thread.
     */
    public void set(long snapshotTick, int envelopePrefixLength, SharedState sharedState) {
        this.tick = snapshotTick;
        this.prefixLength = envelopePrefixLength;
        this.state = sharedState;
    }

    public long tick() {
        return tick;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The encoded {@code ServerMessage} length: the prefix and the shared state. */
    public int messageLength() {
        return prefixLength + (state == null ? 0 : state.length());
    }

    /** The shared state that follows the prefix, or null. */
    public SharedState state() {
        return state;
    }

    /** Gives back the shared state reference, when the frame was written or dropped. Its holder's thread. */
    void releaseState() {
        if (state != null) {
            state.release();
            state = null;
        }
    }
}
