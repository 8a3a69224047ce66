package io.tickwave.server.net;

/**
 * Whether the server drains: it takes no new joins (they are answered with Error SERVER_DRAINING and
 * close 4013), while reconnects with a valid token are still seated, and {@code /ready} answers 503.
 * Set once, by whichever thread starts the drain (the shutdown hook, the {@code /admin/drain} handler);
 * read by IO threads. Thread-safe.
 */
public final class DrainState {

    private volatile boolean draining;

    /** Starts the drain; true only for the call that started it. */
    public synchronized boolean start() {
        if (draining) {
            return false;
        }
        draining = true;
        return true;
    }

    public boolean draining() {
        return draining;
    }
}
