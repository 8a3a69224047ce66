package io.tickwave.server.api;

import io.tickwave.server.testgame.protocol.WalkerInput;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class InputPayloadTest {

    /** The payload bytes at an offset inside a bigger array, as the server hands them over. */
    private static InputPayload within(byte[] payload) {
        byte[] frame = new byte[payload.length + 5];
        System.arraycopy(payload, 0, frame, 3, payload.length);
        return new InputPayload() {
            @Override
            public byte[] array() {
                return frame;
            }

            @Override
            public int offset() {
                return 3;
            }

            @Override
            public int length() {
                return payload.length;
            }
        };
    }

    @Test
    void shouldParseTheGamesInputMessageFromItsSliceOfTheArray() {
        WalkerInput sent = WalkerInput.newBuilder().setMoveX(1).setMoveY(-1).setFire(true).build();

        assertEquals(sent, within(sent.toByteArray()).parse(WalkerInput.parser()));
    }

    @Test
    void shouldAnswerNullForBytesThatAreNotTheMessage() {
        assertNull(within(new byte[]{(byte) 0xFF, (byte) 0xFF}).parse(WalkerInput.parser()));
    }
}
