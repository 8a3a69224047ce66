package io.tickwave.server.net;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tickwave.protocol.ClientMessage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written decoder agrees with the generated {@code ClientMessage.parseFrom}: on what it
 * accepts, on every field it reads, and on what it refuses (truncated, garbled and random bytes).
 */
class ClientMessageDecoderPropertyTest {

    /** One field on the wire: its number, wire type and encoded value (tag excluded). */
    private record Field(int number, int wireType, byte[] value) {
    }

    private static void assertAgreesWithParseFrom(byte[] bytes) {
        // Decode from the middle of a bigger buffer, as a frame parser hands it over.
        ByteBuffer frame = ByteBuffer.allocate(bytes.length + 7);
        frame.position(3).put(bytes).flip().position(3);
        DecodedMessage decoded = new DecodedMessage();
        boolean accepted = ClientMessageDecoder.decode(frame, decoded);
        assertEquals(3, frame.position(), "the decoder does not move the frame's position");
        ClientMessage expected;
        try {
            expected = ClientMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            assertFalse(accepted, "parseFrom refused (" + e.getMessage() + ") but the decoder accepted "
                    + Arrays.toString(bytes));
            return;
        }
        assertTrue(accepted, "parseFrom accepted but the decoder refused " + Arrays.toString(bytes));
        switch (expected.getKindCase()) {
            case JOIN -> {
                assertEquals(DecodedMessage.JOIN, decoded.kind);
                assertEquals(expected.getJoin().getName(), decoded.joinName);
                assertEquals(expected.getJoin().getProtocolVersion(), decoded.protocolVersion);
                assertEquals(expected.getJoin().getSeatToken(), decoded.joinSeatToken);
                assertFalse(decoded.joinOptionsOverflow, "the generator makes at most a few options");
                assertEquals(expected.getJoin().getOptionsMap(), decoded.joinOptions);
                assertEquals(expected.getJoin().getRoomId(), decoded.joinRoomId);
                assertEquals(expected.getJoin().getCreateRoom(), decoded.joinCreateRoom);
            }
            case INPUT -> {
                assertEquals(DecodedMessage.INPUT, decoded.kind);
                assertEquals(expected.getInput().getSeq() & 0xFFFF_FFFFL, decoded.inputSeq);
                assertEquals(expected.getInput().getNewestSnapshotTick(), decoded.newestSnapshotTick);
                byte[] payload = new byte[decoded.payloadLength];
                frame.get(decoded.payloadOffset, payload);
                assertArrayEquals(expected.getInput().getPayload().toByteArray(), payload);
            }
            case CHAT -> {
                assertEquals(DecodedMessage.CHAT, decoded.kind);
                assertEquals(expected.getChat().getText(), decoded.chatText);
            }
            case PING -> {
                assertEquals(DecodedMessage.PING, decoded.kind);
                assertEquals(expected.getPing().getClientTime(), decoded.pingClientTime);
            }
            default -> assertEquals(DecodedMessage.NONE, decoded.kind);
        }
    }

    @Property(tries = 3_000)
    void shouldDecodeValidMessagesAsParseFromDoes(@ForAll("messages") byte[] message) {
        assertAgreesWithParseFrom(message);
    }

    @Property(tries = 2_000)
    void shouldRefuseTruncatedMessagesAsParseFromDoes(@ForAll("messages") byte[] message,
                                                      @ForAll @IntRange(min = 1, max = 1_000) int cut) {
        if (message.length == 0) {
            return;
        }
        assertAgreesWithParseFrom(Arrays.copyOf(message, message.length - 1 - cut % message.length));
    }

    @Property(tries = 3_000)
    void shouldRefuseGarbledMessagesAsParseFromDoes(@ForAll("messages") byte[] message,
                                                    @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 10_000) Integer> at,
                                                    @ForAll @Size(min = 4, max = 4) List<Byte> with) {
        if (message.length == 0) {
            return;
        }
        byte[] garbled = message.clone();
        for (int i = 0; i < at.size(); i++) {
            garbled[at.get(i) % garbled.length] = with.get(i);
        }
        assertAgreesWithParseFrom(garbled);
    }

    @Property(tries = 3_000)
    void shouldTreatRandomBytesAsParseFromDoes(@ForAll @Size(max = 40) byte[] bytes) {
        assertAgreesWithParseFrom(bytes);
    }

    @Example
    void shouldAgreeOnTheEdgesOfTenByteVarints() {
        byte f = -1;
        byte c = -128;
        assertAgreesWithParseFrom(new byte[]{40, f, f, f, f, f, f, f, f, f, f}); // 64-bit: a tenth byte 0xFF passes
        assertAgreesWithParseFrom(new byte[]{40, c, c, c, c, c, c, c, c, c, c, 0}); // 64-bit: 0x80 does not
        assertAgreesWithParseFrom(new byte[]{34, 11, 8, f, f, f, f, f, f, f, f, f, f, 1});
        assertAgreesWithParseFrom(new byte[]{18, 11, 8, f, f, f, f, f, f, f, f, f, f, 0}); // 32-bit: strict
        assertAgreesWithParseFrom(new byte[]{18, 2, 8, 1, 34, 0, 18, 0}); // input, ping, input: the first merges
        assertAgreesWithParseFrom(new byte[]{10, 3, 10, 1, 65, 26, 0}); // join then empty chat
        // join with options {a: x} then {a: y}: the last value wins; then an entry with neither key nor value
        assertAgreesWithParseFrom(new byte[]{10, 18, 42, 6, 10, 1, 97, 18, 1, 120, 42, 6, 10, 1, 97, 18, 1, 121, 42, 0});
        assertAgreesWithParseFrom(new byte[]{10, 5, 42, 3, 10, 1, -1}); // an option key that is not UTF-8
        // A map entry skips its unknown fields, which refuses a tenth byte of 0xF5 that a message's kept
        // unknown varint accepts (found by the garbled-messages property).
        assertAgreesWithParseFrom(new byte[]{10, 13, 42, 11, 8, f, f, f, f, f, f, f, f, f, -11});
        assertAgreesWithParseFrom(new byte[]{10, 13, 42, 11, 24, f, f, f, f, f, f, f, f, f, 1});
        assertAgreesWithParseFrom(new byte[]{120, f, f, f, f, f, f, f, f, f, -11});
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<byte[]> messages() {
        Arbitrary<Field> member = Arbitraries.oneOf(
                submessage(1, Arbitraries.oneOf(stringField(1), varintField(2),
                        submessage(5, Arbitraries.oneOf(stringField(1), stringField(2))), varintField(6),
                        varintField(7))),
                submessage(2, Arbitraries.oneOf(varintField(1), bytesField(2), varintField(3))),
                submessage(3, stringField(1)),
                submessage(4, varintField(1)));
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, member),
                        net.jqwik.api.Tuple.of(2, unknownField()),
                        net.jqwik.api.Tuple.of(1, wrongWireType(Arbitraries.integers().between(1, 5))))
                .list().ofMaxSize(4).map(ClientMessageDecoderPropertyTest::encode);
    }

    private static Arbitrary<Field> submessage(int number, Arbitrary<Field> knownFields) {
        Arbitrary<Field> any = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, knownFields),
                net.jqwik.api.Tuple.of(2, unknownField()),
                net.jqwik.api.Tuple.of(1, wrongWireType(Arbitraries.integers().between(1, 3))));
        return any.list().ofMaxSize(5).map(fields -> new Field(number, 2, lengthDelimited(encode(fields))));
    }

    private static Arbitrary<Field> stringField(int number) {
        return Arbitraries.strings().ofMaxLength(30)
                .map(text -> new Field(number, 2, lengthDelimited(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    private static Arbitrary<Field> bytesField(int number) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(70).map(bytes -> new Field(number, 2, lengthDelimited(bytes)));
    }

    private static Arbitrary<Field> varintField(int number) {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(0, 300))
                .map(value -> new Field(number, 0, varint(value)));
    }

    /** A known field number with a wire type its field does not have: protobuf keeps it as unknown. */
    private static Arbitrary<Field> wrongWireType(Arbitrary<Integer> numbers) {
        return Combinators.combine(numbers, Arbitraries.of(0, 1, 5), Arbitraries.longs())
                .as((number, wireType, value) -> new Field(number, wireType, fixedOrVarint(wireType, value)));
    }

    private static Arbitrary<Field> unknownField() {
        Arbitrary<Integer> numbers = Arbitraries.oneOf(Arbitraries.integers().between(5, 40),
                Arbitraries.integers().between(5, (1 << 29) - 1));
        Arbitrary<Field> scalar = Combinators.combine(numbers, Arbitraries.of(0, 1, 5), Arbitraries.longs())
                .as((number, wireType, value) -> new Field(number, wireType, fixedOrVarint(wireType, value)));
        Arbitrary<Field> bytes = Combinators.combine(numbers, Arbitraries.bytes().array(byte[].class).ofMaxSize(20))
                .as((number, value) -> new Field(number, 2, lengthDelimited(value)));
        Arbitrary<Field> group = Combinators.combine(numbers, Arbitraries.longs())
                .as((number, value) -> new Field(number, 3, concat(varint(1 << 3), varint(value),
                        varint((long) number << 3 | 4))));
        return Arbitraries.oneOf(scalar, bytes, group);
    }

    private static byte[] fixedOrVarint(int wireType, long value) {
        return switch (wireType) {
            case 0 -> varint(value);
            case 1 -> ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(value).array();
            default -> ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) value).array();
        };
    }

    private static byte[] encode(List<Field> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Field field : fields) {
            out.writeBytes(varint((long) field.number() << 3 | field.wireType()));
            out.writeBytes(field.value());
        }
        return out.toByteArray();
    }

    private static byte[] lengthDelimited(byte[] bytes) {
        return concat(varint(bytes.length), bytes);
    }

    private static byte[] varint(long value) {
        byte[] buffer = new byte[10];
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(buffer);
            out.writeUInt64NoTag(value);
            return Arrays.copyOf(buffer, out.getTotalBytesWritten());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
