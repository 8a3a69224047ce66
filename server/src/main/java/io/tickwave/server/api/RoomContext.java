package io.tickwave.server.api;

/**
 * What the server tells a game about its room. Read it on the game-loop thread only.
 */
public interface RoomContext {

    /** The room's id, unique for the life of the process. */
    int roomId();

    /** Simulation steps per second. */
    int tickRateHz();

    /** Snapshots per second sent to each player. */
    int snapshotRateHz();

    /** The fixed simulated time of one {@link Game#tick}, in nanoseconds. */
    long tickIntervalNanos();

    /** The most players this room takes. */
    int capacity();

    /** The number of the tick being simulated, or of the last one simulated between ticks. */
    long currentTick();

    /** A seed fixed per room, so that games can make deterministic randomness. */
    long seed();
}
