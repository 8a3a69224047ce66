package io.tickwave.testkit;

import io.tickwave.protocol.ErrorCode;

/**
 * A join (or reconnect) the server did not seat: it answered with an {@code Error}, or closed the
 * connection, instead of a {@code Welcome}. Thrown by {@link GameTester#join} and
 * {@link TestPlayer#reconnect}; {@link GameTester#requestJoin} does not throw, so a test can look at the
 * refusal through {@link TestPlayer#errors()} and {@link TestPlayer#closeCode()}.
 */
public final class JoinRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;
    private final String reason;
    private final int closeCode;

    JoinRefusedException(String who, ErrorCode code, String reason, int closeCode) {
        super(who + "'s join was refused: " + (code == null ? "no error" : code + " \"" + reason + "\"")
                + (closeCode == 0 ? "" : ", connection closed with " + closeCode));
        this.code = code;
        this.reason = reason;
        this.closeCode = closeCode;
    }

    /** The error code the server answered with; null if it only closed the connection. */
    public ErrorCode code() {
        return code;
    }

    /** The error's message (for {@code JOIN_REFUSED}, the game's reason); empty if none. */
    public String reason() {
        return reason == null ? "" : reason;
    }

    /** The close code the server closed the connection with; 0 if it stayed open. */
    public int closeCode() {
        return closeCode;
    }
}
