package io.tickwave.bots;

/** What a bot does with its inputs (and chat). Chosen once per swarm with {@code --behaviour}. */
enum Behaviour {
    /** Sends inputs on schedule that ask for nothing: no move, no fire. The cheapest load. */
    IDLE,
    /** Walks in a random direction, changing it every one to three seconds. Never fires. */
    WANDER,
    /** Keeps a replica of the sample game's replicated state and walks towards the nearest other ship in it, aiming at it. */
    CHASE,
    /** Like chase, and fires when the target is close: bullets, hits and respawns for the server to simulate. */
    FIGHT,
    /** Wanders and sends a chat line every two seconds or so (the server allows about two a second). */
    CHATTY;

    boolean readsState() {
        return this == CHASE || this == FIGHT;
    }
}
