package io.tickwave.server.loop;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RingEventTest {

    private static byte[] payloadOf(RingEvent event) {
        return Arrays.copyOfRange(event.array(), event.offset(), event.offset() + event.length());
    }

    @Test
    void shouldHoldSmallPayloadsInlineAndGrowOnceForABigOne() {
        RingEvent event = new RingEvent(1_024);
        byte[] frame = new byte[2_000];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) i;
        }
        event.copyPayload(ByteBuffer.wrap(frame), 5, RingEvent.INLINE_PAYLOAD_BYTES);
        assertEquals(RingEvent.INLINE_PAYLOAD_BYTES, event.array().length, "a small payload fits inline");
        assertArrayEquals(Arrays.copyOfRange(frame, 5, 5 + RingEvent.INLINE_PAYLOAD_BYTES), payloadOf(event));

        event.copyPayload(ByteBuffer.wrap(frame), 100, 1_000);
        byte[] grown = event.array();
        assertEquals(1_024, grown.length, "grown once, straight to the maximum");
        assertArrayEquals(Arrays.copyOfRange(frame, 100, 1_100), payloadOf(event));

        event.copyPayload(ByteBuffer.wrap(frame), 0, 3);
        assertSame(grown, event.array(), "never shrinks, so it grows at most once");
        assertArrayEquals(new byte[]{0, 1, 2}, payloadOf(event));
    }

    @Test
    void shouldRefuseAPayloadOverTheMaximum() {
        RingEvent event = new RingEvent(100);
        assertThrows(IllegalArgumentException.class, () -> event.copyPayload(ByteBuffer.allocate(200), 0, 101));
    }
}
