package io.tickwave.examples;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.dots.DotsGame;
import io.tickwave.arena.e2e.Browsers;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.TickwaveServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The template game (examples/template, "dots") as a player sees it: its page, served by a real server
 * running {@link DotsGame}, in two tabs of one real headless Chromium. Owned by the test thread.
 */
class DotsBrowserTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path profiles;
    private TickwaveServer server;
    private ChromeDriver browser;

    @BeforeEach
    void startServerAndBrowser() throws Exception {
        Browsers.requireChromium();
        server = TickwaveServer.start(ServerSettings.defaults().withHost("127.0.0.1").withPort(0), DotsGame::new);
        browser = Browsers.start(profiles);
    }

    @AfterEach
    void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void shouldShowOnePlayersArrowKeyMoveOnTheOtherPlayersPage() {
        String mover = open();
        long moverId = joinedPlayerId();
        String watcher = browser.switchTo().newWindow(WindowType.TAB).getWindowHandle();
        open(watcher);
        long watcherId = joinedPlayerId();
        assertNotEquals(moverId, watcherId);
        double startX = awaitDotOf(moverId, x -> true);

        browser.switchTo().window(mover);
        new Actions(browser).keyDown(Keys.ARROW_RIGHT).perform();
        browser.switchTo().window(watcher);
        double movedX = awaitDotOf(moverId, x -> x > startX + 40);
        browser.switchTo().window(mover);
        new Actions(browser).keyUp(Keys.ARROW_RIGHT).perform();

        assertTrue(movedX > startX + 40, "the watcher saw the mover's dot go right: " + startX + " -> " + movedX);
    }

    /** Opens the game's page in the current tab and returns the tab's handle. */
    private String open() {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        return browser.getWindowHandle();
    }

    private void open(String tab) {
        browser.switchTo().window(tab);
        open();
    }

    /** The id the current tab's page was welcomed with, once it has joined. */
    private long joinedPlayerId() {
        return new WebDriverWait(browser, TIMEOUT).until(driver -> {
            Object me = browser.executeScript("return window.game ? window.game.playerId : 0");
            return me instanceof Long id && id != 0 ? id : null;
        });
    }

    /** Waits until the current tab shows {@code playerId}'s dot at an x that passes {@code test}; returns that x. */
    private double awaitDotOf(long playerId, DoublePredicate test) {
        return new WebDriverWait(browser, TIMEOUT).until(driver -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> dots = (List<Map<String, Object>>) browser.executeScript(
                    "return [...window.game.replica.entities.values()].map(d => ({ playerId: d.playerId, x: d.x }))");
            for (Map<String, Object> dot : dots) {
                if (((Number) dot.get("playerId")).longValue() == playerId) {
                    double x = ((Number) dot.get("x")).doubleValue();
                    return test.test(x) ? x : null;
                }
            }
            return null;
        });
    }
}
