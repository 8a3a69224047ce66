package io.tickwave.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickwave.replication.testproto.Clock;
import io.tickwave.replication.testproto.ReplicationTest;
import io.tickwave.replication.testproto.Ship;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FieldCodecTest {
    private final Schema schema = Schema.fromFile(ReplicationTest.getDescriptor());
    private final EntityType ship = schema.type(Ship.getDescriptor());
    private final EntityType clock = schema.type(Clock.getDescriptor());
    private final Field x = ship.field(Ship.X_FIELD_NUMBER);            // QUANTIZED, 15 bits
    private final Field aim = ship.field(Ship.AIM_FIELD_NUMBER);        // ANGLE, 10 bits
    private final Field alive = ship.field(Ship.ALIVE_FIELD_NUMBER);    // BOOL
    private final Field score = ship.field(Ship.SCORE_FIELD_NUMBER);    // SINT
    private final Field ticksLeft = clock.field(Clock.TICKS_LEFT_FIELD_NUMBER); // UINT
    private final Field speed = clock.field(Clock.SPEED_FIELD_NUMBER);  // FLOAT
    private final Field phase = clock.field(Clock.PHASE_FIELD_NUMBER);  // BOUNDED, 2 bits
    private final BitWriter out = new BitWriter();
    private final BitReader in = new BitReader();

    @Test
    void shouldSendAChangedBoolAsTheMaskBitAlone() {
        assertEquals(0, delta(alive, 0, 1));
        assertEquals(0, delta(alive, 1, 0));
        assertEquals(1, full(alive, 1));
    }

    @Test
    void shouldSendNarrowFieldsDeltaAsTheRawValue() {
        assertEquals(2, delta(phase, 0, 3));
        out.reset();
        FieldCodec.writeDelta(out, phase, 0, 2);
        assertEquals(2, out.toByteArray()[0], "the new value itself, no class");
    }

    @Test
    void shouldPickTheSmallestDeltaClassThatHoldsTheZigzag() {
        // B = 15: widths 4, 8, 12.
        assertEquals(2 + 4, delta(x, 100, 107));   // z = 14
        assertEquals(2 + 4, delta(x, 100, 92));    // z = 15
        assertEquals(2 + 8, delta(x, 100, 92 - 1)); // z = 17
        assertEquals(2 + 12, delta(x, 0, 2047));   // z = 4094
        assertEquals(2 + 15, delta(x, 0, 32000), "class 3: the new value in B bits");
        assertEquals(2 + 15, delta(x, 32000, 0));
        assertEquals(2 + 4, delta(x, 5, 5), "an unchanged value still round-trips");
    }

    @Test
    void shouldWrapAngleDeltasAcrossZero() {
        // B = 10: widths 3, 5, 8; 1020 -> 3 is +7, not -1017.
        assertEquals(2 + 5, delta(aim, 1020, 3));
        assertEquals(2 + 5, delta(aim, 3, 1020));
        assertEquals(2 + 3, delta(aim, 1023, 0));
        assertEquals(2 + 10, delta(aim, 0, 512), "half a turn wraps to -512, zigzag 1023: class 3");
        assertEquals(2 + 10, delta(aim, 512, 0));
        assertEquals(2 + 8, delta(aim, 0, 127), "zigzag 254: class 2");
        assertEquals(2 + 8, delta(aim, 0, 896), "-128 the short way round, zigzag 255: class 2");
    }

    @Test
    void shouldWrapIntegerDeltasAt32Bits() {
        assertEquals(3, delta(ticksLeft, -1, 0), "0xFFFFFFFF -> 0 is +1, gamma(2)");
        assertEquals(3, delta(ticksLeft, 0, -1), "0 -> 0xFFFFFFFF is -1, gamma(1)");
        assertEquals(3, delta(score, Integer.MAX_VALUE, Integer.MIN_VALUE));
        assertEquals(3, delta(score, Integer.MIN_VALUE, Integer.MAX_VALUE));
        assertEquals(65, delta(score, 0, Integer.MIN_VALUE), "zigzag 2^32-1");
        assertEquals(65, full(ticksLeft, -1));
        assertEquals(65, full(score, Integer.MIN_VALUE));
        assertEquals(1, full(score, 0));
        assertEquals(32, delta(speed, 0, Float.floatToRawIntBits(-0f)));
        assertEquals(32, full(speed, Float.floatToRawIntBits(Float.NaN)));
    }

    @Test
    void shouldRoundTripRandomValuesOfEveryKindWithExactSizes() {
        Random random = new Random(1);
        Field[] fields = {x, aim, alive, score, ticksLeft, speed, phase, ship.field(Ship.PLAYER_ID_FIELD_NUMBER)};
        for (int i = 0; i < 5000; i++) {
            Field field = fields[random.nextInt(fields.length)];
            int o = randomQ(random, field);
            int q = field.kind() == FieldKind.BOOL ? 1 - o : randomQ(random, field);
            if (random.nextInt(4) == 0 && field.maxQ() > 1) {
                q = Math.max(0, Math.min(field.maxQ(), o + random.nextInt(9) - 4)); // small steps too
            }
            assertEquals(q, fullRoundTrip(field, q), field + " full " + q);
            assertEquals(q, deltaRoundTrip(field, o, q), field + " delta " + o + " -> " + q);
        }
    }

    @Test
    void shouldRefuseAQuantizedValueAboveItsSteps() {
        out.reset();
        out.writeBits(32001, 15);
        in.reset(out.array(), 0, out.byteLength());
        assertThrows(MalformedStateException.class, () -> FieldCodec.readFull(in, x));

        out.reset();
        out.writeBits(3, 2); // class 3
        out.writeBits(32767, 15);
        in.reset(out.array(), 0, out.byteLength());
        assertThrows(MalformedStateException.class, () -> FieldCodec.readDelta(in, x, 0));

        out.reset();
        out.writeBits(0, 2); // class 0
        out.writeBits(1, 4); // zigzag 1: -1 from 0
        in.reset(out.array(), 0, out.byteLength());
        assertThrows(MalformedStateException.class, () -> FieldCodec.readDelta(in, x, 0));
    }

    private static int randomQ(Random random, Field field) {
        if (field.maxQ() >= 0) {
            return random.nextInt(field.maxQ() + 1);
        }
        return random.nextBoolean() ? random.nextInt() : random.nextInt(200) - 100;
    }

    /** Writes the delta after a 3-bit offset, checks deltaBits against what was written, returns the bits. */
    private int delta(Field field, int o, int q) {
        assertEquals(q, deltaRoundTrip(field, o, q), field + " delta " + o + " -> " + q);
        return out.bitLength() - 3;
    }

    private int full(Field field, int q) {
        assertEquals(q, fullRoundTrip(field, q), field + " full " + q);
        return out.bitLength() - 3;
    }

    private int deltaRoundTrip(Field field, int o, int q) {
        out.reset();
        out.writeBits(0b101, 3);
        FieldCodec.writeDelta(out, field, o, q);
        assertEquals(out.bitLength() - 3, FieldCodec.deltaBits(field, o, q), field + " deltaBits " + o + " -> " + q);
        in.reset(out.array(), 0, out.byteLength());
        in.readBits(3);
        int read = FieldCodec.readDelta(in, field, o);
        assertEquals(out.byteLength() * 8L - out.bitLength(), in.remainingBits(), "read exactly what was written");
        return read;
    }

    private int fullRoundTrip(Field field, int q) {
        out.reset();
        out.writeBits(0b101, 3);
        FieldCodec.writeFull(out, field, q);
        assertEquals(out.bitLength() - 3, FieldCodec.fullBits(field, q), field + " fullBits " + q);
        in.reset(out.array(), 0, out.byteLength());
        in.readBits(3);
        int read = FieldCodec.readFull(in, field);
        assertEquals(out.byteLength() * 8L - out.bitLength(), in.remainingBits(), "read exactly what was written");
        return read;
    }
}
