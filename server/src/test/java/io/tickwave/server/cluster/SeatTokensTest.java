package io.tickwave.server.cluster;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seat tokens are checked by signature, node and expiry alone, with no round trip. */
class SeatTokensTest {

    private static final String SECRET = "a-secret-of-the-cluster-0123";

    private final AtomicLong clockMs = new AtomicLong(1_000_000);
    private final SeatTokens nodeA = new SeatTokens("node-a", SECRET, clockMs::get);

    @Test
    void shouldSeatTheHolderOfAFreshTokenForThisNodeInItsRoom() {
        String token = new SeatTokens("node-b", SECRET, clockMs::get).issue("node-a", 42, 5_000, "r42");
        assertEquals(42, nodeA.check(token).roomId(), "any node may issue a token for any node");
        assertEquals("r42", nodeA.check(token).reservation(), "the seat names the reservation it fills");
    }

    @Test
    void shouldRefuseAnExpiredToken() {
        String token = nodeA.issue("node-a", 7, 5_000, "r7");
        clockMs.addAndGet(5_000);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> nodeA.check(token));
        assertTrue(refused.getMessage().contains("expired"), refused.getMessage());
    }

    @Test
    void shouldRefuseATokenForAnotherNode() {
        String token = nodeA.issue("node-b", 7, 5_000, "r7");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> nodeA.check(token));
        assertTrue(refused.getMessage().contains("node-b"), refused.getMessage());
    }

    @Test
    void shouldRefuseATokenSignedWithAnotherKeyOrAltered() {
        String foreign = new SeatTokens("node-a", "another-cluster-secret-456", clockMs::get).issue("node-a", 7, 5_000, "r7");
        assertThrows(IllegalArgumentException.class, () -> nodeA.check(foreign));
        String token = nodeA.issue("node-a", 7, 5_000, "r7");
        String[] parts = token.split("\\.");
        String otherRoom = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("node-a|8|" + (clockMs.get() + 5_000) + "|r7").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> nodeA.check(parts[0] + "." + otherRoom + "." + parts[2]));
        assertThrows(IllegalArgumentException.class, () -> nodeA.check("v1.garbage"));
        assertThrows(IllegalArgumentException.class, () -> nodeA.check(""));
    }
}
