package io.tickwave.arena.e2e;

import static io.tickwave.arena.ArenaWebSocketClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.server.ServerSettings;
import io.tickwave.server.TickwaveServer;
import io.tickwave.server.testing.RedisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser SDK with {@code matchmake}: a page placed by a cluster's {@code POST /matchmake} whose node
 * drains is closed with 4013 and, with no error shown, matchmakes again and plays on another node. A real
 * {@code redis-server} and three nodes: the page's own (which serves the page and {@code /matchmake} but
 * tells the matchmaker it drains, so no player is placed there) and two that play.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserSdkMatchmakeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String SECRET = "browser-sdk-matchmake-test-secret";

    @TempDir
    static Path profiles;
    private RedisProcess redis;
    private TickwaveServer front;
    private TickwaveServer one;
    private TickwaveServer two;
    private ChromeDriver browser;

    @BeforeAll
    void startClusterAndBrowser() throws Exception {
        if (!Browsers.available() || !Files.isExecutable(Path.of(System.getProperty("tickwave.redis-server", "/usr/bin/redis-server")))) {
            return; // each test is then skipped (or, under CI, failed) by requireBrowserAndRedis
        }
        redis = RedisProcess.start();
        front = TickwaveServer.start(node("front"), SdkProbeGame::new, () -> true);
        one = TickwaveServer.start(node("one"), SdkProbeGame::new);
        two = TickwaveServer.start(node("two"), SdkProbeGame::new);
        for (TickwaveServer node : List.of(front, one, two)) {
            await(node.settings().nodeId() + " registered", TIMEOUT, () -> node.cluster().registered());
        }
        browser = Browsers.start(profiles);
    }

    private ServerSettings node(String id) {
        return ServerSettings.defaults().withHost("127.0.0.1").withPort(0).withDrainTimeoutMs(300)
                .withRedis(redis.uri()).withClusterSecret(SECRET).withNodeId(id).withGameName("probe");
    }

    @AfterAll
    void stopEverything() {
        if (browser != null) {
            browser.quit();
        }
        for (TickwaveServer node : new TickwaveServer[] {front, one, two}) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void requireBrowserAndRedis() {
        Browsers.requireChromium();
        RedisProcess.requireRedis();
    }

    @Test
    void shouldMatchmakeAgainAndPlayOnAnotherNodeWhenItsNodeDrains() throws Exception {
        browser.get("http://127.0.0.1:" + front.port() + "/sdk-probe.html?name=nomad&matchmake");
        await("the page was placed and got state", TIMEOUT,
                () -> Boolean.TRUE.equals(js("return !!(window.probe && window.probe.joined && window.probe.added > 0)")));
        TickwaveServer placed = urlOfPage().contains(":" + one.port() + "/") ? one : two;
        TickwaveServer other = placed == one ? two : one;
        assertTrue(urlOfPage().contains(":" + placed.port() + "/"), "placed on a playing node: " + urlOfPage());

        placed.startDrain();

        await("the page plays on the other node", TIMEOUT, () -> Boolean.TRUE.equals(js(
                "return window.probe.welcomes === 2 && game.joined && window.probe.added > 1")));
        assertTrue(urlOfPage().contains(":" + other.port() + "/"), "now on the other node: " + urlOfPage());
        assertEquals(4013L, number("return window.probe.reconnecting[0].code"));
        assertEquals(Boolean.TRUE, js("return window.probe.reconnecting[0].rematch"));
        assertEquals(0L, number("return window.probe.resumed"), "a new seat, not a resumed one");
        assertEquals(List.of(), js("return window.probe.errors"), "no error shown to the player");
        assertEquals(List.of(), js("return window.probe.closes"), "the session never ended");
        long before = number("return window.probe.changes");
        js("game.setInput({ moveX: 1 })");
        await("inputs move the ship on the new node", TIMEOUT, () -> number("return window.probe.changes") > before + 3);
    }

    private String urlOfPage() {
        return String.valueOf(js("return game.url"));
    }

    private Object js(String script) {
        return browser.executeScript(script.startsWith("return") ? script : script + ";");
    }

    private long number(String script) {
        Object v = js(script);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
