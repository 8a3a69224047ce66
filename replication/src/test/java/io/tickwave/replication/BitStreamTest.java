package io.tickwave.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BitStreamTest {
    private final BitWriter out = new BitWriter(16);
    private final BitReader in = new BitReader();

    @Test
    void shouldFillEachByteFromItsLowBitAndWriteValuesLowBitFirst() {
        out.writeBits(0b101, 3);
        out.writeBool(true);
        out.writeBits(0xAB, 8);

        assertEquals(12, out.bitLength());
        assertArrayEquals(new byte[] {(byte) 0xBD, 0x0A}, out.toByteArray(), "0xAB << 4 | 0b1101, last byte padded with zeros");
    }

    @Test
    void shouldWriteGammaAsZerosAOneAndTheLowBitsOfVPlusOne() {
        out.writeGamma(0);
        assertEquals(1, out.bitLength(), "gamma(0) is a single one bit");
        out.writeGamma(4); // v + 1 = 0b101: two zeros, a one, then 0b01
        assertEquals(6, out.bitLength());
        assertArrayEquals(new byte[] {0b0001_1001}, out.toByteArray(), "1, then 0 0 1, then 0b01 low bit first");
        assertEquals(1, BitWriter.gammaBits(0));
        assertEquals(5, BitWriter.gammaBits(4));
        assertEquals(65, BitWriter.gammaBits(0xFFFF_FFFFL));
    }

    @Test
    void shouldReadBackGammaOfZeroAndOfTwoToThe32MinusOne() {
        out.writeGamma(0);
        out.writeGamma(0xFFFF_FFFFL);
        out.writeGamma(0xFFFF_FFFEL);
        out.writeGamma(0);
        assertEquals(1 + 65 + 63 + 1, out.bitLength());

        in.reset(out.array(), 0, out.byteLength());
        assertEquals(0, in.readGamma());
        assertEquals(0xFFFF_FFFFL, in.readGamma());
        assertEquals(0xFFFF_FFFEL, in.readGamma());
        assertEquals(0, in.readGamma());
        assertEquals(6, in.remainingBits(), "padding");
    }

    @Test
    void shouldRefuseToWriteGammaOutside32Bits() {
        assertThrows(IllegalArgumentException.class, () -> out.writeGamma(-1));
        assertThrows(IllegalArgumentException.class, () -> out.writeGamma(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> out.writeBits(0, 33));
    }

    @Test
    void shouldRoundTripAMixOfWidthsAtEveryAlignment() {
        Random random = new Random(42);
        long[] values = new long[2000];
        int[] widths = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            widths[i] = random.nextInt(34) - 1; // -1: a gamma
            values[i] = widths[i] < 0 ? random.nextLong() >>> (32 + random.nextInt(32)) : random.nextLong();
            if (widths[i] < 0) {
                out.writeGamma(values[i]);
            } else {
                out.writeBits(values[i], widths[i]);
            }
        }
        in.reset(out.array(), 0, out.byteLength());
        for (int i = 0; i < values.length; i++) {
            if (widths[i] < 0) {
                assertEquals(values[i], in.readGamma(), "gamma #" + i);
            } else {
                long mask = widths[i] == 0 ? 0 : -1L >>> (64 - widths[i]);
                assertEquals(values[i] & mask, in.readBits(widths[i]) & 0xFFFF_FFFFL, "value #" + i);
            }
        }
        assertEquals(out.byteLength() * 8L - out.bitLength(), in.remainingBits());
    }

    @Test
    void shouldReadOnlyTheGivenRangeOfTheArray() {
        byte[] array = {(byte) 0xFF, 0b0000_0110, (byte) 0xFF};
        in.reset(array, 1, 1);
        assertEquals(0, in.readBits(1));
        assertEquals(3, in.readBits(2));
        assertEquals(0, in.readBits(5));
        assertEquals(0, in.remainingBits());
        assertThrows(MalformedStateException.class, () -> in.readBits(1), "the byte after the range is not read");
    }

    @Test
    void shouldThrowMalformedWhenReadingPastTheEnd() {
        in.reset(new byte[] {(byte) 0xFF}, 0, 1);
        in.readBits(5);
        assertThrows(MalformedStateException.class, () -> in.readBits(4));
        assertEquals(3, in.readBits(2));

        in.reset(new byte[] {0, 0}, 0, 2);
        assertThrows(MalformedStateException.class, in::readGamma, "zeros to the end");

        in.reset(new byte[] {0b0000_0100}, 0, 1); // two zeros, a one, then only 5 bits for the 2 it needs: fine
        assertEquals(3, in.readGamma());
        in.reset(new byte[] {(byte) 0b1000_0000}, 0, 1); // seven zeros, a one, then nothing
        assertThrows(MalformedStateException.class, in::readGamma);
    }

    @Test
    void shouldThrowMalformedOnAGammaLongerThan32Bits() {
        BitWriter raw = new BitWriter();
        raw.writeBits(0, 32); // 33 zeros, then a one
        raw.writeBits(0, 1);
        raw.writeBits(0, 32);
        raw.writeBits(0, 32);
        raw.writeBits(1, 1);
        raw.writeBits(0, 32);
        raw.writeBits(0, 2);
        in.reset(raw.array(), 0, raw.byteLength());
        assertThrows(MalformedStateException.class, in::readGamma);

        raw.reset();
        raw.writeBits(0, 32); // 32 zeros, a one, then 32 bits: v + 1 = 2^33 - 1, v above 2^32 - 1
        raw.writeBits(1, 1);
        raw.writeBits(0xFFFF_FFFFL, 32);
        in.reset(raw.array(), 0, raw.byteLength());
        assertThrows(MalformedStateException.class, in::readGamma);
    }

    @Test
    void shouldTakeBackEverythingWrittenAfterAMark() {
        BitWriter direct = new BitWriter();
        out.writeBits(0b101, 3);
        direct.writeBits(0b101, 3);
        int mark = out.mark();
        for (int i = 0; i < 20; i++) {
            out.writeBits(0xFFFF_FFFFL, 32); // grows past the initial 16 bytes, too
        }
        out.rewind(mark);
        assertEquals(3, out.bitLength());
        out.writeBits(0, 7);
        direct.writeBits(0, 7);
        out.writeGamma(9);
        direct.writeGamma(9);

        assertArrayEquals(direct.toByteArray(), out.toByteArray());
        assertEquals(0, out.array()[out.byteLength()], "bytes past the stream are zero again");
    }

    @Test
    void shouldStartEmptyAfterReset() {
        out.writeBits(0xFFFF_FFFFL, 32);
        out.reset();
        out.writeBits(1, 1);
        assertArrayEquals(new byte[] {1}, out.toByteArray());
    }

    @Test
    void shouldAppendAnotherStreamAtAnyAlignment() {
        BitWriter part = new BitWriter();
        BitWriter direct = new BitWriter();
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            long v = random.nextLong();
            int bits = random.nextInt(33);
            part.writeBits(v, bits);
            direct.writeBits(v, bits);
        }
        out.writeBits(0b11, 2);
        out.appendBits(part);
        BitWriter expected = new BitWriter();
        expected.writeBits(0b11, 2);
        in.reset(direct.array(), 0, direct.byteLength());
        while (in.remainingBits() > direct.byteLength() * 8L - direct.bitLength()) {
            expected.writeBits(in.readBits(1), 1);
        }
        assertEquals(expected.bitLength(), out.bitLength());
        assertArrayEquals(expected.toByteArray(), out.toByteArray());
    }
}
