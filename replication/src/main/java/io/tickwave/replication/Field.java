package io.tickwave.replication;

/**
 * One replicated field of an {@link EntityType}: its place in the type (the mask bit), its kind and how
 * a value becomes the quantized int {@code q} that is compared, hashed and sent (docs/replication.md).
 * Immutable; any thread.
 *
 * <p>Quantizing never throws. NaN becomes {@code min} for QUANTIZED and 0 for ANGLE, BOOL, BOUNDED,
 * UINT and SINT (an infinite angle too); FLOAT keeps NaN as the float NaN. A double given to an integer
 * kind is rounded to the nearest long first, so {@code quantize(v) == quantizeInt(Math.round(v))}.
 */
public final class Field {
    private static final double TWO_PI = 2 * Math.PI;

    private final int index;
    private final String name;
    private final int number;
    private final FieldKind kind;
    private final int bits;
    private final double min;
    private final double max;
    private final double precision;
    /** The largest q of a fixed-width kind (QUANTIZED: steps; ANGLE, BOUNDED: 2^B - 1; BOOL: 1). */
    private final int maxQ;

    Field(int index, String name, int number, FieldKind kind, int bits, double min, double max, double precision,
            int maxQ) {
        this.index = index;
        this.name = name;
        this.number = number;
        this.kind = kind;
        this.bits = bits;
        this.min = min;
        this.max = max;
        this.precision = precision;
        this.maxQ = maxQ;
    }

    /** The field's position in its type, in field-number order: bit {@code index} of an update mask. */
    public int index() {
        return index;
    }

    /** The proto field's name. */
    public String name() {
        return name;
    }

    /** The proto field number. */
    public int number() {
        return number;
    }

    public FieldKind kind() {
        return kind;
    }

    /** {@code B} for QUANTIZED, ANGLE and BOUNDED; 1 for BOOL; 32 for UINT, SINT and FLOAT. */
    public int bits() {
        return bits;
    }

    /** QUANTIZED only (0 otherwise): the value of {@code q = 0}. */
    public double min() {
        return min;
    }

    /** QUANTIZED only (0 otherwise): the declared maximum. */
    public double max() {
        return max;
    }

    /** QUANTIZED only (0 otherwise): the value step of one unit of {@code q}. */
    public double precision() {
        return precision;
    }

    /** The largest {@code q} a fixed-width kind takes (QUANTIZED, ANGLE, BOUNDED, BOOL); -1 for the others. */
    public int maxQ() {
        return maxQ;
    }

    /** The quantized value of {@code v}, as declared (see the class comment for NaN). */
    public int quantize(double v) {
        switch (kind) {
            case QUANTIZED: {
                if (Double.isNaN(v)) {
                    return 0;
                }
                long q = Math.round((v - min) / precision);
                return (int) Math.max(0, Math.min(q, maxQ));
            }
            case ANGLE: {
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    return 0;
                }
                long q = Math.round(v / TWO_PI * (1L << bits));
                return (int) (q & ((1L << bits) - 1)); // floorMod by a power of two
            }
            case BOOL:
                return v != 0 && !Double.isNaN(v) ? 1 : 0;
            case FLOAT:
                return Float.floatToRawIntBits((float) v);
            default:
                return quantizeInt(Math.round(v)); // NaN rounds to 0
        }
    }

    /**
     * The quantized value of an integer: BOUNDED clamps to {@code 0..2^B-1}, UINT and SINT keep its low 32
     * bits (an int32, UINT read unsigned), BOOL is {@code v != 0}; the real kinds quantize {@code (double) v}.
     */
    public int quantizeInt(long v) {
        switch (kind) {
            case BOUNDED:
                return (int) Math.max(0, Math.min(v, maxQ));
            case UINT:
            case SINT:
                return (int) v;
            case BOOL:
                return v != 0 ? 1 : 0;
            default:
                return quantize((double) v);
        }
    }

    /** The quantized value of a bool: 1 or 0 (for a non-BOOL field, as {@code quantizeInt(v ? 1 : 0)}). */
    public int quantizeBool(boolean v) {
        return kind == FieldKind.BOOL ? (v ? 1 : 0) : quantizeInt(v ? 1 : 0);
    }

    /**
     * The value a client sees for {@code q}: QUANTIZED {@code min + q * precision}, ANGLE radians in
     * {@code [0, 2π)}, BOOL 0 or 1, BOUNDED and SINT {@code q}, UINT {@code q} unsigned, FLOAT the float.
     */
    public double dequantize(int q) {
        switch (kind) {
            case QUANTIZED:
                return min + q * precision;
            case ANGLE:
                return q * TWO_PI / (1L << bits);
            case BOOL:
                return q != 0 ? 1 : 0;
            case UINT:
                return q & 0xFFFF_FFFFL;
            case FLOAT:
                return Float.intBitsToFloat(q);
            default:
                return q;
        }
    }

    @Override
    public String toString() {
        return name + "#" + number + ":" + kind + (kind.fixedWidth() ? "/" + bits : "");
    }
}
