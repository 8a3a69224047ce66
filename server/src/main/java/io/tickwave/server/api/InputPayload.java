package io.tickwave.server.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;

import java.nio.ByteBuffer;

/**
 * The bytes of one input's game payload, as the client sent them. A view into a buffer the server
 * reuses: valid only during {@link Game#input}, so copy out what must outlive the call.
 */
public interface InputPayload {

    /** The backing array; the payload is {@code length()} bytes from {@code offset()}. */
    byte[] array();

    int offset();

    int length();

    /** A read-only view of the payload (allocates; handy for {@code Message.parseFrom}). */
    default ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(array(), offset(), length()).slice().asReadOnlyBuffer();
    }

    /**
     * The payload parsed as the game's own input message, e.g. {@code payload.parse(Move.parser())}, or
     * null when the bytes are not one (a game usually ignores such an input). Allocates the message; a
     * game that must not allocate per input reads {@link #array()} with a {@code CodedInputStream} of its own.
     */
    default <T> T parse(Parser<T> parser) {
        try {
            return parser.parseFrom(array(), offset(), length());
        } catch (InvalidProtocolBufferException malformed) {
            return null;
        }
    }
}
