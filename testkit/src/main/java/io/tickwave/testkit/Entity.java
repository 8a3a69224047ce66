package io.tickwave.testkit;

import io.tickwave.replication.EntityType;
import io.tickwave.replication.Field;
import io.tickwave.replication.FieldKind;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One replicated entity as a viewer holds it at one snapshot: its id, its type, and each field's value
 * as a client sees it (quantized as the game's {@code .proto} declares, see docs/replication.md).
 * Fields are named as in the {@code .proto} ({@code player_id}). Immutable: it keeps the values it was
 * read with, whatever later ticks bring. Equal when id, type and values are.
 */
public final class Entity {

    private final int id;
    private final EntityType type;
    private final int[] q;

    Entity(int id, EntityType type, int[] q) {
        this.id = id;
        this.type = type;
        this.q = q;
    }

    /** The entity's id in its room (ids start at 1 and are never reused in a room). */
    public int id() {
        return id;
    }

    /** The type's full proto name, e.g. {@code arena.v1.Ship}. */
    public String type() {
        return type.name();
    }

    /** The type's proto name without its package, e.g. {@code Ship}. */
    public String simpleType() {
        return simpleName(type.name());
    }

    /** The type as the schema the viewer was sent declares it. */
    public EntityType schemaType() {
        return type;
    }

    /** Whether the type is {@code name}, given as the full proto name or without the package. */
    public boolean is(String name) {
        return type.name().equals(name) || simpleType().equals(name);
    }

    /**
     * The value a client sees for {@code field}: a quantized float as the nearest step, an angle in
     * {@code [0, 2π)}, a bool as 0 or 1, an integer as itself.
     */
    public double get(String field) {
        Field f = field(field);
        return f.dequantize(q[f.index()]);
    }

    /** An integer field's value (bounded, signed or unsigned; a bool as 0 or 1). */
    public long getLong(String field) {
        Field f = field(field);
        FieldKind kind = f.kind();
        if (kind == FieldKind.QUANTIZED || kind == FieldKind.ANGLE || kind == FieldKind.FLOAT) {
            throw new IllegalArgumentException(simpleType() + "." + field + " is " + kind + ", not an integer: use get");
        }
        return (long) f.dequantize(q[f.index()]);
    }

    /** An integer field's value as an int; an unsigned value above {@code Integer.MAX_VALUE} throws. */
    public int getInt(String field) {
        return Math.toIntExact(getLong(field));
    }

    /** A bool field's value. */
    public boolean getBool(String field) {
        Field f = field(field);
        if (f.kind() != FieldKind.BOOL) {
            throw new IllegalArgumentException(simpleType() + "." + field + " is " + f.kind() + ", not a bool");
        }
        return q[f.index()] != 0;
    }

    /** The quantized value {@code q} the wire carries for {@code field}. */
    public int quantized(String field) {
        return q[field(field).index()];
    }

    /** Every field by name, in field-number order, with the values {@link #get} gives. */
    public Map<String, Double> values() {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Field f : type.fields()) {
            values.put(f.name(), f.dequantize(q[f.index()]));
        }
        return values;
    }

    private Field field(String name) {
        for (Field f : type.fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Field f : type.fields()) {
            known.append(known.length() == 0 ? "" : ", ").append(f.name());
        }
        throw new IllegalArgumentException(type.name() + " has no field " + name + " (it has: " + known + ")");
    }

    static String simpleName(String fullName) {
        return fullName.substring(fullName.lastIndexOf('.') + 1);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Entity that && id == that.id && type.name().equals(that.type.name())
                && Arrays.equals(q, that.q);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type.name(), Arrays.hashCode(q));
    }

    /** {@code Runner#3{player_id=1, x=4, it=true}}: integers and bools as such, other values as decimals. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(simpleType()).append('#').append(id).append('{');
        for (Field f : type.fields()) {
            if (f.index() > 0) {
                text.append(", ");
            }
            text.append(f.name()).append('=');
            int value = q[f.index()];
            switch (f.kind()) {
                case BOOL -> text.append(value != 0);
                case QUANTIZED, ANGLE, FLOAT -> text.append(f.dequantize(value));
                default -> text.append((long) f.dequantize(value));
            }
        }
        return text.append('}').toString();
    }
}
