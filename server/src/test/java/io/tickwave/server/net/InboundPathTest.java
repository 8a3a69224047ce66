package io.tickwave.server.net;

import io.tickwave.protocol.ChatSend;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Input;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.Ping;
import io.tickwave.server.net.InboundPathHarness.Played;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs for {@link InboundPathHarness} written by hand, each aimed at one part of the inbound path, so
 * that the harness is known to reach it (the fuzzer starts from the same kinds of input), and named
 * regression cases for what the fuzzer finds.
 */
class InboundPathTest {

    /** Builds a harness input step by step, in the format {@link InboundPathHarness} documents. */
    static final class Steps {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Steps frame(int firstByte, byte[] payload) {
            out.write(0);
            out.write(firstByte);
            out.write(payload.length >> 8);
            out.write(payload.length);
            out.writeBytes(payload);
            return this;
        }

        Steps message(ClientMessage message) {
            return message(message.toByteArray());
        }

        Steps message(byte[] bytes) {
            out.write(1);
            out.write(bytes.length >> 8);
            out.write(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        Steps raw(byte[] bytes) {
            out.write(2);
            out.write(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        Steps waitMs(int millis) {
            out.write(3);
            out.write(millis);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    static ClientMessage join(String name) {
        return ClientMessage.newBuilder().setJoin(Join.newBuilder().setName(name).setProtocolVersion(2)).build();
    }

    static ClientMessage input(int seq) {
        return ClientMessage.newBuilder().setInput(Input.newBuilder().setSeq(seq)
                .setPayload(com.google.protobuf.ByteString.copyFrom(new byte[]{8, 2})).setNewestSnapshotTick(3)).build();
    }

    @Test
    void shouldPublishAWellBehavedSessionAndAnswerItsPings() {
        Played played = InboundPathHarness.play(new Steps().message(join("fuzz")).waitMs(20)
                .message(input(1)).message(input(2))
                .message(ClientMessage.newBuilder().setChat(ChatSend.newBuilder().setText(" hi ")).build())
                .message(ClientMessage.newBuilder().setPing(Ping.newBuilder().setClientTime(99)).build())
                .frame(0x89, "ws".getBytes()).waitMs(40).bytes());
        assertEquals(0, played.clientCloseCode());
        assertEquals(2, played.metrics().inputsApplied.get());
        assertEquals(1, played.metrics().chatLines.get());
        assertEquals(2, played.metrics().joins.get(), "the observer and the fuzzed client");
    }

    @Test
    void shouldReassembleAMessageFromFragmentsAndReadsWithControlFramesBetween() {
        byte[] message = join("pieces").toByteArray();
        Played played = InboundPathHarness.play(new Steps()
                .frame(0x02, Arrays.copyOfRange(message, 0, 2))
                .frame(0x89, new byte[0])
                .frame(0x00, Arrays.copyOfRange(message, 2, 5))
                .frame(0x8A, new byte[0])
                .frame(0x80, Arrays.copyOfRange(message, 5, message.length))
                .waitMs(20).bytes());
        assertEquals(0, played.clientCloseCode());
        assertEquals(2, played.metrics().joins.get());
    }

    @Test
    void shouldCloseUndecodableBytesWith4002AndBrokenFramingWith1002() {
        assertEquals(CloseCodes.MALFORMED, InboundPathHarness.play(new Steps()
                .message(new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}).bytes()).clientCloseCode());
        assertEquals(CloseCodes.PROTOCOL_ERROR, InboundPathHarness.play(new Steps()
                .raw(new byte[]{(byte) 0x82, 0x01, 0x0A}).message(join("late")).bytes()).clientCloseCode(),
                "an unmasked frame, and nothing after it is read");
        assertEquals(CloseCodes.UNKNOWN_MESSAGE, InboundPathHarness.play(new Steps()
                .message(new byte[0]).bytes()).clientCloseCode());
    }

    @Test
    void shouldCloseFloodsOfPingsAndOfEmptyContinuationsWith4008() {
        Steps pings = new Steps();
        for (int i = 0; i < 300; i++) {
            pings.frame(0x89, new byte[0]);
        }
        Played pinged = InboundPathHarness.play(pings.bytes());
        assertEquals(CloseCodes.RATE_LIMITED, pinged.clientCloseCode());
        assertEquals(1, pinged.metrics().rateLimited.sum());

        byte[] ping = ClientMessage.newBuilder().setPing(Ping.newBuilder().setClientTime(1)).build().toByteArray();
        Steps fragments = new Steps();
        for (int message = 0; message < 5; message++) {
            fragments.frame(0x02, new byte[0]);
            for (int i = 0; i < 62; i++) {
                fragments.frame(0x00, new byte[0]);
            }
            fragments.frame(0x80, ping);
        }
        assertEquals(CloseCodes.RATE_LIMITED, InboundPathHarness.play(fragments.bytes()).clientCloseCode());
    }

    @Test
    void shouldRefuseInputsTheFullRingCannotTakeAndStillDeliverTheLeave() {
        Steps steps = new Steps().message(join("busy")).waitMs(20);
        for (int seq = 1; seq <= 80; seq++) {
            steps.message(input(seq));
        }
        Played played = InboundPathHarness.play(steps.bytes());
        assertTrue(played.metrics().ringFullDrops.sum() > 0, "the 64-slot ring filled");
        assertEquals(1, played.metrics().leavesDeferred.sum(), "the leave waited beside the full ring");
        assertEquals(1, played.metrics().leaves.get());
    }
}
