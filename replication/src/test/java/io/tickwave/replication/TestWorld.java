package io.tickwave.replication;

import io.tickwave.replication.testproto.Clock;
import io.tickwave.replication.testproto.Pickup;
import io.tickwave.replication.testproto.Ship;
import java.util.Random;

/** The test schema (replication_test.proto) and ways to set its fields at random. */
final class TestWorld {
    static final Schema SCHEMA = Schema.fromTypes(Ship.getDescriptor(), Clock.getDescriptor(), Pickup.getDescriptor());
    static final EntityType SHIP = SCHEMA.type(Ship.getDescriptor());
    static final EntityType CLOCK = SCHEMA.type(Clock.getDescriptor());
    static final EntityType PICKUP = SCHEMA.type(Pickup.getDescriptor());
    static final Field SHIP_X = SHIP.field(Ship.X_FIELD_NUMBER);
    static final Field SHIP_Y = SHIP.field(Ship.Y_FIELD_NUMBER);
    static final Field SHIP_AIM = SHIP.field(Ship.AIM_FIELD_NUMBER);
    static final Field SHIP_ALIVE = SHIP.field(Ship.ALIVE_FIELD_NUMBER);
    static final Field SHIP_SCORE = SHIP.field(Ship.SCORE_FIELD_NUMBER);
    static final Field SHIP_PLAYER = SHIP.field(Ship.PLAYER_ID_FIELD_NUMBER);
    static final Field CLOCK_TICKS_LEFT = CLOCK.field(Clock.TICKS_LEFT_FIELD_NUMBER);
    static final Field CLOCK_SPEED = CLOCK.field(Clock.SPEED_FIELD_NUMBER);
    static final Field PICKUP_X = PICKUP.field(Pickup.X_FIELD_NUMBER);
    static final Field PICKUP_Y = PICKUP.field(Pickup.Y_FIELD_NUMBER);

    private TestWorld() {
    }

    /** Sets {@code field} of {@code entity} to a random value of its kind (sometimes out of range). */
    static void setRandom(ReplicatedState state, int entity, Field field, Random random) {
        switch (field.kind()) {
            case QUANTIZED: {
                double span = field.max() - field.min();
                double v = field.min() - span * 0.05 + random.nextDouble() * span * 1.1;
                if (random.nextInt(8) == 0) {
                    v = random.nextBoolean() ? field.max() : field.min();
                }
                state.setFloat(entity, field, v);
                break;
            }
            case ANGLE:
                state.setFloat(entity, field, (random.nextDouble() - 0.5) * 30);
                break;
            case FLOAT:
                state.setFloat(entity, field, random.nextInt(4) == 0 ? random.nextInt(3) : random.nextGaussian() * 1e3);
                break;
            case BOOL:
                state.setBool(entity, field, random.nextBoolean());
                break;
            case BOUNDED:
                state.setInt(entity, field, random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(1 << 17) - 8);
                break;
            case UINT:
            case SINT:
                state.setInt(entity, field, random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(200) - 100);
                break;
            default:
                throw new AssertionError(field.kind());
        }
    }

    /** Nudges a quantized field by a little (the common case of a moving entity). */
    static void nudge(ReplicatedState state, int entity, Field field, Random random, double[] shadow, int index) {
        double v = Math.max(field.min(), Math.min(field.max(), shadow[index] + (random.nextDouble() - 0.5) * 8));
        shadow[index] = v;
        state.setFloat(entity, field, v);
    }
}
