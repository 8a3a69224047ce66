package io.tickwave.server.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps open WebSocket connections, in all and per client address. A connection takes a {@link Permit}
 * before its handshake and gives it back when it ends; a refused one never holds a slot.
 *
 * <p>Loopback clients are exempt from the per-address cap (not from the global one): on the server's
 * own host run the bot swarm, benchmarks, health checkers and reverse proxies, which share one address
 * by nature and are the operator's own.
 *
 * <p>IPv6 clients are counted per /64 network, the block one host or home is usually given, so a client
 * cannot step around the per-address cap by rotating the low bits of its address.
 *
 * <p>Threads: any thread (the transport's IO threads). The global count is a lock-free counter; the
 * per-address counts use {@link ConcurrentHashMap#compute}, which holds one bin's lock for a few
 * instructions and never waits on I/O.
 */
public final class ConnectionLimiter {

    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger open;
    private final Map<InetAddress, Integer> openByAddress = new ConcurrentHashMap<>();

    /**
     * @param open the gauge of connections holding a permit; this limiter is its only writer
     */
    public ConnectionLimiter(int maxConnections, int maxPerAddress, AtomicInteger open) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.open = open;
    }

    /** Takes a slot for a connection from {@code address}, or says which cap refused it. */
    public Permit tryAcquire(InetAddress address) {
        int before;
        do {
            before = open.get();
            if (before >= maxConnections) {
                return new Permit(this, null, ConnectionRefusal.GLOBAL);
            }
        } while (!open.compareAndSet(before, before + 1));
        if (address.isLoopbackAddress()) {
            return new Permit(this, null, null);
        }
        InetAddress key = keyOf(address);
        boolean[] granted = {false};
        openByAddress.compute(key, (ignored, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerAddress) {
                return count;
            }
            granted[0] = true;
            return current + 1;
        });
        if (!granted[0]) {
            open.decrementAndGet();
            return new Permit(this, null, ConnectionRefusal.PER_ADDRESS);
        }
        return new Permit(this, key, null);
    }

    /** Connections holding a permit now. */
    public int open() {
        return open.get();
    }

    /** Connections holding a permit from {@code address} (its /64 for IPv6) now; 0 for loopback. */
    public int openFrom(InetAddress address) {
        return openByAddress.getOrDefault(keyOf(address), 0);
    }

    /** @param key the per-address key, or null for a loopback client (not counted per address) */
    private void release(InetAddress key) {
        if (key != null) {
            openByAddress.computeIfPresent(key, (ignored, count) -> count > 1 ? count - 1 : null);
        }
        open.decrementAndGet();
    }

    /** The address itself for IPv4; the /64 network for IPv6. */
    static InetAddress keyOf(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] network = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(network, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(network);
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return address;
    }

    /**
     * One connection's slot, or a refusal. {@link #release()} gives the slot back; it may be called from
     * every path that ends the connection, as only the first call counts.
     */
    public static final class Permit {
        private final ConnectionLimiter limiter;
        private final InetAddress key;
        private final ConnectionRefusal refusal;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(ConnectionLimiter limiter, InetAddress key, ConnectionRefusal refusal) {
            this.limiter = limiter;
            this.key = key;
            this.refusal = refusal;
        }

        public boolean granted() {
            return refusal == null;
        }

        /** Which cap refused the connection; null when granted. */
        public ConnectionRefusal refusal() {
            return refusal;
        }

        /** Gives the slot back, once; later calls, and calls on a refusal, do nothing. */
        public void release() {
            if (refusal == null && released.compareAndSet(false, true)) {
                limiter.release(key);
            }
        }
    }
}
