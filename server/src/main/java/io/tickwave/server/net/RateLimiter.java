package io.tickwave.server.net;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, holding at most {@code burst}. Owned by one
 * connection's IO thread; not thread-safe.
 */
public final class RateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long nanosPerToken;
    private final long burstNanos;
    /** The time at which the bucket would be empty; tokens are the distance from now to it. */
    private long emptyAtNs;

    public RateLimiter(int ratePerSecond, int burst, long nowNs) {
        this.nanosPerToken = NANOS_PER_SECOND / ratePerSecond;
        this.burstNanos = nanosPerToken * burst;
        this.emptyAtNs = nowNs - burstNanos;
    }

    /** Takes one token if there is one. */
    public boolean tryAcquire(long nowNs) {
        long floor = nowNs - burstNanos;
        if (emptyAtNs - floor < 0) {
            emptyAtNs = floor;
        }
        long next = emptyAtNs + nanosPerToken;
        if (next - nowNs > 0) {
            return false;
        }
        emptyAtNs = next;
        return true;
    }
}
