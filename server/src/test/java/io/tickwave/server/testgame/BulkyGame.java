package io.tickwave.server.testgame;

import io.tickwave.server.api.SnapshotBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A {@link WalkerGame} whose snapshots carry {@value #PADDING_BYTES} bytes of padding (as an unknown
 * field, which readers skip), so that a client that stops reading fills socket buffers in seconds.
 */
public final class BulkyGame extends WalkerGame {

    public static final int PADDING_BYTES = 60_000;
    private static final int PADDING_FIELD = 99;

    private final byte[] padding = new byte[PADDING_BYTES];

    @Override
    public void writeSnapshot(int viewerId, long baselineTick, SnapshotBuffer out) {
        super.writeSnapshot(viewerId, baselineTick, out);
        try {
            out.output().writeByteArray(PADDING_FIELD, padding);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
