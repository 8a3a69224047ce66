package io.tickwave.server.net;

import io.tickwave.server.net.websocket.FrameHeaders;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The frames of one connection that were handed to the socket and are not yet written, oldest first,
 * each as whole WebSocket frames: a head (the frame header, and for a snapshot the client's envelope
 * prefix, in a direct buffer) and an optional body (a message's bytes, or the shared state). Every
 * write gathers all of them into one {@code writev}; a partial write keeps the rest, so frames are never
 * interleaved or reordered.
 *
 * <p>Owned by the connection's IO thread.
 */
final class OutboundQueue {

    /** Writes buffers as far as the socket takes them now, as a gathering channel does. */
    interface Sink {
        long write(ByteBuffer[] buffers, int offset, int length) throws IOException;
    }

    /** Told about each frame that left the queue: written whole, or dropped because the socket failed. */
    interface Done {
        void frameDone(SnapshotFrame snapshotOrNull, boolean close, boolean written);
    }

    private final int capacity;
    private final int ioThread;
    /** Per slot: a small direct buffer for a message frame's header. */
    private final ByteBuffer[] headerSlots;
    private final ByteBuffer[] heads;
    private final ByteBuffer[] bodies;
    private final SnapshotFrame[] snapshots;
    /** A snapshot's progress through its shared state, which other clients on this thread also write. */
    private final int[] statePositions;
    private final boolean[] closes;
    private final ByteBuffer[] gather;
    private int first;
    private int size;

    /**
     * @param ioThread the index of the IO thread that owns this queue, to pick its view of shared states
     */
    OutboundQueue(int capacity, int ioThread) {
        this.capacity = capacity;
        this.ioThread = ioThread;
        this.headerSlots = new ByteBuffer[capacity];
        ByteBuffer headers = ByteBuffer.allocateDirect(capacity * FrameHeaders.MAX_SERVER_HEADER_BYTES);
        for (int i = 0; i < capacity; i++) {
            headerSlots[i] = headers.slice(i * FrameHeaders.MAX_SERVER_HEADER_BYTES, FrameHeaders.MAX_SERVER_HEADER_BYTES);
        }
        this.heads = new ByteBuffer[capacity];
        this.bodies = new ByteBuffer[capacity];
        this.snapshots = new SnapshotFrame[capacity];
        this.statePositions = new int[capacity];
        this.closes = new boolean[capacity];
        this.gather = new ByteBuffer[capacity * 2];
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == capacity;
    }

    /** Queues a binary frame carrying an encoded {@code ServerMessage}. Wraps it: one small allocation. */
    void addMessage(byte[] message) {
        int slot = claim();
        ByteBuffer header = headerSlots[slot].clear();
        int headerLength = FrameHeaders.write(header, 0, FrameHeaders.OPCODE_BINARY, message.length);
        heads[slot] = header.limit(headerLength);
        bodies[slot] = message.length == 0 ? null : ByteBuffer.wrap(message);
    }

    /** Queues a whole control frame, header included (a pong or a close). */
    void addControlFrame(byte[] frame, boolean close) {
        int slot = claim();
        heads[slot] = ByteBuffer.wrap(frame);
        closes[slot] = close;
    }

    /** Queues a snapshot: its own header and envelope prefix, then the shared state, allocating nothing. */
    void addSnapshot(SnapshotFrame frame) {
        int slot = claim();
        int messageLength = frame.messageLength();
        int headerLength = FrameHeaders.headerLength(messageLength);
        ByteBuffer prefix = frame.prefixBuffer();
        int start = SnapshotFrame.PREFIX_START - headerLength;
        FrameHeaders.write(prefix, start, FrameHeaders.OPCODE_BINARY, messageLength);
        prefix.limit(SnapshotFrame.PREFIX_START + frame.prefixLength()).position(start);
        heads[slot] = prefix;
        SharedState state = frame.state();
        bodies[slot] = state == null ? null : state.viewFor(ioThread);
        statePositions[slot] = 0;
        snapshots[slot] = frame;
    }

    private int claim() {
        if (size == capacity) {
            throw new IllegalStateException("outbound queue full: the callers' limits are broken");
        }
        int slot = (first + size++) % capacity;
        bodies[slot] = null;
        snapshots[slot] = null;
        closes[slot] = false;
        return slot;
    }

    /**
     * Writes as much as the sink takes in one gathering write, reporting each frame written whole.
     *
     * @return true when nothing is left unwritten
     */
    boolean writeTo(Sink sink, Done done) throws IOException {
        // Frames queued by callbacks during this call are left for the caller's next call.
        int included = size;
        if (included == 0) {
            return true;
        }
        int buffers = 0;
        for (int i = 0; i < included; i++) {
            int slot = (first + i) % capacity;
            gather[buffers++] = heads[slot];
            ByteBuffer body = bodies[slot];
            if (body != null) {
                if (snapshots[slot] != null) {
                    body.limit(snapshots[slot].state().length()).position(statePositions[slot]);
                }
                gather[buffers++] = body;
            }
        }
        try {
            sink.write(gather, 0, buffers);
        } finally {
            java.util.Arrays.fill(gather, 0, buffers, null);
        }
        for (int i = 0; i < included; i++) {
            int slot = first;
            ByteBuffer body = bodies[slot];
            if (body != null && snapshots[slot] != null) {
                statePositions[slot] = body.position();
            }
            if (heads[slot].hasRemaining() || body != null && body.hasRemaining()) {
                return false;
            }
            removeFirst(done, true);
        }
        return true;
    }

    /** Empties the queue after the socket failed or closed, reporting each frame as not written. */
    void failAll(Done done) {
        while (size > 0) {
            removeFirst(done, false);
        }
    }

    /** Takes the oldest frame off the queue and reports it; the report may queue more frames. */
    private void removeFirst(Done done, boolean written) {
        int slot = first;
        SnapshotFrame snapshot = snapshots[slot];
        boolean close = closes[slot];
        heads[slot] = null;
        bodies[slot] = null;
        snapshots[slot] = null;
        first = (first + 1) % capacity;
        size--;
        done.frameDone(snapshot, close, written);
    }
}
