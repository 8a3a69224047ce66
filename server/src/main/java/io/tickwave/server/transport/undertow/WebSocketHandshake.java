package io.tickwave.server.transport.undertow;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import io.undertow.util.StatusCodes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The server side of the WebSocket opening handshake (RFC 6455 section 4.2): checks the request,
 * answers 101 with {@code Sec-WebSocket-Accept}, and hands the upgraded connection to an
 * {@link HttpUpgradeListener}, after which Undertow no longer touches it. No subprotocol and no
 * extension is negotiated (so a browser's permessage-deflate offer is declined by omission).
 *
 * <p>A request that is not a WebSocket handshake at all gets 426 (with {@code Upgrade: websocket}), one
 * that asks for another version 426 with {@code Sec-WebSocket-Version: 13}, any other broken handshake
 * 400. Stateless; runs on Undertow's IO threads.
 */
final class WebSocketHandshake implements HttpHandler {

    /** The GUID every server appends to the client's key (section 1.3). */
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final HttpString SEC_WEBSOCKET_ACCEPT = new HttpString("Sec-WebSocket-Accept");

    private final HttpUpgradeListener upgraded;

    WebSocketHandshake(HttpUpgradeListener upgraded) {
        this.upgraded = upgraded;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        HeaderMap headers = exchange.getRequestHeaders();
        if (!hasToken(headers.getFirst(Headers.UPGRADE), "websocket")) {
            exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
            refuse(exchange, StatusCodes.UPGRADE_REQUIRED, "this endpoint speaks WebSocket only");
            return;
        }
        if (!"13".equals(trimmed(headers.getFirst(Headers.SEC_WEB_SOCKET_VERSION)))) {
            exchange.getResponseHeaders().put(Headers.SEC_WEB_SOCKET_VERSION, "13");
            refuse(exchange, StatusCodes.UPGRADE_REQUIRED, "WebSocket version 13 only");
            return;
        }
        String problem = problemWith(exchange, headers);
        if (problem != null) {
            refuse(exchange, StatusCodes.BAD_REQUEST, problem);
            return;
        }
        exchange.upgradeChannel(upgraded); // sets 101 and Connection: Upgrade
        exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
        exchange.getResponseHeaders().put(SEC_WEBSOCKET_ACCEPT, acceptFor(trimmed(headers.getFirst(Headers.SEC_WEB_SOCKET_KEY))));
        exchange.endExchange();
    }

    private static String problemWith(HttpServerExchange exchange, HeaderMap headers) {
        if (!Methods.GET.equals(exchange.getRequestMethod())) {
            return "a WebSocket handshake is a GET";
        }
        if (!Protocols.HTTP_1_1.equals(exchange.getProtocol())) {
            return "a WebSocket handshake needs HTTP/1.1";
        }
        if (!hasToken(headers.getFirst(Headers.CONNECTION), "upgrade")) {
            return "Connection must include Upgrade";
        }
        if (headers.getFirst(Headers.HOST) == null) {
            return "Host is missing";
        }
        String key = trimmed(headers.getFirst(Headers.SEC_WEB_SOCKET_KEY));
        if (key == null || !isSixteenBytesInBase64(key)) {
            return "Sec-WebSocket-Key must be 16 bytes in base64";
        }
        return null;
    }

    private static boolean isSixteenBytesInBase64(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /** True when a comma-separated header value holds {@code token}, ignoring case and spaces. */
    private static boolean hasToken(String headerValue, String token) {
        if (headerValue == null) {
            return false;
        }
        for (String part : headerValue.split(",")) {
            if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
                return true;
            }
        }
        return false;
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    /** {@code base64(SHA-1(key + GUID))}, section 4.2.2. */
    static String acceptFor(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(
                    sha1.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static void refuse(HttpServerExchange exchange, int status, String why) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(why);
    }
}
