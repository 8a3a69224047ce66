package io.tickwave.replication;

/**
 * A replicated state stream that does not follow docs/replication.md: it ends early, has a gamma code
 * longer than 32 bits, names an unknown entity type or baseline, or leaves more than padding behind.
 * Unchecked: a decoder drops the snapshot (and usually the connection); it is never a bug of the caller.
 */
public final class MalformedStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedStateException(String message) {
        super(message);
    }
}
