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
        String token = new SeatTokens("node-b", SECRET, clockMs::get).issue("node-a", 42, 5_000);
        assertEquals(42, nodeA.roomOf(token), "any node may issue a token for any node");
    }

    @Test
    void shouldRefuseAnExpiredToken() {
        String token = nodeA.issue("node-a", 7, 5_000);
        clockMs.addAndGet(5_000);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> nodeA.roomOf(token));
        assertTrue(refused.getMessage().contains("expired"), refused.getMessage());
    }

    @Test
    void shouldRefuseATokenForAnotherNode() {
        String token = nodeA.issue("node-b", 7, 5_000);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> nodeA.roomOf(token));
        assertTrue(refused.getMessage().contains("node-b"), refused.getMessage());
    }

    @Test
    void shouldRefuseATokenSignedWithAnotherKeyOrAltered() {
        String foreign = new SeatTokens("node-a", "another-cluster-secret-456", clockMs::get).issue("node-a", 7, 5_000);
        assertThrows(IllegalArgumentException.class, () -> nodeA.roomOf(foreign));
        String token = nodeA.issue("node-a", 7, 5_000);
        String[] parts = token.split("\\.");
        String otherRoom = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("node-a|8|" + (clockMs.get() + 5_000)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> nodeA.roomOf(parts[0] + "." + otherRoom + "." + parts[2]));
        assertThrows(IllegalArgumentException.class, () -> nodeA.roomOf("v1.garbage"));
        assertThrows(IllegalArgumentException.class, () -> nodeA.roomOf(""));
    }
}
