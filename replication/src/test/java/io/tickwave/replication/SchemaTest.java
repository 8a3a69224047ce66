package io.tickwave.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors;
import io.tickwave.protocol.EntityOptions;
import io.tickwave.protocol.FieldOptions;
import io.tickwave.protocol.Position;
import io.tickwave.protocol.ReplicationSchema;
import io.tickwave.protocol.TickwaveOptions;
import io.tickwave.replication.testproto.Clock;
import io.tickwave.replication.testproto.Pickup;
import io.tickwave.replication.testproto.ReplicationTest;
import io.tickwave.replication.testproto.Ship;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {

    @Test
    void shouldTakeEveryEntityMessageOfAFileSortedByTypeId() {
        Schema schema = Schema.fromFile(ReplicationTest.getDescriptor());

        assertEquals(List.of("replication.test.v1.Ship", "replication.test.v1.Pickup", "replication.test.v1.Clock"),
                schema.types().stream().map(EntityType::name).toList());
        assertEquals(4, schema.typeBits(), "bit length of type id 9");
        assertEquals(6, schema.maxFieldCount());
        assertSame(schema.type(Clock.getDescriptor()), schema.typeById(9));
        assertNull(schema.typeById(2));
        assertNull(schema.typeById(300));
    }

    @Test
    void shouldDeriveEachFieldsKindAndWidthFromItsDeclaration() {
        EntityType ship = Schema.fromFile(ReplicationTest.getDescriptor()).type(Ship.getDescriptor());

        assertField(ship.field(Ship.PLAYER_ID_FIELD_NUMBER), 0, FieldKind.BOUNDED, 16);
        assertField(ship.field(Ship.X_FIELD_NUMBER), 1, FieldKind.QUANTIZED, 15); // 32,000 steps
        assertField(ship.field(Ship.AIM_FIELD_NUMBER), 3, FieldKind.ANGLE, 10);
        assertField(ship.field(Ship.ALIVE_FIELD_NUMBER), 4, FieldKind.BOOL, 1);
        assertField(ship.field(Ship.SCORE_FIELD_NUMBER), 5, FieldKind.SINT, 32);
        assertEquals(32000, ship.field(Ship.X_FIELD_NUMBER).maxQ());
        assertEquals(1, ship.positionXIndex());
        assertEquals(2, ship.positionYIndex());
        assertEquals(1f, ship.priority());
        assertFalse(ship.alwaysRelevant());

        EntityType clock = Schema.fromTypes(Clock.getDescriptor()).type(Clock.getDescriptor());
        assertField(clock.field(Clock.TICKS_LEFT_FIELD_NUMBER), 0, FieldKind.UINT, 32);
        assertField(clock.field(Clock.SPEED_FIELD_NUMBER), 1, FieldKind.FLOAT, 32);
        assertField(clock.field(Clock.PHASE_FIELD_NUMBER), 2, FieldKind.BOUNDED, 2);
        assertEquals(0.5f, clock.priority());
        assertTrue(clock.alwaysRelevant());
        assertEquals(-1, clock.positionXIndex());
        assertEquals(-1, clock.positionYIndex());
    }

    @Test
    void shouldGiveAnUndeclaredPriorityTheDefaultOfOne() {
        assertEquals(1f, Schema.fromTypes(Pickup.getDescriptor()).typeById(3).priority());
    }

    @Test
    void shouldRefuseAFieldNumberTheTypeLacks() {
        EntityType ship = Schema.fromTypes(Ship.getDescriptor()).typeById(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ship.field(99));
        assertTrue(e.getMessage().contains("Ship") && e.getMessage().contains("99"), e.getMessage());
    }

    @Test
    void shouldRebuildTheSameSchemaFromItsMessage() {
        Schema server = Schema.fromFile(ReplicationTest.getDescriptor());
        ReplicationSchema message = server.toMessage();

        Schema client = Schema.fromMessage(message);

        assertEquals(message, client.toMessage());
        assertEquals(server.typeBits(), client.typeBits());
        Field x = client.typeById(1).fieldAt(1);
        assertEquals("x", x.name());
        assertEquals(32000, x.maxQ());
        assertEquals(120.5, x.dequantize(x.quantize(120.5)));
        assertSame(client.typeById(1), client.type(Ship.getDescriptor()));
    }

    @Test
    void shouldRefuseASchemaMessageWhoseWidthsDisagreeWithItsRanges() {
        ReplicationSchema message = Schema.fromTypes(Ship.getDescriptor()).toMessage();
        ReplicationSchema lying = message.toBuilder()
                .setTypes(0, message.getTypes(0).toBuilder().setFields(1, message.getTypes(0).getFields(1).toBuilder().setBits(12)))
                .build();
        assertRefused(() -> Schema.fromMessage(lying), "Ship.x", "15 bits");
    }

    @Test
    void shouldRefuseATypeIdOutside1To255OrUsedTwice() {
        assertRefused(() -> schemaOf(entity(0), uint32("a", 1, none())), "Thing", "type_id");
        assertRefused(() -> schemaOf(entity(256), uint32("a", 1, none())), "Thing", "type_id");
        Descriptors.Descriptor first = message("First", entity(7), uint32("a", 1, none()));
        Descriptors.Descriptor second = message("Second", entity(7), uint32("a", 1, none()));
        assertRefused(() -> Schema.fromTypes(first, second), "First", "Second");
    }

    @Test
    void shouldRefuseAMessageWithoutTheEntityOption() {
        assertRefused(() -> Schema.fromTypes(message("Thing", MessageOptions.getDefaultInstance(), uint32("a", 1, none()))),
                "Thing", "(tickwave.v1.entity)");
    }

    @Test
    void shouldRefuseFieldTypesThatCannotBeReplicated() {
        assertRefused(() -> schemaOf(entity(1), field("name", 1, FieldDescriptorProto.Type.TYPE_STRING, none())),
                "Thing.name", "STRING");
        assertRefused(() -> schemaOf(entity(1), field("blob", 1, FieldDescriptorProto.Type.TYPE_BYTES, none())),
                "Thing.blob", "BYTES");
        assertRefused(() -> schemaOf(entity(1), field("big", 1, FieldDescriptorProto.Type.TYPE_INT64, none())),
                "Thing.big", "64-bit");
        assertRefused(() -> schemaOf(entity(1), field("ids", 1, FieldDescriptorProto.Type.TYPE_UINT32, none()).toBuilder()
                .setLabel(FieldDescriptorProto.Label.LABEL_REPEATED).build()), "Thing.ids", "repeated");
        assertRefused(() -> schemaOf(entity(1), field("inner", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, none()).toBuilder()
                .setTypeName(".t.Thing").build()), "Thing.inner", "MESSAGE");
        assertRefused(() -> schemaOf(entity(1), field("d", 1, FieldDescriptorProto.Type.TYPE_DOUBLE, none())),
                "Thing.d", "double");
    }

    @Test
    void shouldRefuseABadQuantization() {
        assertRefused(() -> schemaOf(entity(1), real("x", 1, opts().setMin(5).setMax(5).setPrecision(1))),
                "Thing.x", "min < max");
        assertRefused(() -> schemaOf(entity(1), real("x", 1, opts().setMin(0).setMax(10).setPrecision(0))),
                "Thing.x", "precision");
        assertRefused(() -> schemaOf(entity(1), real("x", 1, opts().setMin(0).setMax(10).setPrecision(-1))),
                "Thing.x", "precision");
        assertRefused(() -> schemaOf(entity(1), real("x", 1, opts().setMin(0).setMax(1e6).setPrecision(1e-4))),
                "Thing.x", "31 bits");
        assertRefused(() -> schemaOf(entity(1), real("a", 1, opts().setAngleBits(25))), "Thing.a", "angle_bits");
        assertRefused(() -> schemaOf(entity(1), real("a", 1, opts().setAngleBits(8).setMax(1).setPrecision(1))),
                "Thing.a", "not both");
        assertRefused(() -> schemaOf(entity(1), uint32("n", 1, opts().setBits(32))), "Thing.n", "bits");
        assertRefused(() -> schemaOf(entity(1), field("n", 1, FieldDescriptorProto.Type.TYPE_INT32, opts().setBits(4))),
                "Thing.n", "bits");
        assertRefused(() -> schemaOf(entity(1), field("b", 1, FieldDescriptorProto.Type.TYPE_BOOL, opts().setAngleBits(4))),
                "Thing.b", "angle_bits");
    }

    @Test
    void shouldAcceptTheWidestQuantization() {
        Schema schema = schemaOf(entity(1), real("x", 1, opts().setMin(0).setMax(Integer.MAX_VALUE).setPrecision(1)));
        assertEquals(31, schema.typeById(1).fieldAt(0).bits());
    }

    @Test
    void shouldRefuseTwoPositionXOrOnlyOneCoordinate() {
        FieldOptions.Builder x = opts().setMin(0).setMax(10).setPrecision(1).setPosition(Position.POSITION_X);
        FieldOptions.Builder y = opts().setMin(0).setMax(10).setPrecision(1).setPosition(Position.POSITION_Y);
        assertRefused(() -> schemaOf(entity(1), real("x", 1, x), real("x2", 2, x), real("y", 3, y)),
                "Thing", "two fields POSITION_X");
        assertRefused(() -> schemaOf(entity(1), real("x", 1, x)), "Thing", "POSITION_Y");
        assertRefused(() -> schemaOf(entity(1), real("x", 1, x),
                field("y", 2, FieldDescriptorProto.Type.TYPE_BOOL, opts().setPosition(Position.POSITION_Y))),
                "Thing.y", "position");
    }

    @Test
    void shouldRefuseMoreThan32Fields() {
        FieldDescriptorProto[] fields = new FieldDescriptorProto[33];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = uint32("f" + i, i + 1, none());
        }
        assertRefused(() -> schemaOf(entity(1), fields), "Thing", "33 fields");
    }

    @Test
    void shouldOrderFieldsByNumberNotDeclaration() {
        Schema schema = schemaOf(entity(1), uint32("late", 9, none()), uint32("early", 2, none()));
        assertEquals("early", schema.typeById(1).fieldAt(0).name());
        assertEquals(1, schema.typeById(1).field(9).index());
    }

    // ---------------------------------------------------------------- building declarations at run time

    private static void assertField(Field field, int index, FieldKind kind, int bits) {
        assertEquals(index, field.index(), field.toString());
        assertEquals(kind, field.kind(), field.toString());
        assertEquals(bits, field.bits(), field.toString());
    }

    private static void assertRefused(Runnable build, String... mentions) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        for (String mention : mentions) {
            assertTrue(e.getMessage().contains(mention), "'" + e.getMessage() + "' should mention '" + mention + "'");
        }
    }

    private static MessageOptions entity(int typeId) {
        return MessageOptions.newBuilder().setExtension(TickwaveOptions.entity, EntityOptions.newBuilder().setTypeId(typeId).build())
                .build();
    }

    private static FieldOptions.Builder opts() {
        return FieldOptions.newBuilder();
    }

    private static FieldOptions.Builder none() {
        return FieldOptions.newBuilder();
    }

    private static FieldDescriptorProto uint32(String name, int number, FieldOptions.Builder options) {
        return field(name, number, FieldDescriptorProto.Type.TYPE_UINT32, options);
    }

    private static FieldDescriptorProto real(String name, int number, FieldOptions.Builder options) {
        return field(name, number, FieldDescriptorProto.Type.TYPE_FLOAT, options);
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type,
            FieldOptions.Builder options) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)
                .setOptions(com.google.protobuf.DescriptorProtos.FieldOptions.newBuilder()
                        .setExtension(TickwaveOptions.field, options.build()))
                .build();
    }

    private static Schema schemaOf(MessageOptions options, FieldDescriptorProto... fields) {
        return Schema.fromTypes(message("Thing", options, fields));
    }

    private static Descriptors.Descriptor message(String name, MessageOptions options, FieldDescriptorProto... fields) {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("t_" + name + ".proto").setPackage("t").setSyntax("proto3")
                .addDependency(TickwaveOptions.getDescriptor().getName())
                .addMessageType(DescriptorProto.newBuilder().setName(name).setOptions(options).addAllField(List.of(fields)))
                .build();
        try {
            return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[] {TickwaveOptions.getDescriptor()})
                    .findMessageTypeByName(name);
        } catch (Descriptors.DescriptorValidationException e) {
            throw new AssertionError(e);
        }
    }
}
