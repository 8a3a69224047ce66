package io.tickwave.bots;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One bot's WebSocket client connection on a non-blocking {@link SocketChannel}: the RFC 6455
 * handshake, masked client frames out, server frames parsed in place, fragments reassembled,
 * ping → pong and close → close answered here.
 *
 * <p><b>Threading.</b> Created on, and from then on touched only by, the thread of its
 * {@link BotLane}, which owns the selector this channel is registered with and the scratch buffers
 * passed in. Nothing here is synchronized.
 *
 * <p><b>Writes.</b> Frames are encoded into the lane's direct output buffer and written with one
 * {@code write} per {@link #flush}; the lane flushes once per bot per timer tick, so the messages a
 * bot has due in one tick leave in one system call. What the socket does not take is kept in this
 * connection's own backlog and written when the selector says the socket is writable again.
 *
 * <p><b>Reads.</b> The lane reads into its scratch array and the frames in it are handed to the
 * {@link Listener} as offsets into that array: nothing is copied, except a frame cut by the end of
 * a read (kept for the next read) and the pieces of a fragmented message.
 */
final class BotConnection {

    /** What the connection tells its bot, on the lane thread. Arrays are valid only during the call. */
    interface Listener {
        /** The upgrade succeeded; the bot may send. */
        void onOpen(long nowNs);

        /** One whole binary (or text) message. */
        void onMessage(byte[] buf, int offset, int length, long nowNs);

        /** The server sent a close frame with this code (1005 when it had none). */
        void onServerClose(int code);

        /** The TCP connection is gone (after a close handshake or without one). Called once. */
        void onEnded();

        /** Something failed: kind is "connect", "handshake", "transport" or "protocol". */
        void onFailure(String kind, String message);

        /** Wire bytes read (frame headers included), for the bandwidth figures. */
        void onBytesRead(int count);
    }

    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;

    /** Larger messages are refused with close 1009; far above any snapshot a server sends. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** A backlog past this means the server stopped reading us for good. */
    static final int MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

    private enum State { CONNECTING, HANDSHAKE, OPEN, CLOSE_SENT, ENDED }

    private final BotLane lane;
    private final Listener listener;
    private final URI url;
    private final WebSocketHandshake handshake;
    private SocketChannel channel;
    private SelectionKey key;
    private State state = State.CONNECTING;
    private boolean serverCloseSeen;

    /** Bytes of a frame (or of the handshake answer) cut by the end of a read. */
    private byte[] carry = new byte[0];
    private int carryLength;
    /** The pieces of a fragmented message so far, and its opcode. */
    private byte[] fragments;
    private int fragmentsLength;
    private int fragmentsOpcode = -1;
    /** Bytes the socket did not take yet, in order. */
    private ByteBuffer backlog;

    BotConnection(BotLane lane, Listener listener, URI url) {
        this.lane = lane;
        this.listener = listener;
        this.url = url;
        this.handshake = new WebSocketHandshake(lane.random());
    }

    /**
     * Starts the non-blocking connect. {@code receiveBufferBytes} above 0 shrinks the socket's
     * receive buffer before connecting (the window is negotiated in the SYN), for the slow readers.
     */
    void connect(int receiveBufferBytes) {
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (receiveBufferBytes > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            int port = url.getPort() > 0 ? url.getPort() : 80;
            key = channel.register(lane.selector(), SelectionKey.OP_CONNECT, this);
            if (channel.connect(new InetSocketAddress(url.getHost(), port))) {
                onConnectable();
            }
        } catch (IOException | RuntimeException e) {
            listener.onFailure("connect", String.valueOf(e));
            end();
        }
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    boolean isEnded() {
        return state == State.ENDED;
    }

    /** Selector: the key this connection is attached to is ready. */
    void onReady(SelectionKey ready) {
        if (!ready.isValid()) {
            return;
        }
        if (ready.isConnectable()) {
            onConnectable();
            return;
        }
        if (ready.isWritable()) {
            writeBacklog();
        }
        if (ready.isValid() && ready.isReadable()) {
            onReadable();
        }
    }

    private void onConnectable() {
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            listener.onFailure("connect", String.valueOf(e));
            end();
            return;
        }
        state = State.HANDSHAKE;
        key.interestOps(SelectionKey.OP_READ);
        ByteBuffer out = lane.output();
        out.put(handshake.request(url));
        flush();
    }

    // ------------------------------------------------------------------ sending

    /**
     * Encodes a masked binary frame carrying {@code payload} into the lane's output buffer; it leaves
     * with the next {@link #flush}. The buffer is flushed first when it has no room.
     */
    void queueBinary(ByteBuffer payload) {
        queueFrame(OP_BINARY, payload);
    }

    private void queueFrame(int opcode, ByteBuffer payload) {
        ByteBuffer out = lane.output();
        int length = payload.remaining();
        if (out.remaining() < length + 14) {
            flush();
            if (out.remaining() < length + 14) { // larger than the whole buffer: straight to the backlog
                ByteBuffer big = ByteBuffer.allocate(length + 14);
                MaskedFrame.put(big, opcode, payload, lane.random().nextInt());
                big.flip();
                appendToBacklog(big);
                writeBacklog();
                return;
            }
        }
        MaskedFrame.put(out, opcode, payload, lane.random().nextInt());
    }

    /** Writes what is queued in the lane's output buffer (one write), keeping what the socket did not take. */
    void flush() {
        ByteBuffer out = lane.output();
        out.flip();
        try {
            if (!out.hasRemaining() || state == State.ENDED) {
                return;
            }
            if (backlog != null && backlog.position() > 0) {
                appendToBacklog(out); // keep the order: behind what is already waiting
                return;
            }
            channel.write(out);
            if (out.hasRemaining()) {
                appendToBacklog(out);
            }
        } catch (IOException e) {
            failTransport(e);
        } finally {
            out.clear();
        }
    }

    /** {@code bytes} from position to limit go to the end of the backlog (kept in write mode). */
    private void appendToBacklog(ByteBuffer bytes) {
        if (backlog == null) {
            backlog = ByteBuffer.allocate(Math.max(4096, bytes.remaining()));
        }
        if (backlog.remaining() < bytes.remaining()) {
            int needed = backlog.position() + bytes.remaining();
            if (needed > MAX_BACKLOG_BYTES) {
                listener.onFailure("transport", "the server has not read " + needed + " bytes we sent");
                end();
                return;
            }
            ByteBuffer grown = ByteBuffer.allocate(Math.max(needed, backlog.capacity() * 2));
            backlog.flip();
            grown.put(backlog);
            backlog = grown;
        }
        backlog.put(bytes);
        if (key.isValid()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    private void writeBacklog() {
        if (backlog == null || backlog.position() == 0 || state == State.ENDED) {
            return;
        }
        backlog.flip();
        try {
            channel.write(backlog);
        } catch (IOException e) {
            backlog.compact();
            failTransport(e);
            return;
        }
        backlog.compact();
        if (backlog.position() == 0 && key.isValid()) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        }
    }

    /** Sends close {@code code} and stops sending; the connection ends when the server answers or hangs up. */
    void close(int code) {
        if (state != State.OPEN) {
            if (state == State.CONNECTING || state == State.HANDSHAKE) {
                end();
            }
            return;
        }
        sendClose(code);
        state = State.CLOSE_SENT;
    }

    private void sendClose(int code) {
        ByteBuffer body = ByteBuffer.allocate(2).putShort((short) code).flip();
        queueFrame(OP_CLOSE, body);
        flush();
    }

    /** Closes the socket without a close handshake (the lane is going away). */
    void hangUp() {
        end();
    }

    /** Stops reading the socket (slow-consumer mode): the server's frames pile up in the kernel buffers. */
    void suspendReads() {
        if (key.isValid()) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    // ------------------------------------------------------------------ receiving

    private void onReadable() {
        ByteBuffer in = lane.input();
        int n;
        try {
            n = channel.read(in);
        } catch (IOException e) {
            failTransport(e);
            return;
        }
        if (n < 0) {
            end(); // the server hung up (with or without a close frame before)
            return;
        }
        if (n == 0) {
            return;
        }
        listener.onBytesRead(state == State.HANDSHAKE ? 0 : n);
        long nowNs = System.nanoTime();
        byte[] buf;
        int length;
        if (carryLength > 0) {
            ensureCarry(carryLength + n);
            System.arraycopy(in.array(), 0, carry, carryLength, n);
            carryLength += n;
            buf = carry;
            length = carryLength;
            carryLength = 0;
        } else {
            buf = in.array();
            length = n;
        }
        in.clear();
        int consumed = 0;
        if (state == State.HANDSHAKE) {
            int head = WebSocketHandshake.endOfHead(buf, length);
            if (head < 0) {
                keep(buf, 0, length);
                return;
            }
            String problem = handshake.problemWith(buf, head);
            if (problem != null) {
                listener.onFailure("handshake", problem);
                end();
                return;
            }
            state = State.OPEN;
            if (length > head) {
                listener.onBytesRead(length - head);
            }
            listener.onOpen(nowNs);
            consumed = head;
        }
        consumed = parseFrames(buf, consumed, length, nowNs);
        if (consumed < length && state != State.ENDED) {
            keep(buf, consumed, length);
        }
    }

    /** Hands every whole frame in {@code buf[from, to)} on; returns where the first incomplete one starts. */
    private int parseFrames(byte[] buf, int from, int to, long nowNs) {
        int at = from;
        while (to - at >= 2 && state != State.ENDED) {
            int b0 = buf[at] & 0xFF;
            int b1 = buf[at + 1] & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            if ((b0 & 0x70) != 0 || (b1 & 0x80) != 0) {
                protocolError("reserved bits or a masked server frame (b0=" + b0 + ", b1=" + b1 + ")");
                return to;
            }
            int len7 = b1 & 0x7F;
            int header = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
            if (to - at < header) {
                return at;
            }
            long payloadLength = len7 < 126 ? len7
                    : len7 == 126 ? ((buf[at + 2] & 0xFF) << 8) | (buf[at + 3] & 0xFF)
                    : readLong(buf, at + 2);
            if (payloadLength < 0 || payloadLength > MAX_MESSAGE_BYTES) {
                tooBig(payloadLength);
                return to;
            }
            if (to - at - header < payloadLength) {
                return at;
            }
            int payload = at + header;
            int length = (int) payloadLength;
            at = payload + length;
            onFrame(fin, opcode, buf, payload, length, nowNs);
        }
        return at;
    }

    private void onFrame(boolean fin, int opcode, byte[] buf, int payload, int length, long nowNs) {
        switch (opcode) {
            case OP_BINARY, OP_TEXT -> {
                if (fragmentsOpcode >= 0) {
                    protocolError("a new message began inside a fragmented one");
                } else if (fin) {
                    deliver(buf, payload, length, nowNs);
                } else {
                    fragmentsOpcode = opcode;
                    fragmentsLength = 0;
                    appendFragment(buf, payload, length);
                }
            }
            case OP_CONTINUATION -> {
                if (fragmentsOpcode < 0) {
                    protocolError("a continuation frame without a message to continue");
                    return;
                }
                appendFragment(buf, payload, length);
                if (fin && state != State.ENDED) {
                    fragmentsOpcode = -1;
                    deliver(fragments, 0, fragmentsLength, nowNs);
                }
            }
            case OP_PING -> {
                if (state == State.OPEN) {
                    queueFrame(OP_PONG, ByteBuffer.wrap(buf, payload, length));
                    flush();
                }
            }
            case OP_PONG -> {
                // Unsolicited pongs are allowed and mean nothing.
            }
            case OP_CLOSE -> onCloseFrame(buf, payload, length);
            default -> protocolError("unknown opcode " + opcode);
        }
    }

    private void deliver(byte[] buf, int offset, int length, long nowNs) {
        if (state == State.OPEN || state == State.CLOSE_SENT) {
            listener.onMessage(buf, offset, length, nowNs);
        }
    }

    private void onCloseFrame(byte[] buf, int payload, int length) {
        int code = length >= 2 ? ((buf[payload] & 0xFF) << 8) | (buf[payload + 1] & 0xFF) : 1005;
        if (!serverCloseSeen) {
            serverCloseSeen = true;
            listener.onServerClose(code);
        }
        if (state == State.OPEN) {
            // Answer with the same code (1000 when the server gave none), then hang up: RFC 6455 §5.5.1.
            sendClose(code == 1005 ? 1000 : code);
        }
        end();
    }

    private void appendFragment(byte[] buf, int offset, int length) {
        int needed = fragmentsLength + length;
        if (needed > MAX_MESSAGE_BYTES) {
            tooBig(needed);
            return;
        }
        if (fragments == null || fragments.length < needed) {
            byte[] grown = new byte[Math.max(needed, fragments == null ? 4096 : fragments.length * 2)];
            if (fragments != null) {
                System.arraycopy(fragments, 0, grown, 0, fragmentsLength);
            }
            fragments = grown;
        }
        System.arraycopy(buf, offset, fragments, fragmentsLength, length);
        fragmentsLength = needed;
    }

    private void keep(byte[] buf, int from, int to) {
        int n = to - from;
        if (buf == carry) {
            System.arraycopy(carry, from, carry, 0, n);
        } else {
            ensureCarry(n);
            System.arraycopy(buf, from, carry, 0, n);
        }
        carryLength = n;
    }

    private void ensureCarry(int size) {
        if (carry.length < size) {
            byte[] grown = new byte[Math.max(size, Math.max(4096, carry.length * 2))];
            System.arraycopy(carry, 0, grown, 0, carryLength);
            carry = grown;
        }
    }

    private static long readLong(byte[] buf, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[at + i] & 0xFF);
        }
        return v;
    }

    private void tooBig(long length) {
        listener.onFailure("protocol", "message of " + length + " bytes, over " + MAX_MESSAGE_BYTES);
        if (state == State.OPEN) {
            sendClose(1009);
        }
        end();
    }

    private void protocolError(String what) {
        listener.onFailure("protocol", what);
        if (state == State.OPEN) {
            sendClose(1002);
        }
        end();
    }

    private void failTransport(IOException e) {
        if (state != State.CLOSE_SENT && !serverCloseSeen) {
            listener.onFailure("transport", String.valueOf(e));
        }
        end();
    }

    /** Closes the socket and tells the bot, once. */
    private void end() {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        if (key != null) {
            key.cancel();
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // Closing a socket we are done with: nothing left to lose.
        }
        backlog = null;
        carry = new byte[0];
        fragments = null;
        listener.onEnded();
    }

}
