package io.tickwave.server.loop;

/**
 * What the loop does with a {@link Throwable} from game code or from handling an event: everything is
 * contained (counted, reported, skipped) except errors after which the JVM cannot be trusted to go on.
 * A {@link StackOverflowError} is the game's own recursion and is contained like any other bug.
 */
final class GameErrors {

    private GameErrors() {
    }

    static void rethrowIfFatal(Throwable error) {
        if (error instanceof VirtualMachineError && !(error instanceof StackOverflowError)) {
            throw (VirtualMachineError) error;
        }
    }
}
