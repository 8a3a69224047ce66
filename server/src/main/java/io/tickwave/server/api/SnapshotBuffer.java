package io.tickwave.server.api;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Where a game writes one serialized protobuf message: its state for a viewer, or its welcome info.
 * Reused by the server from call to call; valid only during the call that receives it.
 *
 * <p>Write either a generated message with {@link #write(MessageLite)} (simple, allocates the message)
 * or field by field through {@link #output()} (no allocation).
 */
public interface SnapshotBuffer {

    /** The stream to write the message's fields to. Do not flush it; the server does. */
    CodedOutputStream output();

    /**
     * Writes {@code message}'s fields, as {@code message.writeTo(output())} does, without a checked
     * exception: the server's buffer grows as needed, so writing does not fail; if the stream ever
     * did, the {@link IOException} comes wrapped in an {@link UncheckedIOException}.
     */
    default void write(MessageLite message) {
        try {
            message.writeTo(output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
