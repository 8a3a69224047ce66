package io.tickwave.testkit;

/**
 * An exception a game threw from one of its callbacks, as the server caught it: the server counted and
 * logged it and went on, as it does in production; the kit remembers it so a test can fail on it.
 *
 * @param callback the {@code Game} method that threw ({@code "tick"}, {@code "input"}, ...), or
 *                 {@code "create"} for the game factory
 * @param roomId   the game's room, 0 when the factory threw
 * @param tick     the room's tick at the time ({@code RoomContext.currentTick()}), 0 when the factory threw;
 *                 joins, inputs and leaves are handled before a tick's step, so they show the tick before
 * @param error    what was thrown
 */
public record GameError(String callback, int roomId, long tick, Throwable error) {

    @Override
    public String toString() {
        return "room " + roomId + " threw from " + callback + " at room tick " + tick + ": " + error;
    }
}
