package io.tickwave.server.api;

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
}
