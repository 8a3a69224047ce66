package io.tickwave.server.net.websocket;

import java.nio.ByteBuffer;

/**
 * Parses the WebSocket frames one peer sends (RFC 6455 section 5) out of bytes read from its socket:
 * checks every header, unmasks payloads in place, reassembles fragmented messages and hands complete
 * messages and control frames to a {@link Handler}.
 *
 * <p>The read buffer is direct and starts small; it grows (once, allocating) only when a single frame
 * does not fit, never beyond the message limit plus a header, so a client that sends small frames costs
 * a few kilobytes. An unfragmented message is handed over where it lies in the read buffer, without a
 * copy; fragments are copied into a reassembly buffer made on first need.
 *
 * <p>Every frame is offered to {@link Handler#onFrame()} first, so that a handler can count frames
 * (empty continuations and pings included, which hand nothing else over) and refuse a flood.
 *
 * <p>After a violation (reported once, with the close code to send) the parser stops handing over data:
 * it skips what the peer still sends, frame by frame where the framing can still be trusted, so that a
 * close frame the peer sends in answer is still seen, and the peer, whose bytes are read rather than
 * left in the kernel, sees our close frame rather than a reset.
 *
 * <p>Owned by the connection's IO thread.
 */
public final class FrameParser {

    /** The longest frame header: two bytes, a 64-bit length and a masking key. */
    public static final int MAX_HEADER_BYTES = 14;
    /** Close code: the peer broke the framing rules. */
    public static final int PROTOCOL_ERROR = 1002;
    /** Close code: a message over the size limit. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** Close code for a message in more fragments than allowed (a policy, not a framing, violation). */
    public static final int POLICY_VIOLATION = 1008;

    /** What the parser found. Buffers passed in are valid only during the call. */
    public interface Handler {
        /**
         * Every frame that passed the header checks, once, when all of it has arrived and before it is
         * unmasked or handed over: data frames, continuations and control frames alike (a rate limit
         * counts here). Not called once the parser discards. Returning false refuses the frame: the
         * parser then discards it and everything after it, as after a violation (a close frame is still
         * handed over); the handler closes the connection itself.
         */
        boolean onFrame();

        /** A complete binary message; {@code payload} spans it from position to limit. */
        void onBinaryMessage(ByteBuffer payload);

        /** A complete text message (not checked for valid UTF-8: the protocol refuses text anyway). */
        void onTextMessage(ByteBuffer payload);

        void onPing(ByteBuffer payload);

        void onPong(ByteBuffer payload);

        /** A close frame; {@code code} is {@link FrameHeaders#NO_STATUS_CODE} when it had no body. */
        void onClose(int code);

        /** The peer broke a rule; the caller closes with {@code closeCode}. Reported once. */
        void onViolation(int closeCode, String reason);
    }

    private final boolean requireMasked;
    private final int maxMessageBytes;
    private final int maxFragments;
    private ByteBuffer buffer;
    /** Reassembles a fragmented message; made on first need. */
    private ByteBuffer fragments;
    /** The opcode of the fragmented message being reassembled, or -1. */
    private int fragmentedOpcode = -1;
    private int fragmentCount;
    /** After a violation or a close frame: nothing more is handed over but a close frame. */
    private boolean discarding;
    /** After a violation that leaves the framing untrustworthy: every byte is dropped unread. */
    private boolean lost;
    private long skipBytes;

    /**
     * @param requireMasked   true on the server side: every client frame must be masked (section 5.1);
     *                        false to parse what a server sends
     * @param maxMessageBytes the most payload a message may have, all its fragments together
     * @param maxFragments    the most frames a fragmented message may have
     * @param initialBufferBytes the read buffer's starting capacity
     */
    public FrameParser(boolean requireMasked, int maxMessageBytes, int maxFragments, int initialBufferBytes) {
        this.requireMasked = requireMasked;
        this.maxMessageBytes = maxMessageBytes;
        this.maxFragments = maxFragments;
        this.buffer = ByteBuffer.allocateDirect(Math.min(initialBufferBytes, maxMessageBytes + MAX_HEADER_BYTES));
    }

    /** Where to read bytes into: from its position to its limit. The same buffer until {@link #parse} grows it. */
    public ByteBuffer readBuffer() {
        return buffer;
    }

    /** True once a violation or a close frame was seen: nothing but a close frame is handed over any more. */
    public boolean isDiscarding() {
        return discarding;
    }

    /** Hands over every complete frame in the read buffer and keeps the rest for the next read. */
    public void parse(Handler handler) {
        buffer.flip();
        int needed = 0;
        try {
            while (true) {
                needed = parseOne(handler);
                if (needed != 0) {
                    break;
                }
            }
        } finally {
            keepRemainder(needed);
        }
    }

    /** Parses one frame: 0 when one was consumed, else the bytes the next frame needs in the buffer. */
    private int parseOne(Handler handler) {
        if (lost) {
            buffer.position(buffer.limit());
            return 1;
        }
        if (skipBytes > 0) {
            int skipped = (int) Math.min(skipBytes, buffer.remaining());
            buffer.position(buffer.position() + skipped);
            skipBytes -= skipped;
            if (skipBytes > 0) {
                return 1;
            }
        }
        int start = buffer.position();
        int available = buffer.remaining();
        if (available < 2) {
            return 2;
        }
        int first = buffer.get(start) & 0xFF;
        int second = buffer.get(start + 1) & 0xFF;
        boolean fin = (first & 0x80) != 0;
        int reserved = first & 0x70;
        int opcode = first & 0x0F;
        boolean masked = (second & 0x80) != 0;
        int shortLength = second & 0x7F;
        int lengthBytes = shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0;
        int headerLength = 2 + lengthBytes + (masked ? 4 : 0);
        if (available < headerLength) {
            return headerLength;
        }
        long payloadLength = switch (lengthBytes) {
            case 0 -> shortLength;
            case 2 -> buffer.getShort(start + 2) & 0xFFFF;
            default -> buffer.getLong(start + 2);
        };
        if (payloadLength < 0) {
            violation(handler, PROTOCOL_ERROR, "frame length over 2^63");
            lost = true;
            return 1;
        }
        boolean control = opcode >= 8;
        if (discarding) {
            if (opcode != FrameHeaders.OPCODE_CLOSE || payloadLength > FrameHeaders.MAX_CONTROL_PAYLOAD_BYTES) {
                skip(start + headerLength, payloadLength);
                return 0;
            }
        } else {
            String problem = checkHeader(reserved, opcode, masked, fin, control, payloadLength);
            if (problem != null) {
                violation(handler, PROTOCOL_ERROR, problem);
                skip(start + headerLength, payloadLength);
                return 0;
            }
            if (!control) {
                long messageLength = payloadLength + (fragmentedOpcode >= 0 ? fragments.position() : 0);
                if (messageLength > maxMessageBytes) {
                    violation(handler, MESSAGE_TOO_BIG, "message over " + maxMessageBytes + " bytes");
                    skip(start + headerLength, payloadLength);
                    return 0;
                }
                // Checked again each time a partly arrived frame is looked at, so it counts nothing itself.
                if ((!fin || opcode == FrameHeaders.OPCODE_CONTINUATION) && fragmentCount >= maxFragments) {
                    violation(handler, POLICY_VIOLATION, "message in more than " + maxFragments + " fragments");
                    skip(start + headerLength, payloadLength);
                    return 0;
                }
            }
        }
        int frameLength = headerLength + (int) payloadLength;
        if (available < frameLength) {
            return frameLength;
        }
        int payloadStart = start + headerLength;
        int payloadEnd = start + frameLength;
        if (!discarding && !handler.onFrame()) {
            discarding = true;
            if (opcode != FrameHeaders.OPCODE_CLOSE) {
                buffer.position(payloadEnd);
                return 0;
            }
        }
        if (masked) {
            unmask(buffer, payloadStart, payloadEnd, buffer.getInt(start + headerLength - 4));
        }
        int limit = buffer.limit();
        buffer.limit(payloadEnd).position(payloadStart);
        try {
            dispatch(handler, opcode, fin);
        } finally {
            buffer.limit(limit).position(payloadEnd);
        }
        return 0;
    }

    /** Why a header breaks the rules, or null. */
    private String checkHeader(int reserved, int opcode, boolean masked, boolean fin, boolean control,
                               long payloadLength) {
        if (reserved != 0) {
            return "reserved bits set, but no extension was negotiated";
        }
        if (opcode > FrameHeaders.OPCODE_BINARY && opcode < FrameHeaders.OPCODE_CLOSE || opcode > FrameHeaders.OPCODE_PONG) {
            return "unknown opcode " + opcode;
        }
        if (masked != requireMasked) {
            return requireMasked ? "client frames must be masked" : "server frames must not be masked";
        }
        if (control && (!fin || payloadLength > FrameHeaders.MAX_CONTROL_PAYLOAD_BYTES)) {
            return "control frames must be final and at most 125 bytes";
        }
        if (opcode == FrameHeaders.OPCODE_CONTINUATION && fragmentedOpcode < 0) {
            return "continuation frame without a message to continue";
        }
        if ((opcode == FrameHeaders.OPCODE_TEXT || opcode == FrameHeaders.OPCODE_BINARY) && fragmentedOpcode >= 0) {
            return "new message before the fragmented one ended";
        }
        return null;
    }

    private void dispatch(Handler handler, int opcode, boolean fin) {
        switch (opcode) {
            case FrameHeaders.OPCODE_CLOSE -> onCloseFrame(handler);
            case FrameHeaders.OPCODE_PING -> handler.onPing(buffer);
            case FrameHeaders.OPCODE_PONG -> handler.onPong(buffer);
            default -> onDataFrame(handler, opcode, fin);
        }
    }

    private void onCloseFrame(Handler handler) {
        int length = buffer.remaining();
        if (length == 1 && !discarding) {
            violation(handler, PROTOCOL_ERROR, "close frame with a one-byte body");
            return;
        }
        discarding = true;
        handler.onClose(length >= 2 ? buffer.getShort(buffer.position()) & 0xFFFF : FrameHeaders.NO_STATUS_CODE);
    }

    private void onDataFrame(Handler handler, int opcode, boolean fin) {
        if (fin && opcode != FrameHeaders.OPCODE_CONTINUATION) {
            deliver(handler, opcode, buffer);
            return;
        }
        fragmentCount++;
        if (opcode != FrameHeaders.OPCODE_CONTINUATION) {
            fragmentedOpcode = opcode;
            if (fragments == null) {
                fragments = ByteBuffer.allocate(maxMessageBytes);
            }
            fragments.clear();
        }
        fragments.put(buffer); // moves the position to the limit; parseOne resets both
        if (fin) {
            int messageOpcode = fragmentedOpcode;
            fragmentedOpcode = -1;
            fragmentCount = 0;
            fragments.flip();
            deliver(handler, messageOpcode, fragments);
        }
    }

    private void deliver(Handler handler, int opcode, ByteBuffer payload) {
        fragmentCount = 0;
        if (opcode == FrameHeaders.OPCODE_TEXT) {
            handler.onTextMessage(payload);
        } else {
            handler.onBinaryMessage(payload);
        }
    }

    private void violation(Handler handler, int closeCode, String reason) {
        if (!discarding) {
            discarding = true;
            handler.onViolation(closeCode, reason);
        }
    }

    /** Skips a frame's payload, whether or not it has arrived yet. */
    private void skip(int payloadStart, long payloadLength) {
        long inBuffer = Math.min(payloadLength, buffer.limit() - payloadStart);
        buffer.position(payloadStart + (int) inBuffer);
        skipBytes = payloadLength - inBuffer;
    }

    /** Moves the unparsed bytes to the front, growing the buffer when the next frame needs more room. */
    private void keepRemainder(int needed) {
        if (needed > buffer.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(needed, Math.min(buffer.capacity() * 2,
                    maxMessageBytes + MAX_HEADER_BYTES)));
            bigger.put(buffer);
            buffer = bigger;
        } else {
            buffer.compact();
        }
    }

    /** XORs {@code [from, to)} with the masking key, in place (section 5.3). */
    static void unmask(ByteBuffer bytes, int from, int to, int key) {
        int index = from;
        long wideKey = (key & 0xFFFF_FFFFL) << 32 | (key & 0xFFFF_FFFFL);
        for (; index + 8 <= to; index += 8) {
            // The key repeats every four bytes; read in big-endian order, as the key is.
            bytes.putLong(index, bytes.getLong(index) ^ wideKey);
        }
        for (int shift = 24; index < to; index++, shift -= 8) {
            bytes.put(index, (byte) (bytes.get(index) ^ (key >>> shift)));
        }
    }
}
