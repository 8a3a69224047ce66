package io.tickwave.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StateHashTest {

    @Test
    void shouldStartFromTheFnv1aOffsetBasis() {
        assertEquals(2166136261L, Integer.toUnsignedLong(StateHash.START));
    }

    @Test
    void shouldMatchFnv1aOverTheLittleEndianBytesOfEachWord() {
        // "abcd" as one little-endian word, against FNV-1a's published value for "abcd".
        byte[] abcd = "abcd".getBytes(StandardCharsets.US_ASCII);
        int word = abcd[0] | abcd[1] << 8 | abcd[2] << 16 | abcd[3] << 24;
        assertEquals(0xCE3479BD, StateHash.mix(StateHash.START, word));
        // Word by word equals byte by byte.
        int byBytes = StateHash.START;
        for (int w : new int[] {7, 1, -1, 0x12345678}) {
            for (int shift = 0; shift < 32; shift += 8) {
                byBytes = (byBytes ^ ((w >>> shift) & 0xFF)) * 16777619;
            }
        }
        int byWords = StateHash.START;
        for (int w : new int[] {7, 1, -1, 0x12345678}) {
            byWords = StateHash.mix(byWords, w);
        }
        assertEquals(byBytes, byWords);
    }
}
