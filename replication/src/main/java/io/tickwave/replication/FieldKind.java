package io.tickwave.replication;

/**
 * How a replicated field turns a value into its quantized int {@code q} and onto the wire; mirrors
 * the proto enum {@code tickwave.v1.FieldKind} (docs/replication.md, "Declaring state").
 */
public enum FieldKind {
    /** A float/double in {@code [min, max]} at a fixed precision, {@code B} bits. */
    QUANTIZED(io.tickwave.protocol.FieldKind.QUANTIZED),
    /** An angle in radians, a full turn in {@code B} bits; deltas wrap. */
    ANGLE(io.tickwave.protocol.FieldKind.ANGLE),
    /** A bool, 1 bit; a delta is the flip itself. */
    BOOL(io.tickwave.protocol.FieldKind.BOOL),
    /** A uint32 or enum clamped to {@code 0..2^B-1}. */
    BOUNDED(io.tickwave.protocol.FieldKind.BOUNDED),
    /** A uint32, gamma coded. */
    UINT(io.tickwave.protocol.FieldKind.UINT),
    /** An int32, zigzag then gamma coded. */
    SINT(io.tickwave.protocol.FieldKind.SINT),
    /** A float's raw 32 bits. */
    FLOAT(io.tickwave.protocol.FieldKind.FLOAT);

    private final io.tickwave.protocol.FieldKind proto;

    FieldKind(io.tickwave.protocol.FieldKind proto) {
        this.proto = proto;
    }

    /** The proto enum value that stands for this kind in {@code FieldSchema}. */
    public io.tickwave.protocol.FieldKind toProto() {
        return proto;
    }

    /** The kind a {@code FieldSchema} names; IllegalArgumentException for unspecified or unknown values. */
    public static FieldKind fromProto(io.tickwave.protocol.FieldKind proto) {
        for (FieldKind kind : values()) {
            if (kind.proto == proto) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown field kind " + proto);
    }

    /** Whether {@code q} travels as {@code B} fixed bits (QUANTIZED, ANGLE, BOUNDED). */
    boolean fixedWidth() {
        return this == QUANTIZED || this == ANGLE || this == BOUNDED;
    }
}
