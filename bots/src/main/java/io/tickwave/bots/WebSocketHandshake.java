package io.tickwave.bots;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The client side of the RFC 6455 opening handshake: the HTTP/1.1 upgrade request and the check of
 * the server's 101 answer ({@code Sec-WebSocket-Accept} must be the base64 SHA-1 of our key and the
 * RFC's GUID).
 *
 * <p>One instance per connection, owned by that connection's lane thread.
 */
final class WebSocketHandshake {

    private static final String RFC6455_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final String key;

    WebSocketHandshake(SplittableRandom random) {
        byte[] nonce = new byte[16];
        for (int i = 0; i < nonce.length; i += 8) {
            long bits = random.nextLong();
            for (int b = 0; b < 8; b++) {
                nonce[i + b] = (byte) (bits >>> (8 * b));
            }
        }
        this.key = Base64.getEncoder().encodeToString(nonce);
    }

    String key() {
        return key;
    }

    /** The upgrade request for {@code url} (ws:// only: the bots measure the server, not TLS). */
    byte[] request(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        String host = url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        return ("GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Index just past the blank line that ends the response head in {@code buf[0, length)}, or -1
     * when the head is not complete yet.
     */
    static int endOfHead(byte[] buf, int length) {
        for (int i = 3; i < length; i++) {
            if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Checks the response head {@code buf[0, headLength)}; returns null when it accepts the upgrade,
     * otherwise what is wrong (the status line, or the header that does not match).
     */
    String problemWith(byte[] buf, int headLength) {
        String[] lines = new String(buf, 0, headLength, StandardCharsets.ISO_8859_1).split("\r\n");
        if (lines.length == 0 || !lines[0].matches("HTTP/1\\.1 101( .*)?")) {
            return "no upgrade: " + (lines.length == 0 ? "empty answer" : lines[0]);
        }
        String accept = null;
        boolean upgrade = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("sec-websocket-accept")) {
                accept = value;
            } else if (name.equals("upgrade")) {
                upgrade = value.equalsIgnoreCase("websocket");
            }
        }
        if (!upgrade) {
            return "101 without Upgrade: websocket";
        }
        if (!expectedAccept().equals(accept)) {
            return "wrong Sec-WebSocket-Accept: " + accept;
        }
        return null;
    }

    String expectedAccept() {
        return acceptFor(key);
    }

    /** What a server answers for {@code key}; the tests' server uses it too. */
    static String acceptFor(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + RFC6455_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
