package io.tickwave.server.loop;

import io.tickwave.server.api.InputPayload;
import io.tickwave.server.net.ClientConnection;

/**
 * One preallocated slot of the event ring. Written by the publishing IO thread between claim and
 * publish, then read by the game-loop thread, which clears the references it holds once handled.
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
    /** Input payload bytes: {@link #payloadLength} bytes from 0. */
    public final byte[] payload;
    public int payloadLength;

    public RingEvent(int maxPayloadBytes) {
        this.payload = new byte[maxPayloadBytes];
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
