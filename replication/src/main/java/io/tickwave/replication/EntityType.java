package io.tickwave.replication;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One entity type of a {@link Schema}: a proto message declared with {@code (tickwave.v1.entity)},
 * its wire number and its fields in field-number order. Immutable; any thread.
 */
public final class EntityType {
    private final int typeId;
    private final String name;
    private final float priority;
    private final boolean alwaysRelevant;
    private final Field[] fields;
    private final List<Field> fieldList;
    private final int positionXIndex;
    private final int positionYIndex;

    EntityType(int typeId, String name, float priority, boolean alwaysRelevant, Field[] fields, int positionXIndex,
            int positionYIndex) {
        this.typeId = typeId;
        this.name = name;
        this.priority = priority;
        this.alwaysRelevant = alwaysRelevant;
        this.fields = fields.clone();
        this.fieldList = Collections.unmodifiableList(Arrays.asList(this.fields));
        this.positionXIndex = positionXIndex;
        this.positionYIndex = positionYIndex;
    }

    /** The type's number on the wire, 1..255. */
    public int typeId() {
        return typeId;
    }

    /** The message's full proto name, e.g. {@code arena.v1.Ship}. */
    public String name() {
        return name;
    }

    /** The declared priority; 1 where the declaration leaves it 0. Always positive. */
    public float priority() {
        return priority;
    }

    /** Whether every viewer is sent this type whatever the distance. */
    public boolean alwaysRelevant() {
        return alwaysRelevant;
    }

    /** How many fields the type has: the width of its update mask (at most 32). */
    public int fieldCount() {
        return fields.length;
    }

    /** The field at {@code index} (field-number order). */
    public Field fieldAt(int index) {
        return fields[index];
    }

    /** The fields in field-number order, unmodifiable. */
    public List<Field> fields() {
        return fieldList;
    }

    /** The field with proto field number {@code fieldNumber}; IllegalArgumentException if the type has none. */
    public Field field(int fieldNumber) {
        for (Field field : fields) {
            if (field.number() == fieldNumber) {
                return field;
            }
        }
        throw new IllegalArgumentException(name + " has no field number " + fieldNumber);
    }

    /** The index of the field marked {@code POSITION_X}, -1 for none. */
    public int positionXIndex() {
        return positionXIndex;
    }

    /** The index of the field marked {@code POSITION_Y}, -1 for none. */
    public int positionYIndex() {
        return positionYIndex;
    }

    /** Whether the type has a position the interest grid reads. */
    public boolean hasPosition() {
        return positionXIndex >= 0;
    }

    @Override
    public String toString() {
        return name + "(type " + typeId + ")";
    }
}
