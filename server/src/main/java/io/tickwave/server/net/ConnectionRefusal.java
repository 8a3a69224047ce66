package io.tickwave.server.net;

/**
 * Why a WebSocket upgrade was refused before the handshake, with the HTTP answer it gets
 * (docs/protocol.md, "Refusals at upgrade").
 */
public enum ConnectionRefusal {

    /** {@code --max-connections} WebSockets are open: the server is full. */
    GLOBAL("global", 503, "server full: too many connections, try again later"),
    /** {@code --max-connections-per-address} WebSockets are open from the client's address. */
    PER_ADDRESS("per_address", 429, "too many connections from your address"),
    /** The browser page's {@code Origin} is not one of {@code --allowed-origins}. */
    ORIGIN("origin", 403, "origin not allowed");

    private final String label;
    private final int httpStatus;
    private final String body;

    ConnectionRefusal(String label, int httpStatus, String body) {
        this.label = label;
        this.httpStatus = httpStatus;
        this.body = body;
    }

    /** The {@code reason} label of {@code tickwave_connections_refused_total}. */
    public String label() {
        return label;
    }

    /** The status the upgrade request is answered with instead of 101. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The short plain-text body of that answer. */
    public String body() {
        return body;
    }
}
