package io.tickwave.server.net.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes the headers of the frames a server sends (RFC 6455 section 5.2): always final, never masked.
 * Stateless; any thread.
 */
public final class FrameHeaders {

    public static final int OPCODE_CONTINUATION = 0x0;
    public static final int OPCODE_TEXT = 0x1;
    public static final int OPCODE_BINARY = 0x2;
    public static final int OPCODE_CLOSE = 0x8;
    public static final int OPCODE_PING = 0x9;
    public static final int OPCODE_PONG = 0xA;

    /** The longest header a server writes: two bytes and a 64-bit length. */
    public static final int MAX_SERVER_HEADER_BYTES = 10;
    /** A control frame's payload is at most this long (section 5.5). */
    public static final int MAX_CONTROL_PAYLOAD_BYTES = 125;
    /** "No status code was present": reported for a close frame without a body, never sent (section 7.4.1). */
    public static final int NO_STATUS_CODE = 1005;

    private FrameHeaders() {
    }

    /** The header length of a server frame with {@code payloadLength} bytes of payload. */
    public static int headerLength(int payloadLength) {
        if (payloadLength < 126) {
            return 2;
        }
        return payloadLength <= 0xFFFF ? 4 : 10;
    }

    /**
     * Writes a final, unmasked header at absolute index {@code at} of {@code target} (its position does
     * not move).
     *
     * @return the header length
     */
    public static int write(ByteBuffer target, int at, int opcode, int payloadLength) {
        target.put(at, (byte) (0x80 | opcode));
        if (payloadLength < 126) {
            target.put(at + 1, (byte) payloadLength);
            return 2;
        }
        if (payloadLength <= 0xFFFF) {
            target.put(at + 1, (byte) 126);
            target.putShort(at + 2, (short) payloadLength);
            return 4;
        }
        target.put(at + 1, (byte) 127);
        target.putLong(at + 2, payloadLength);
        return 10;
    }

    /**
     * A whole close frame: header, the code, and as much of {@code reason} as fits a control frame
     * (cut on a character boundary). Allocates; closes are rare.
     */
    public static byte[] closeFrame(int code, String reason) {
        byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        int maxReason = MAX_CONTROL_PAYLOAD_BYTES - 2;
        if (reasonBytes.length > maxReason) {
            int end = maxReason;
            while (end > 0 && (reasonBytes[end] & 0xC0) == 0x80) {
                end--; // do not cut a multi-byte character
            }
            reasonBytes = java.util.Arrays.copyOf(reasonBytes, end);
        }
        int payloadLength = 2 + reasonBytes.length;
        ByteBuffer frame = ByteBuffer.allocate(2 + payloadLength);
        write(frame, 0, OPCODE_CLOSE, payloadLength);
        frame.putShort(2, (short) code);
        frame.put(4, reasonBytes);
        return frame.array();
    }

    /** A whole pong frame echoing a ping's payload (at most 125 bytes). Allocates; pings are rare. */
    public static byte[] pongFrame(ByteBuffer pingPayload) {
        int length = pingPayload.remaining();
        byte[] frame = new byte[2 + length];
        frame[0] = (byte) (0x80 | OPCODE_PONG);
        frame[1] = (byte) length;
        pingPayload.get(pingPayload.position(), frame, 2, length);
        return frame;
    }
}
