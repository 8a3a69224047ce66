package io.tickwave.server.net.websocket;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame parser on bytes alone: what a client may send, and every way it may break the rules. */
class FrameParserTest {

    private static final int MAX_MESSAGE = 100_000;

    /** Records everything the parser reports, as strings and payloads. */
    private static final class Recorder implements FrameParser.Handler {
        final List<String> events = new ArrayList<>();
        final List<byte[]> binaries = new ArrayList<>();
        /** Frames offered to {@link #onFrame()}. */
        int frames;
        /** {@link #onFrame()} refuses every frame after this many. */
        int acceptFrames = Integer.MAX_VALUE;

        @Override
        public boolean onFrame() {
            frames++;
            if (frames > acceptFrames) {
                events.add("refused");
                return false;
            }
            return true;
        }

        private static byte[] bytes(ByteBuffer payload) {
            byte[] copy = new byte[payload.remaining()];
            payload.get(payload.position(), copy);
            return copy;
        }

        @Override
        public void onBinaryMessage(ByteBuffer payload) {
            binaries.add(bytes(payload));
            events.add("binary " + payload.remaining());
        }

        @Override
        public void onTextMessage(ByteBuffer payload) {
            events.add("text " + payload.remaining());
        }

        @Override
        public void onPing(ByteBuffer payload) {
            events.add("ping " + new String(bytes(payload)));
        }

        @Override
        public void onPong(ByteBuffer payload) {
            events.add("pong");
        }

        @Override
        public void onClose(int code) {
            events.add("close " + code);
        }

        @Override
        public void onViolation(int closeCode, String reason) {
            events.add("violation " + closeCode);
        }
    }

    /** A client frame: masked with a random key unless {@code mask} is false. */
    static byte[] frame(boolean fin, int rsv, int opcode, boolean mask, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
        int maskBit = mask ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.writeBytes(ByteBuffer.allocate(2).putShort((short) payload.length).array());
        } else {
            out.write(maskBit | 127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        byte[] body = payload.clone();
        if (mask) {
            byte[] key = new byte[4];
            new Random(payload.length).nextBytes(key);
            out.writeBytes(key);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= key[i % 4];
            }
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] binary(byte[] payload) {
        return frame(true, 0, FrameHeaders.OPCODE_BINARY, true, payload);
    }

    static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length * 31L + 7).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Feeds {@code bytes} in reads of at most {@code chunk} bytes, parsing after each, as a socket would. */
    private static void feed(FrameParser parser, Recorder recorder, byte[] bytes, int chunk) {
        int at = 0;
        while (at < bytes.length) {
            ByteBuffer target = parser.readBuffer();
            int length = Math.min(Math.min(chunk, target.remaining()), bytes.length - at);
            target.put(bytes, at, length);
            at += length;
            parser.parse(recorder);
        }
    }

    private static Recorder parse(byte[] bytes, int chunk) {
        Recorder recorder = new Recorder();
        feed(new FrameParser(true, MAX_MESSAGE, 64, 256), recorder, bytes, chunk);
        return recorder;
    }

    @Test
    void shouldUnmaskPayloadsOfSevenSixteenAndSixtyFourBitLengthsWhateverTheReadSizes() {
        int[] lengths = {0, 1, 7, 125, 126, 127, 1_000, 65_535, 65_536, 99_999};
        for (int chunk : new int[]{1, 3, 500, 1 << 20}) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int length : lengths) {
                all.writeBytes(binary(random(length)));
            }
            Recorder recorder = parse(all.toByteArray(), chunk);
            assertEquals(lengths.length, recorder.binaries.size(), "reads of " + chunk + ": " + recorder.events);
            for (int i = 0; i < lengths.length; i++) {
                assertArrayEquals(random(lengths[i]), recorder.binaries.get(i), "length " + lengths[i]);
            }
        }
    }

    @Test
    void shouldReassembleFragmentsWithControlFramesInBetween() {
        byte[] message = random(3_000);
        byte[] bytes = concat(
                frame(false, 0, FrameHeaders.OPCODE_BINARY, true, Arrays.copyOfRange(message, 0, 1_000)),
                frame(true, 0, FrameHeaders.OPCODE_PING, true, "hi".getBytes()),
                frame(false, 0, FrameHeaders.OPCODE_CONTINUATION, true, Arrays.copyOfRange(message, 1_000, 1_001)),
                frame(true, 0, FrameHeaders.OPCODE_PONG, true, new byte[0]),
                frame(true, 0, FrameHeaders.OPCODE_CONTINUATION, true, Arrays.copyOfRange(message, 1_001, 3_000)),
                binary(new byte[]{42}));
        Recorder recorder = parse(bytes, 7);
        assertEquals(List.of("ping hi", "pong", "binary 3000", "binary 1"), recorder.events);
        assertArrayEquals(message, recorder.binaries.get(0));
    }

    @Test
    void shouldOfferEveryFrameOnceEmptyContinuationsAndControlFramesIncludedWhateverTheReadSizes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(frame(false, 0, FrameHeaders.OPCODE_BINARY, true, new byte[0]));
        for (int i = 0; i < 30; i++) {
            bytes.writeBytes(frame(false, 0, FrameHeaders.OPCODE_CONTINUATION, true, new byte[0]));
            bytes.writeBytes(frame(true, 0, i % 2 == 0 ? FrameHeaders.OPCODE_PING : FrameHeaders.OPCODE_PONG, true,
                    new byte[0]));
        }
        bytes.writeBytes(frame(true, 0, FrameHeaders.OPCODE_CONTINUATION, true, new byte[]{7}));
        bytes.writeBytes(binary(random(300)));
        bytes.writeBytes(frame(true, 0, FrameHeaders.OPCODE_CLOSE, true, new byte[]{0x03, (byte) 0xE8}));
        int frames = 1 + 60 + 1 + 1 + 1;
        for (int chunk : new int[]{1, 5, 1 << 20}) {
            Recorder recorder = new Recorder();
            feed(new FrameParser(true, MAX_MESSAGE, 64, 256), recorder, bytes.toByteArray(), chunk);
            assertEquals(frames, recorder.frames, "reads of " + chunk);
            assertEquals("binary 1", recorder.events.get(30));
            assertEquals(List.of("binary 300", "close 1000"), recorder.events.subList(31, 33));
        }
    }

    @Test
    void shouldHandOverNothingButTheCloseOnceAFrameIsRefused() {
        byte[] bytes = concat(binary(new byte[]{1}), frame(true, 0, FrameHeaders.OPCODE_PING, true, "a".getBytes()),
                binary(new byte[]{2}), frame(true, 0, FrameHeaders.OPCODE_PING, true, "b".getBytes()),
                frame(false, 0, FrameHeaders.OPCODE_BINARY, true, new byte[]{3}),
                frame(true, 0, FrameHeaders.OPCODE_CLOSE, true, new byte[]{0x0F, (byte) 0xA8}));
        for (int chunk : new int[]{1, 1 << 20}) {
            Recorder recorder = new Recorder();
            recorder.acceptFrames = 2;
            feed(new FrameParser(true, MAX_MESSAGE, 64, 256), recorder, bytes, chunk);
            assertEquals(List.of("binary 1", "ping a", "refused", "close 4008"), recorder.events,
                    "the refused frame and those after it are not offered again, the close is still seen");
            assertTrue(recorder.frames == 3);
        }
    }

    @Test
    void shouldReportAMessageOverTheLimitAs1009AndSkipItsPayloadToSeeTheClose() {
        byte[] bytes = concat(binary(random(MAX_MESSAGE + 1)), binary(new byte[]{1}),
                frame(true, 0, FrameHeaders.OPCODE_CLOSE, true, new byte[]{0x03, (byte) 0xE8}));
        Recorder recorder = parse(bytes, 4_096);
        assertEquals(List.of("violation 1009", "close 1000"), recorder.events,
                "nothing after the violation is handed over but the peer's close");
    }

    @Test
    void shouldCountAllFragmentsOfAMessageAgainstTheLimit() {
        byte[] half = random(MAX_MESSAGE / 2 + 1);
        Recorder recorder = parse(concat(frame(false, 0, FrameHeaders.OPCODE_BINARY, true, half),
                frame(true, 0, FrameHeaders.OPCODE_CONTINUATION, true, half)), 1 << 20);
        assertEquals(List.of("violation 1009"), recorder.events);
    }

    @Test
    void shouldRefuseMoreThanTheAllowedFragmentsWith1008() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(frame(false, 0, FrameHeaders.OPCODE_BINARY, true, new byte[]{1}));
        for (int i = 0; i < 64; i++) {
            bytes.writeBytes(frame(false, 0, FrameHeaders.OPCODE_CONTINUATION, true, new byte[]{1}));
        }
        assertEquals(List.of("violation 1008"), parse(bytes.toByteArray(), 1 << 20).events);
    }

    @Test
    void shouldReportBrokenFramingAs1002() {
        byte[][] broken = {
            frame(true, 4, FrameHeaders.OPCODE_BINARY, true, new byte[3]),   // RSV1 without an extension
            frame(true, 1, FrameHeaders.OPCODE_BINARY, true, new byte[3]),   // RSV3
            frame(true, 0, 3, true, new byte[3]),                             // reserved data opcode
            frame(true, 0, 0xB, true, new byte[3]),                           // reserved control opcode
            frame(true, 0, FrameHeaders.OPCODE_BINARY, false, new byte[3]),  // unmasked
            frame(false, 0, FrameHeaders.OPCODE_PING, true, new byte[3]),    // fragmented control frame
            frame(true, 0, FrameHeaders.OPCODE_PING, true, new byte[126]),   // control frame over 125 bytes
            frame(true, 0, FrameHeaders.OPCODE_CONTINUATION, true, new byte[3]), // nothing to continue
            concat(frame(false, 0, FrameHeaders.OPCODE_BINARY, true, new byte[3]),
                    frame(true, 0, FrameHeaders.OPCODE_BINARY, true, new byte[3])), // new message mid-message
            frame(true, 0, FrameHeaders.OPCODE_CLOSE, true, new byte[1]),    // one-byte close body
        };
        for (byte[] bytes : broken) {
            Recorder recorder = parse(concat(bytes, binary(new byte[]{9})), 1 << 20);
            assertEquals(List.of("violation 1002"), recorder.events, Arrays.toString(bytes));
        }
    }

    @Test
    void shouldHandOverTextAndCloseWithoutCode() {
        Recorder recorder = parse(concat(frame(true, 0, FrameHeaders.OPCODE_TEXT, true, "{}".getBytes()),
                frame(true, 0, FrameHeaders.OPCODE_CLOSE, true, new byte[0]), binary(new byte[]{1})), 5);
        assertEquals(List.of("text 2", "close 1005"), recorder.events);
    }

    @Test
    void shouldGrowItsReadBufferOnlyForAFrameThatDoesNotFit() {
        FrameParser parser = new FrameParser(true, MAX_MESSAGE, 64, 256);
        Recorder recorder = new Recorder();
        feed(parser, recorder, concat(binary(random(100)), binary(random(200))), 64);
        assertEquals(256, parser.readBuffer().capacity(), "small frames fit the starting buffer");
        feed(parser, recorder, binary(random(10_000)), 1_000);
        assertTrue(parser.readBuffer().capacity() >= 10_000);
        assertEquals(List.of("binary 100", "binary 200", "binary 10000"), recorder.events);
    }

    @Test
    void shouldParseWhatTheServerWritesWithTheHeadersItWrites() {
        int[] lengths = {0, 125, 126, 65_535, 65_536};
        FrameParser client = new FrameParser(false, MAX_MESSAGE, 1, 128);
        Recorder recorder = new Recorder();
        for (int length : lengths) {
            ByteBuffer frame = ByteBuffer.allocate(FrameHeaders.MAX_SERVER_HEADER_BYTES + length);
            int header = FrameHeaders.write(frame, 0, FrameHeaders.OPCODE_BINARY, length);
            assertEquals(FrameHeaders.headerLength(length), header);
            frame.put(header, random(length));
            feed(client, recorder, Arrays.copyOf(frame.array(), header + length), 10_000);
            assertArrayEquals(random(length), recorder.binaries.get(recorder.binaries.size() - 1));
        }
        feed(client, recorder, FrameHeaders.closeFrame(4010, "é".repeat(100)), 10_000);
        assertEquals("close 4010", recorder.events.get(recorder.events.size() - 1));
        assertTrue(FrameHeaders.closeFrame(4010, "é".repeat(100)).length <= 2 + 125);
    }
}
