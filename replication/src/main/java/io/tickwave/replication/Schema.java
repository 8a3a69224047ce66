package io.tickwave.replication;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors;
import io.tickwave.protocol.EntityOptions;
import io.tickwave.protocol.EntityTypeSchema;
import io.tickwave.protocol.FieldOptions;
import io.tickwave.protocol.FieldSchema;
import io.tickwave.protocol.Position;
import io.tickwave.protocol.ReplicationSchema;
import io.tickwave.protocol.TickwaveOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The entity types a room replicates, built once from a game's declared proto messages (server side)
 * or from the {@code ReplicationSchema} in {@code Welcome} (client side). Building checks every rule of
 * docs/replication.md, "Declaring state", and refuses a bad declaration with an IllegalArgumentException
 * that names the message and field. Immutable; any thread.
 */
public final class Schema {
    /** The largest type id: it travels in at most 8 bits. */
    public static final int MAX_TYPE_ID = 255;
    /** The most fields a type may have: an update mask is one int. */
    public static final int MAX_FIELDS = 32;
    /** The widest ANGLE. */
    public static final int MAX_ANGLE_BITS = 24;
    /** The widest QUANTIZED or BOUNDED: q stays a non-negative int32. */
    public static final int MAX_BITS = 31;

    private final List<EntityType> types;
    private final EntityType[] byId = new EntityType[MAX_TYPE_ID + 1];
    private final Map<String, EntityType> byName = new HashMap<>();
    private final int typeBits;
    private final int maxFieldCount;

    private Schema(List<EntityType> unsorted) {
        List<EntityType> sorted = new ArrayList<>(unsorted);
        sorted.sort(Comparator.comparingInt(EntityType::typeId));
        int fieldCount = 0;
        for (EntityType type : sorted) {
            EntityType clash = byId[type.typeId()];
            if (clash != null) {
                throw new IllegalArgumentException("type_id " + type.typeId() + " is declared by both " + clash.name()
                        + " and " + type.name());
            }
            if (byName.put(type.name(), type) != null) {
                throw new IllegalArgumentException(type.name() + " is listed twice");
            }
            byId[type.typeId()] = type;
            fieldCount = Math.max(fieldCount, type.fieldCount());
        }
        this.types = Collections.unmodifiableList(sorted);
        this.typeBits = sorted.isEmpty() ? 0 : bitLength(sorted.get(sorted.size() - 1).typeId());
        this.maxFieldCount = fieldCount;
    }

    /** Every message of {@code file} (nested ones too) with the {@code (tickwave.v1.entity)} option. */
    public static Schema fromFile(Descriptors.FileDescriptor file) {
        List<Descriptors.Descriptor> declared = new ArrayList<>();
        collectEntityMessages(file.getMessageTypes(), declared);
        if (declared.isEmpty()) {
            throw new IllegalArgumentException(file.getName() + " declares no message with the (tickwave.v1.entity) option");
        }
        return fromTypes(declared.toArray(new Descriptors.Descriptor[0]));
    }

    /** These messages, each of which must carry the {@code (tickwave.v1.entity)} option. */
    public static Schema fromTypes(Descriptors.Descriptor... messages) {
        List<EntityType> built = new ArrayList<>(messages.length);
        for (Descriptors.Descriptor message : messages) {
            built.add(entityType(message));
        }
        return new Schema(built);
    }

    /** The schema a server sent in {@code Welcome.replication_schema}; checked as strictly as a declaration. */
    public static Schema fromMessage(ReplicationSchema message) {
        List<EntityType> built = new ArrayList<>(message.getTypesCount());
        for (EntityTypeSchema type : message.getTypesList()) {
            built.add(entityType(type));
        }
        return new Schema(built);
    }

    /** The message a server sends in {@code Welcome.replication_schema}. */
    public ReplicationSchema toMessage() {
        ReplicationSchema.Builder schema = ReplicationSchema.newBuilder();
        for (EntityType type : types) {
            EntityTypeSchema.Builder typeSchema = EntityTypeSchema.newBuilder()
                    .setTypeId(type.typeId())
                    .setName(type.name())
                    .setPriority(type.priority())
                    .setAlwaysRelevant(type.alwaysRelevant())
                    .setPositionXField(type.positionXIndex())
                    .setPositionYField(type.positionYIndex());
            for (int i = 0; i < type.fieldCount(); i++) {
                Field field = type.fieldAt(i);
                typeSchema.addFields(FieldSchema.newBuilder()
                        .setName(field.name())
                        .setNumber(field.number())
                        .setKind(field.kind().toProto())
                        .setBits(field.bits())
                        .setMin(field.min())
                        .setMax(field.max())
                        .setPrecision(field.precision()));
            }
            schema.addTypes(typeSchema);
        }
        return schema.build();
    }

    /** The types in ascending type id, unmodifiable. */
    public List<EntityType> types() {
        return types;
    }

    /** The type of {@code message} (matched by full proto name); IllegalArgumentException if it is not in the schema. */
    public EntityType type(Descriptors.Descriptor message) {
        EntityType type = byName.get(message.getFullName());
        if (type == null) {
            throw new IllegalArgumentException(message.getFullName() + " is not an entity type of this schema");
        }
        return type;
    }

    /** The type with this id, null if none (or out of 0..255). */
    public EntityType typeById(int typeId) {
        return typeId >= 0 && typeId <= MAX_TYPE_ID ? byId[typeId] : null;
    }

    /** The width of a type id on the wire: the bit length of the largest type id (0 for an empty schema). */
    public int typeBits() {
        return typeBits;
    }

    /** The most fields any type has. */
    public int maxFieldCount() {
        return maxFieldCount;
    }

    @Override
    public String toString() {
        return "Schema" + types;
    }

    static int bitLength(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    // ---------------------------------------------------------------- from declarations

    private static void collectEntityMessages(List<Descriptors.Descriptor> messages, List<Descriptors.Descriptor> into) {
        for (Descriptors.Descriptor message : messages) {
            if (message.getOptions().hasExtension(TickwaveOptions.entity)) {
                into.add(message);
            }
            collectEntityMessages(message.getNestedTypes(), into);
        }
    }

    private static EntityType entityType(Descriptors.Descriptor message) {
        String name = message.getFullName();
        DescriptorProtos.MessageOptions messageOptions = message.getOptions();
        if (!messageOptions.hasExtension(TickwaveOptions.entity)) {
            throw new IllegalArgumentException(name + " has no (tickwave.v1.entity) option");
        }
        EntityOptions options = messageOptions.getExtension(TickwaveOptions.entity);
        List<Descriptors.FieldDescriptor> protoFields = new ArrayList<>(message.getFields());
        protoFields.sort(Comparator.comparingInt(Descriptors.FieldDescriptor::getNumber));
        if (protoFields.size() > MAX_FIELDS) {
            throw new IllegalArgumentException(name + " has " + protoFields.size() + " fields, more than " + MAX_FIELDS);
        }
        Field[] fields = new Field[protoFields.size()];
        int positionX = -1;
        int positionY = -1;
        for (int i = 0; i < fields.length; i++) {
            Descriptors.FieldDescriptor protoField = protoFields.get(i);
            FieldOptions fieldOptions = protoField.getOptions().getExtension(TickwaveOptions.field);
            fields[i] = declaredField(name, i, protoField, fieldOptions);
            Position position = fieldOptions.getPosition();
            if (position == Position.POSITION_X) {
                positionX = positionIndex(name, fields[i], positionX, "POSITION_X");
            } else if (position == Position.POSITION_Y) {
                positionY = positionIndex(name, fields[i], positionY, "POSITION_Y");
            } else if (position != Position.POSITION_NONE) {
                throw new IllegalArgumentException(name + "." + protoField.getName() + ": unknown position " + position);
            }
        }
        return newType(name, options.getTypeId(), options.getPriority(),
                options.getAlwaysRelevant(), fields, positionX, positionY);
    }

    private static int positionIndex(String type, Field field, int existing, String position) {
        if (existing >= 0) {
            throw new IllegalArgumentException(type + " marks two fields " + position + " (field number "
                    + field.number() + " and an earlier one)");
        }
        if (field.kind() == FieldKind.BOOL || field.kind() == FieldKind.ANGLE) {
            throw new IllegalArgumentException(type + "." + field.name() + ": a " + field.kind()
                    + " field cannot be a position");
        }
        return field.index();
    }

    private static Field declaredField(String type, int index, Descriptors.FieldDescriptor protoField, FieldOptions options) {
        String where = type + "." + protoField.getName();
        if (protoField.isRepeated()) {
            throw new IllegalArgumentException(where + ": repeated and map fields cannot be replicated");
        }
        boolean quantized = options.getMin() != 0 || options.getMax() != 0 || options.getPrecision() != 0;
        boolean angle = options.getAngleBits() != 0;
        boolean bounded = options.getBits() != 0;
        switch (protoField.getType()) {
            case FLOAT:
            case DOUBLE:
                if (bounded) {
                    throw new IllegalArgumentException(where + ": bits applies to uint32 and enum fields; a "
                            + protoField.getType() + " takes min/max/precision or angle_bits");
                }
                if (quantized && angle) {
                    throw new IllegalArgumentException(where + ": declare either min/max/precision or angle_bits, not both");
                }
                if (quantized) {
                    return quantizedField(where, index, protoField.getName(), protoField.getNumber(),
                            options.getMin(), options.getMax(), options.getPrecision(), -1);
                }
                if (angle) {
                    return angleField(where, index, protoField.getName(), protoField.getNumber(), options.getAngleBits());
                }
                if (protoField.getType() == Descriptors.FieldDescriptor.Type.DOUBLE) {
                    throw new IllegalArgumentException(where + ": a double needs min/max/precision or angle_bits"
                            + " (an unquantized value must be a float)");
                }
                return new Field(index, protoField.getName(), protoField.getNumber(), FieldKind.FLOAT, 32, 0, 0, 0, -1);
            case BOOL:
                refuseOptions(where, "a bool", quantized, angle, bounded);
                return new Field(index, protoField.getName(), protoField.getNumber(), FieldKind.BOOL, 1, 0, 0, 0, 1);
            case UINT32:
            case FIXED32:
            case ENUM:
                refuseOptions(where, "a " + protoField.getType(), quantized, angle, false);
                if (bounded) {
                    return boundedField(where, index, protoField.getName(), protoField.getNumber(), options.getBits());
                }
                return new Field(index, protoField.getName(), protoField.getNumber(),
                        protoField.getType() == Descriptors.FieldDescriptor.Type.ENUM ? FieldKind.SINT : FieldKind.UINT,
                        32, 0, 0, 0, -1);
            case INT32:
            case SINT32:
            case SFIXED32:
                refuseOptions(where, "a signed " + protoField.getType(), quantized, angle, bounded);
                return new Field(index, protoField.getName(), protoField.getNumber(), FieldKind.SINT, 32, 0, 0, 0, -1);
            case INT64:
            case UINT64:
            case SINT64:
            case FIXED64:
            case SFIXED64:
                throw new IllegalArgumentException(where + ": 64-bit integers cannot be replicated (use int32 or uint32)");
            default:
                throw new IllegalArgumentException(where + ": a " + protoField.getType()
                        + " field cannot be replicated (send names and one-off data in Welcome or events)");
        }
    }

    private static void refuseOptions(String where, String what, boolean quantized, boolean angle, boolean bounded) {
        if (quantized) {
            throw new IllegalArgumentException(where + ": min/max/precision apply to float and double fields, not " + what);
        }
        if (angle) {
            throw new IllegalArgumentException(where + ": angle_bits applies to float and double fields, not " + what);
        }
        if (bounded) {
            throw new IllegalArgumentException(where + ": bits applies to uint32 and enum fields, not " + what);
        }
    }

    private static Field quantizedField(String where, int index, String name, int number, double min, double max,
            double precision, int expectedBits) {
        if (!(Double.isFinite(min) && Double.isFinite(max) && max > min)) {
            throw new IllegalArgumentException(where + ": QUANTIZED needs finite min < max (min " + min + ", max " + max + ")");
        }
        if (!(Double.isFinite(precision) && precision > 0)) {
            throw new IllegalArgumentException(where + ": QUANTIZED needs a precision > 0 (is " + precision + ")");
        }
        double steps = Math.ceil((max - min) / precision);
        if (!(steps <= Integer.MAX_VALUE)) {
            throw new IllegalArgumentException(where + ": (max - min) / precision = " + steps + " steps needs more than "
                    + MAX_BITS + " bits; coarsen the precision or narrow the range");
        }
        int bits = bitLength((long) steps);
        if (expectedBits >= 0 && expectedBits != bits) {
            throw new IllegalArgumentException(where + ": QUANTIZED min " + min + " max " + max + " precision " + precision
                    + " takes " + bits + " bits, not " + expectedBits);
        }
        return new Field(index, name, number, FieldKind.QUANTIZED, bits, min, max, precision, (int) steps);
    }

    private static Field angleField(String where, int index, String name, int number, long bits) {
        if (bits < 1 || bits > MAX_ANGLE_BITS) {
            throw new IllegalArgumentException(where + ": angle_bits must be 1.." + MAX_ANGLE_BITS + " (is " + bits + ")");
        }
        return new Field(index, name, number, FieldKind.ANGLE, (int) bits, 0, 0, 0, (1 << bits) - 1);
    }

    private static Field boundedField(String where, int index, String name, int number, long bits) {
        if (bits < 1 || bits > MAX_BITS) {
            throw new IllegalArgumentException(where + ": bits must be 1.." + MAX_BITS + " (is " + bits + ")");
        }
        return new Field(index, name, number, FieldKind.BOUNDED, (int) bits, 0, 0, 0, (1 << bits) - 1);
    }

    private static EntityType newType(String name, int typeId, float priority, boolean alwaysRelevant, Field[] fields,
            int positionX, int positionY) {
        if (typeId < 1 || typeId > MAX_TYPE_ID) {
            throw new IllegalArgumentException(name + ": type_id must be 1.." + MAX_TYPE_ID + " (is " + typeId + ")");
        }
        if (!(priority >= 0) || Float.isInfinite(priority)) {
            throw new IllegalArgumentException(name + ": priority must be a finite number >= 0 (is " + priority + ")");
        }
        if ((positionX < 0) != (positionY < 0)) {
            throw new IllegalArgumentException(name + ": mark one field POSITION_X and one POSITION_Y, or neither");
        }
        return new EntityType(typeId, name, priority == 0 ? 1f : priority, alwaysRelevant, fields, positionX, positionY);
    }

    // ---------------------------------------------------------------- from a ReplicationSchema message

    private static EntityType entityType(EntityTypeSchema type) {
        String name = type.getName();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("type_id " + type.getTypeId() + " has no name");
        }
        if (type.getFieldsCount() > MAX_FIELDS) {
            throw new IllegalArgumentException(name + " has " + type.getFieldsCount() + " fields, more than " + MAX_FIELDS);
        }
        Field[] fields = new Field[type.getFieldsCount()];
        int previousNumber = 0;
        for (int i = 0; i < fields.length; i++) {
            FieldSchema field = type.getFields(i);
            String where = name + "." + field.getName();
            if (field.getNumber() <= previousNumber) {
                throw new IllegalArgumentException(where + ": field numbers must ascend (" + field.getNumber()
                        + " after " + previousNumber + ")");
            }
            previousNumber = field.getNumber();
            fields[i] = schemaField(where, i, field);
        }
        int positionX = positionField(name, type.getPositionXField(), fields, "position_x_field");
        int positionY = positionField(name, type.getPositionYField(), fields, "position_y_field");
        if (positionX >= 0 && positionX == positionY) {
            throw new IllegalArgumentException(name + ": one field cannot be both positions");
        }
        return newType(name, type.getTypeId(), type.getPriority(),
                type.getAlwaysRelevant(), fields, positionX, positionY);
    }

    private static int positionField(String type, int index, Field[] fields, String what) {
        if (index < -1 || index >= fields.length) {
            throw new IllegalArgumentException(type + ": " + what + " " + index + " is not -1 or a field index");
        }
        if (index >= 0 && (fields[index].kind() == FieldKind.BOOL || fields[index].kind() == FieldKind.ANGLE)) {
            throw new IllegalArgumentException(type + "." + fields[index].name() + ": a " + fields[index].kind()
                    + " field cannot be a position");
        }
        return index;
    }

    private static Field schemaField(String where, int index, FieldSchema field) {
        FieldKind kind;
        try {
            kind = FieldKind.fromProto(field.getKind());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        int bits = field.getBits();
        switch (kind) {
            case QUANTIZED:
                return quantizedField(where, index, field.getName(), field.getNumber(), field.getMin(), field.getMax(),
                        field.getPrecision(), bits);
            case ANGLE:
                return angleField(where, index, field.getName(), field.getNumber(), Integer.toUnsignedLong(bits));
            case BOUNDED:
                return boundedField(where, index, field.getName(), field.getNumber(), Integer.toUnsignedLong(bits));
            case BOOL:
                requireBits(where, kind, bits, 1);
                return new Field(index, field.getName(), field.getNumber(), kind, 1, 0, 0, 0, 1);
            default:
                requireBits(where, kind, bits, 32);
                return new Field(index, field.getName(), field.getNumber(), kind, 32, 0, 0, 0, -1);
        }
    }

    private static void requireBits(String where, FieldKind kind, int bits, int expected) {
        if (bits != expected) {
            throw new IllegalArgumentException(where + ": a " + kind + " field has " + expected + " bits, not "
                    + Integer.toUnsignedString(bits));
        }
    }
}
