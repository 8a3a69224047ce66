package io.tickwave.server.cluster;

import io.tickwave.server.net.InboundGateway;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.LongSupplier;

/**
 * Seat tokens: what {@code POST /matchmake} hands a player and the target node checks at join, with no
 * round trip to Redis. A token is {@code v1.<payload>.<mac>}, both parts base64url without padding; the
 * payload is {@code nodeId|roomId|expiresAtEpochMs|reservation} and the MAC is HMAC-SHA256 of the payload's bytes
 * under {@code --cluster-secret}, which every node of a cluster shares. Any node may issue a token for
 * any node; only the named node accepts it, and only until it expires (wall clocks, so nodes keep them
 * in sync with NTP; a second of skew shortens or lengthens a token by as much).
 *
 * <p>Thread-safe: the key is immutable and each thread gets a {@link Mac} of its own. Issued on
 * Lettuce threads (matchmaking), checked on IO threads (joins).
 */
public final class SeatTokens implements InboundGateway.SeatCheck {

    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Longer than any token this class issues; a bigger one is refused before decoding. */
    private static final int MAX_TOKEN_CHARS = 512;

    private final String ownNodeId;
    private final SecretKeySpec key;
    private final LongSupplier wallClockMs;
    private final ThreadLocal<Mac> macs;

    /**
     * @param ownNodeId   the node whose tokens {@link #check} accepts
     * @param wallClockMs epoch milliseconds, {@code System::currentTimeMillis} outside tests
     */
    public SeatTokens(String ownNodeId, String secret, LongSupplier wallClockMs) {
        this.ownNodeId = ownNodeId;
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.wallClockMs = wallClockMs;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot compute " + ALGORITHM, e);
        }
    }

    /**
     * A token for a seat in room {@code roomId} of node {@code nodeId}, valid for {@code validMs}, filling
     * the matchmaker's reservation {@code reservation} (hex or similar: no '|').
     */
    public String issue(String nodeId, int roomId, long validMs, String reservation) {
        String payload = nodeId + "|" + roomId + "|" + (wallClockMs.getAsLong() + validMs) + "|" + reservation;
        byte[] payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
        return VERSION + "." + ENCODER.encodeToString(payloadBytes) + "." + ENCODER.encodeToString(mac(payloadBytes));
    }

    private byte[] mac(byte[] payload) {
        Mac mac = macs.get();
        mac.reset();
        return mac.doFinal(payload);
    }

    /**
     * The seat a valid token of this node's holds: its room and reservation.
     *
     * @throws IllegalArgumentException saying what is wrong: missing, malformed, signed with another key,
     *                                  expired, or for another node
     */
    @Override
    public InboundGateway.Seat check(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("this server is a cluster node: join with the seat_token of POST /matchmake");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new IllegalArgumentException("malformed seat token");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new IllegalArgumentException("malformed seat token");
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(parts[1]);
            signature = DECODER.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed seat token", e);
        }
        if (!MessageDigest.isEqual(mac(payload), signature)) {
            throw new IllegalArgumentException("seat token not signed by this cluster");
        }
        String[] fields = new String(payload, StandardCharsets.UTF_8).split("\\|", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException("malformed seat token");
        }
        int roomId;
        long expiresAtMs;
        try {
            roomId = Integer.parseInt(fields[1]);
            expiresAtMs = Long.parseLong(fields[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed seat token", e);
        }
        if (!ownNodeId.equals(fields[0])) {
            throw new IllegalArgumentException("seat token is for node " + fields[0] + ", this is " + ownNodeId);
        }
        if (wallClockMs.getAsLong() >= expiresAtMs) {
            throw new IllegalArgumentException("seat token expired: matchmake again");
        }
        if (roomId <= 0) {
            throw new IllegalArgumentException("malformed seat token");
        }
        return new InboundGateway.Seat(roomId, fields[3]);
    }
}
