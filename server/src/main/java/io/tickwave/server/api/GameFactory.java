package io.tickwave.server.api;

/**
 * Creates one {@link Game} per room. Called on the game-loop thread whenever a room is created, so it
 * obeys the same rules as the game's callbacks.
 */
@FunctionalInterface
public interface GameFactory {
    Game create();
}
