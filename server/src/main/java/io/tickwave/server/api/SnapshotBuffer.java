package io.tickwave.server.api;

import com.google.protobuf.CodedOutputStream;

/**
 * Where a game writes one serialized protobuf message: its state for a viewer, or its welcome info.
 * Reused by the server from call to call; valid only during the call that receives it.
 *
 * <p>Write either with generated classes ({@code message.writeTo(out.output())}, simple, allocates
 * the message) or field by field through {@link #output()} (no allocation).
 */
public interface SnapshotBuffer {

    /** The stream to write the message's fields to. Do not flush it; the server does. */
    CodedOutputStream output();
}
