package io.tickwave.replication;

/**
 * A field's {@code full} and {@code delta} codes (docs/replication.md, "The wire format"), and their exact
 * sizes in bits so an encoder can keep to a byte budget before writing. Stateless; any thread.
 *
 * <p>Readers check what they can: a fixed-width {@code q} above the field's largest value (a QUANTIZED
 * field's steps) is a {@link MalformedStateException}.
 */
public final class FieldCodec {
    /** Fixed-width fields up to this many bits send a delta as the new value itself. */
    public static final int RAW_DELTA_MAX_BITS = 6;

    private FieldCodec() {
    }

    public static void writeFull(BitWriter out, Field field, int q) {
        switch (field.kind()) {
            case UINT:
                out.writeGamma(q & 0xFFFF_FFFFL);
                break;
            case SINT:
                out.writeGamma(zigzag(q));
                break;
            default: // QUANTIZED, ANGLE, BOUNDED: B bits; BOOL: 1; FLOAT: 32
                out.writeBits(q, field.bits());
                break;
        }
    }

    public static int readFull(BitReader in, Field field) {
        switch (field.kind()) {
            case UINT:
                return (int) in.readGamma();
            case SINT:
                return unzigzag((int) in.readGamma());
            case FLOAT:
                return in.readBits(32);
            default:
                return checkRange(field, in.readBits(field.bits()));
        }
    }

    public static int fullBits(Field field, int q) {
        switch (field.kind()) {
            case UINT:
                return BitWriter.gammaBits(q & 0xFFFF_FFFFL);
            case SINT:
                return BitWriter.gammaBits(zigzag(q));
            default:
                return field.bits();
        }
    }

    /** Writes the change from {@code oldQ} to {@code newQ}; for a BOOL nothing (the mask bit is the flip). */
    public static void writeDelta(BitWriter out, Field field, int oldQ, int newQ) {
        switch (field.kind()) {
            case BOOL:
                return;
            case UINT:
            case SINT:
                out.writeGamma(zigzag(newQ - oldQ));
                return;
            case FLOAT:
                out.writeBits(newQ, 32);
                return;
            default: {
                int b = field.bits();
                if (b <= RAW_DELTA_MAX_BITS) {
                    out.writeBits(newQ, b);
                    return;
                }
                long z = zigzag(fixedDelta(field, oldQ, newQ));
                int c = deltaClass(b, z);
                out.writeBits(c, 2);
                if (c == 3) {
                    out.writeBits(newQ, b);
                } else {
                    out.writeBits(z, classWidth(b, c));
                }
            }
        }
    }

    /** Reads the change from {@code oldQ}: the new {@code q}. */
    public static int readDelta(BitReader in, Field field, int oldQ) {
        switch (field.kind()) {
            case BOOL:
                return oldQ == 0 ? 1 : 0;
            case UINT:
            case SINT:
                return oldQ + unzigzag((int) in.readGamma());
            case FLOAT:
                return in.readBits(32);
            default: {
                int b = field.bits();
                if (b <= RAW_DELTA_MAX_BITS) {
                    return checkRange(field, in.readBits(b));
                }
                int c = in.readBits(2);
                if (c == 3) {
                    return checkRange(field, in.readBits(b));
                }
                int q = oldQ + unzigzag(in.readBits(classWidth(b, c)));
                if (field.kind() == FieldKind.ANGLE) {
                    q &= (1 << b) - 1;
                }
                return checkRange(field, q);
            }
        }
    }

    public static int deltaBits(Field field, int oldQ, int newQ) {
        switch (field.kind()) {
            case BOOL:
                return 0;
            case UINT:
            case SINT:
                return BitWriter.gammaBits(zigzag(newQ - oldQ));
            case FLOAT:
                return 32;
            default: {
                int b = field.bits();
                if (b <= RAW_DELTA_MAX_BITS) {
                    return b;
                }
                int c = deltaClass(b, zigzag(fixedDelta(field, oldQ, newQ)));
                return 2 + (c == 3 ? b : classWidth(b, c));
            }
        }
    }

    /** {@code (d << 1) ^ (d >> 31)} as unsigned 32 bits. */
    public static long zigzag(int d) {
        return ((d << 1) ^ (d >> 31)) & 0xFFFF_FFFFL;
    }

    /** The inverse of {@link #zigzag(int)} for the low 32 bits of {@code z}. */
    public static int unzigzag(int z) {
        return (z >>> 1) ^ -(z & 1);
    }

    /** The width of delta class {@code c} (0..2) for a {@code b}-bit field: ceil(b/4), ceil(b/2), ceil(3b/4). */
    static int classWidth(int b, int c) {
        return ((c + 1) * b + 3) >> 2;
    }

    private static int deltaClass(int b, long z) {
        for (int c = 0; c < 3; c++) {
            if (z < (1L << classWidth(b, c))) {
                return c;
            }
        }
        return 3;
    }

    /** {@code newQ - oldQ}; for an ANGLE wrapped into {@code [-2^(B-1), 2^(B-1))}. */
    private static int fixedDelta(Field field, int oldQ, int newQ) {
        int d = newQ - oldQ;
        if (field.kind() == FieldKind.ANGLE) {
            int half = 1 << (field.bits() - 1);
            d = ((d + half) & ((half << 1) - 1)) - half;
        }
        return d;
    }

    private static int checkRange(Field field, int q) {
        if (q < 0 || q > field.maxQ()) {
            throw new MalformedStateException(field.name() + ": q " + q + " outside 0.." + field.maxQ());
        }
        return q;
    }
}
