package io.tickwave.server.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionLimiterTest {

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void shouldRefuseOverTheGlobalCapAndAdmitAgainAfterARelease() throws Exception {
        AtomicInteger open = new AtomicInteger();
        ConnectionLimiter limiter = new ConnectionLimiter(2, 10, open);
        ConnectionLimiter.Permit first = limiter.tryAcquire(address("10.0.0.1"));
        ConnectionLimiter.Permit second = limiter.tryAcquire(address("10.0.0.2"));
        ConnectionLimiter.Permit third = limiter.tryAcquire(address("10.0.0.3"));
        assertTrue(first.granted());
        assertTrue(second.granted());
        assertEquals(ConnectionRefusal.GLOBAL, third.refusal());
        assertEquals(2, open.get());
        first.release();
        assertTrue(limiter.tryAcquire(address("10.0.0.3")).granted());
        assertEquals(2, open.get());
    }

    @Test
    void shouldRefuseOverThePerAddressCapWithoutHoldingAGlobalSlot() throws Exception {
        AtomicInteger open = new AtomicInteger();
        ConnectionLimiter limiter = new ConnectionLimiter(10, 2, open);
        limiter.tryAcquire(address("10.0.0.1"));
        limiter.tryAcquire(address("10.0.0.1"));
        ConnectionLimiter.Permit third = limiter.tryAcquire(address("10.0.0.1"));
        assertEquals(ConnectionRefusal.PER_ADDRESS, third.refusal());
        assertEquals(2, open.get());
        assertTrue(limiter.tryAcquire(address("10.0.0.2")).granted(), "another address is not affected");
    }

    @Test
    void shouldCountAReleaseOnlyOnce() throws Exception {
        AtomicInteger open = new AtomicInteger();
        ConnectionLimiter limiter = new ConnectionLimiter(10, 10, open);
        ConnectionLimiter.Permit permit = limiter.tryAcquire(address("10.0.0.1"));
        limiter.tryAcquire(address("10.0.0.1"));
        permit.release();
        permit.release();
        assertEquals(1, open.get());
        assertEquals(1, limiter.openFrom(address("10.0.0.1")));
    }

    @Test
    void shouldNotCountTheReleaseOfARefusal() throws Exception {
        AtomicInteger open = new AtomicInteger();
        ConnectionLimiter limiter = new ConnectionLimiter(1, 10, open);
        limiter.tryAcquire(address("10.0.0.1"));
        ConnectionLimiter.Permit refused = limiter.tryAcquire(address("10.0.0.2"));
        refused.release();
        assertEquals(1, open.get());
        assertEquals(ConnectionRefusal.GLOBAL, limiter.tryAcquire(address("10.0.0.3")).refusal(),
                "the refused permit's release did not free the one slot");
    }

    @Test
    void shouldForgetAnAddressWhoseConnectionsAllEnded() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(10, 1, new AtomicInteger());
        limiter.tryAcquire(address("10.0.0.1")).release();
        assertEquals(0, limiter.openFrom(address("10.0.0.1")));
        assertTrue(limiter.tryAcquire(address("10.0.0.1")).granted());
    }

    @Test
    void shouldCountIpv6ClientsPerSlash64() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(10, 2, new AtomicInteger());
        assertTrue(limiter.tryAcquire(address("2001:db8:1:2::1")).granted());
        assertTrue(limiter.tryAcquire(address("2001:db8:1:2:ffff::9")).granted());
        assertFalse(limiter.tryAcquire(address("2001:db8:1:2:abcd::7")).granted(), "same /64");
        assertTrue(limiter.tryAcquire(address("2001:db8:1:3::1")).granted(), "another /64");
    }

    @Test
    void shouldExemptLoopbackClientsFromThePerAddressCapButNotFromTheGlobalOne() throws Exception {
        AtomicInteger open = new AtomicInteger();
        ConnectionLimiter limiter = new ConnectionLimiter(3, 1, open);
        ConnectionLimiter.Permit first = limiter.tryAcquire(address("127.0.0.1"));
        assertTrue(first.granted());
        assertTrue(limiter.tryAcquire(address("127.0.0.1")).granted());
        assertTrue(limiter.tryAcquire(address("::1")).granted());
        assertEquals(ConnectionRefusal.GLOBAL, limiter.tryAcquire(address("127.0.0.1")).refusal());
        first.release();
        assertEquals(2, open.get());
        assertTrue(limiter.tryAcquire(address("127.0.0.1")).granted());
    }
}
