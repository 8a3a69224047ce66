package io.tickwave.bots;

import java.nio.ByteBuffer;

/**
 * Writes one client-to-server WebSocket frame (RFC 6455 §5.2): FIN set, the opcode, the payload
 * length in its shortest form, the 4-byte masking key, and the payload XORed with it. Clients must
 * mask every frame; servers close connections that do not.
 *
 * <p>Stateless; any thread.
 */
final class MaskedFrame {

    private MaskedFrame() {
    }

    /** Bytes {@link #put} writes for a payload of {@code length}. */
    static int size(int length) {
        return (length < 126 ? 2 : length < 65536 ? 4 : 10) + 4 + length;
    }

    /** Writes the frame at {@code out}'s position; consumes {@code payload} (position to limit). */
    static void put(ByteBuffer out, int opcode, ByteBuffer payload, int maskKey) {
        int length = payload.remaining();
        out.put((byte) (0x80 | opcode));
        if (length < 126) {
            out.put((byte) (0x80 | length));
        } else if (length < 65536) {
            out.put((byte) (0x80 | 126));
            out.putShort((short) length);
        } else {
            out.put((byte) (0x80 | 127));
            out.putLong(length);
        }
        out.putInt(maskKey);
        int i = 0;
        // Whole words first: the key in the buffer's byte order applies to four payload bytes at once.
        for (; length - i >= 4; i += 4) {
            out.putInt(payload.getInt() ^ maskKey);
        }
        for (; i < length; i++) {
            out.put((byte) (payload.get() ^ (maskKey >>> (8 * (3 - (i & 3))))));
        }
    }
}
