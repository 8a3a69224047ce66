package io.tickwave.server.loop;

import io.tickwave.server.api.InputPayload;
import io.tickwave.server.net.ClientConnection;

import java.nio.ByteBuffer;

/**
 * One preallocated slot of the event ring. Written by the publishing IO thread between claim and
 * publish, then read by the game-loop thread, which clears the references it holds once handled.
 *
 * <p>A slot holds input payloads of up to {@link #INLINE_PAYLOAD_BYTES} in the array it starts with;
 * the first bigger input (at most {@code --max-input-bytes}) to land in a slot grows that slot's array
 * once, to the maximum. So the ring costs {@code ring-size × 64} bytes of payload arrays when inputs are
 * small (4 MiB at the default 65,536 slots), never more than {@code ring-size × max-input-bytes}, and
 * nothing per event in steady state. The array is replaced only by the publishing IO thread between
 * claim and publish, so the loop sees it through the ring's sequence like every other field.
 */
public final class RingEvent implements InputPayload {

    public static final int JOIN = 1;
    public static final int INPUT = 2;
    public static final int CHAT = 3;
    public static final int LEAVE = 4;

    /** One of the constants above. */
    public int kind;
    public ClientConnection connection;
    /** Input seq. */
    public long value;
    /** Input: the newest snapshot tick the client reported having received, 0 if it did not say. */
    public long snapshotTick;
    /** Join name or chat text (immutable, decoded on the IO thread). */
    public String text;
    /** What an input payload may be at most before its slot grows. */
    public static final int INLINE_PAYLOAD_BYTES = 64;

    private final int maxPayloadBytes;
    /** Input payload bytes: {@link #payloadLength} bytes from 0. */
    private byte[] payload;
    public int payloadLength;

    public RingEvent(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.payload = new byte[Math.min(INLINE_PAYLOAD_BYTES, maxPayloadBytes)];
    }

    /**
     * Copies an input payload into this slot: {@code length} bytes at absolute index {@code offset} of
     * {@code source} (neither its position nor its limit moves). Publishing IO thread.
     *
     * @throws IllegalArgumentException when {@code length} exceeds the max input size (callers check first)
     */
    public void copyPayload(ByteBuffer source, int offset, int length) {
        if (length > payload.length) {
            if (length > maxPayloadBytes) {
                throw new IllegalArgumentException("payload of " + length + " bytes over " + maxPayloadBytes);
            }
            payload = new byte[maxPayloadBytes];
        }
        source.get(offset, payload, 0, length);
        payloadLength = length;
    }

    /** Drops references so that closed connections can be collected. Loop thread. */
    void clear() {
        connection = null;
        text = null;
        payloadLength = 0;
        snapshotTick = 0;
    }

    @Override
    public byte[] array() {
        return payload;
    }

    @Override
    public int offset() {
        return 0;
    }

    @Override
    public int length() {
        return payloadLength;
    }
}
