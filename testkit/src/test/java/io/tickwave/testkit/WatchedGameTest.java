package io.tickwave.testkit;

import io.tickwave.server.api.Game;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WatchedGameTest {

    /** A default method of Game that the wrapper did not override would never reach the tested game. */
    @Test
    void shouldForwardEveryMethodOfTheGameApi() {
        List<String> missing = new ArrayList<>();
        for (Method method : Game.class.getMethods()) {
            try {
                WatchedGame.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(method.getName());
            }
        }
        assertEquals(List.of(), missing, "Game methods WatchedGame does not forward");
    }
}
