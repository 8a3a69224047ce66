package io.tickwave.client;

import io.tickwave.protocol.ErrorCode;

/**
 * Why a join (or the connection) failed: the server's {@code Error} ({@link #errorCode()}, its
 * message), or a close before the welcome ({@link #closeCode()}), or a transport failure. Unchecked:
 * callers are not made to catch it.
 */
public final class TickwaveException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int errorCode;
    private final int closeCode;

    public TickwaveException(String message, int errorCode, int closeCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.closeCode = closeCode;
    }

    static TickwaveException error(int code, String message) {
        return new TickwaveException(errorName(code) + ": " + message, code, 0, null);
    }

    static TickwaveException closed(int closeCode, String reason) {
        return new TickwaveException("closed " + closeCode + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")"),
                0, closeCode, null);
    }

    /** The {@code ErrorCode} number of the server's {@code Error}; 0 when the failure was not one. */
    public int errorCode() {
        return errorCode;
    }

    /** The WebSocket close code; 0 when the connection did not close (yet). */
    public int closeCode() {
        return closeCode;
    }

    /**
     * The name of an {@code ErrorCode} number, also of those newer than this build's tickwave.proto (as
     * docs/protocol.md lists them); the number itself when unknown.
     */
    public static String errorName(int code) {
        ErrorCode known = ErrorCode.forNumber(code);
        if (known != null && known != ErrorCode.UNRECOGNIZED) {
            return known.name();
        }
        return switch (code) {
            case 15 -> "BAD_JOIN_OPTIONS";
            case 16 -> "ROOM_NOT_FOUND";
            case 17 -> "ROOM_FULL";
            case 18 -> "ROOM_LOCKED";
            case 19 -> "JOIN_REFUSED";
            case 20 -> "KICKED";
            case 21 -> "ROOM_ENDED";
            default -> "error " + code;
        };
    }
}
