package io.tickwave.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickwave.replication.testproto.Clock;
import io.tickwave.replication.testproto.ReplicationTest;
import io.tickwave.replication.testproto.Ship;
import org.junit.jupiter.api.Test;

class FieldTest {
    private final Schema schema = Schema.fromFile(ReplicationTest.getDescriptor());
    private final EntityType ship = schema.type(Ship.getDescriptor());
    private final EntityType clock = schema.type(Clock.getDescriptor());

    @Test
    void shouldQuantizeToTheNearestStepAndClampToTheRange() {
        Field x = ship.field(Ship.X_FIELD_NUMBER); // 0..2000 by 0.0625
        assertEquals(1928, x.quantize(120.5));
        assertEquals(1928, x.quantize(120.52));
        assertEquals(120.5, x.dequantize(1928));
        assertEquals(0, x.quantize(-5));
        assertEquals(32000, x.quantize(2500));
        assertEquals(32000, x.quantize(Double.POSITIVE_INFINITY));
        assertEquals(0, x.quantize(Double.NaN), "NaN is min");
        assertEquals(1600, x.quantizeInt(100));
    }

    @Test
    void shouldWrapAnglesIntoOneTurn() {
        Field aim = ship.field(Ship.AIM_FIELD_NUMBER); // 10 bits
        assertEquals(0, aim.quantize(0));
        assertEquals(512, aim.quantize(Math.PI));
        assertEquals(0, aim.quantize(2 * Math.PI));
        assertEquals(1023, aim.quantize(-2 * Math.PI / 1024));
        assertEquals(256, aim.quantize(Math.PI / 2 + 4 * Math.PI));
        assertEquals(0, aim.quantize(Double.NaN));
        assertEquals(Math.PI, aim.dequantize(512), 1e-12);
        assertEquals(2 * Math.PI * 1023 / 1024, aim.dequantize(1023), 1e-12);
    }

    @Test
    void shouldClampBoundedAndKeepTheLow32BitsOfIntegers() {
        Field playerId = ship.field(Ship.PLAYER_ID_FIELD_NUMBER); // 16 bits
        assertEquals(65535, playerId.quantizeInt(70000));
        assertEquals(0, playerId.quantizeInt(-3));
        assertEquals(7, playerId.quantize(7.4));

        Field ticksLeft = clock.field(Clock.TICKS_LEFT_FIELD_NUMBER); // UINT
        assertEquals(-1, ticksLeft.quantizeInt(0xFFFF_FFFFL));
        assertEquals(4294967295.0, ticksLeft.dequantize(-1));

        Field score = ship.field(Ship.SCORE_FIELD_NUMBER); // SINT
        assertEquals(-7, score.quantizeInt(-7));
        assertEquals(-7.0, score.dequantize(-7));
        assertEquals(0, score.quantize(Double.NaN));
    }

    @Test
    void shouldQuantizeBoolsAndFloats() {
        Field alive = ship.field(Ship.ALIVE_FIELD_NUMBER);
        assertEquals(1, alive.quantizeBool(true));
        assertEquals(0, alive.quantizeBool(false));
        assertEquals(1, alive.quantizeInt(5));
        assertEquals(0, alive.quantize(Double.NaN));
        assertEquals(1.0, alive.dequantize(1));

        Field speed = clock.field(Clock.SPEED_FIELD_NUMBER);
        assertEquals(Float.floatToRawIntBits(1.25f), speed.quantize(1.25));
        assertEquals(1.25, speed.dequantize(speed.quantize(1.25)));
    }
}
