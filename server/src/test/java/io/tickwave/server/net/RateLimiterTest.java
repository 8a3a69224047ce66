package io.tickwave.server.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldAllowABurstThenRefillAtTheRate() {
        long now = 5 * SECOND;
        RateLimiter limiter = new RateLimiter(10, 5, now);
        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.tryAcquire(now), "burst token " + i);
        }
        assertFalse(limiter.tryAcquire(now));
        assertTrue(limiter.tryAcquire(now + SECOND / 10));
        assertFalse(limiter.tryAcquire(now + SECOND / 10));
    }

    @Test
    void shouldNotSaveUpMoreThanTheBurstWhileIdle() {
        long now = 0;
        RateLimiter limiter = new RateLimiter(10, 3, now);
        now += 60 * SECOND;
        int granted = 0;
        while (limiter.tryAcquire(now)) {
            granted++;
        }
        assertTrue(granted == 3, "granted " + granted);
    }
}
