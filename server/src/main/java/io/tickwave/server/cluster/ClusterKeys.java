package io.tickwave.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What a cluster keeps in Redis, all under {@link #PREFIX} (docs/scale-out.md has the full table):
 * <ul>
 *   <li>{@code tickwave:node:<id>}: hash url, players, capacity, draining, game, rooms; expires
 *       {@link #TTL_MS} after the node's last heartbeat;</li>
 *   <li>{@code tickwave:nodes}: set of node ids, pruned by the matchmaker of ids whose hash expired;</li>
 *   <li>{@code tickwave:room:<id>}: hash node, players, capacity, locked, game; expires like the node's;</li>
 *   <li>{@code tickwave:rooms}: set of room ids, pruned like {@code nodes};</li>
 *   <li>{@code tickwave:room:<id>:seats}: sorted set of seat reservations (request nonce, scored by
 *       expiry in Redis's milliseconds), each live {@link #reservationMs};</li>
 *   <li>{@code tickwave:room-seq}: counter of room ids, cluster-wide.</li>
 * </ul>
 * The Lua scripts that read and write them live beside this class's resources
 * ({@code tickwave/cluster/*.lua}). They touch keys they were not passed, which a single Redis (or
 * one behind Sentinel) allows and Redis Cluster does not.
 */
final class ClusterKeys {

    static final String PREFIX = "tickwave:";
    /** How often a node re-registers. */
    static final long HEARTBEAT_MS = 1_000;
    /** How long a node's and its rooms' keys outlive its last heartbeat: three missed beats and it is gone. */
    static final long TTL_MS = 3_000;
    /**
     * How long a reservation counts against its room's seats: the seat token's life
     * ({@code --seat-token-ms}) plus two heartbeats, by which time a player who joined in time is in its
     * room's heartbeat count.
     */
    static long reservationMs(long seatTokenMs) {
        return seatTokenMs + 2 * HEARTBEAT_MS;
    }

    static final String HEARTBEAT_SCRIPT = script("heartbeat.lua");
    static final String DEREGISTER_SCRIPT = script("deregister.lua");
    static final String MATCHMAKE_SCRIPT = script("matchmake.lua");

    private ClusterKeys() {
    }

    private static String script(String name) {
        try (InputStream in = ClusterKeys.class.getClassLoader().getResourceAsStream("tickwave/cluster/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource tickwave/cluster/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
