package io.tickwave.arena.e2e;

import static io.tickwave.arena.ArenaWebSocketClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.arena.ArenaGame;
import io.tickwave.arena.ArenaWebSocketClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The browser game takes its seat back after a drop: a reload of the tab, and a connection that dies
 * without a close (a TCP proxy between page and server resets every connection). Either way the page
 * keeps its player id and another player in the room hears no one leave or join.
 */
class BrowserReconnectTest extends ProxiedBrowserTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    BrowserReconnectTest() {
        super(ArenaGame::new);
    }

    @Test
    void shouldKeepThePlayerIdWhenThePageIsReloaded() throws Exception {
        long id = join("reloader");
        try (ArenaWebSocketClient observer = ArenaWebSocketClient.join(server.port(), "watcher")) {
            await("the observer sees the browser's ship", TIMEOUT, () -> observer.ship((int) id).isPresent());
            await("a good many inputs applied before the reload", TIMEOUT,
                    () -> number("return window.tickwave.ackedInputSeq") > 100);

            browser.navigate().refresh();

            await("the reloaded page took its seat back", TIMEOUT, () -> Boolean.TRUE.equals(js(
                    "return !!(window.tickwave && window.tickwave.resumed === 1 && window.tickwave.snapshotsReceived > 3)")));
            assertEquals(id, number("return window.tickwave.ownId"));
            assertTrue(browser.findElement(By.id("join-screen")).getDomAttribute("class").contains("hidden"));
            // The reloaded page counts its inputs from scratch; they must go on above the seat's last one
            // (which the resumed welcome names), or the server drops them and the ship is frozen: the seq
            // it gives out is never below what the server says it applied.
            assertEquals(Boolean.TRUE, js("return window.tickwave.inputSeq >= window.tickwave.ackedInputSeq"),
                    "input seq " + number("return window.tickwave.inputSeq") + " against acked "
                            + number("return window.tickwave.ackedInputSeq"));
            long ackedAtResume = number("return window.tickwave.ackedInputSeq");
            await("inputs sent after the reload are applied", TIMEOUT,
                    () -> number("return window.tickwave.ackedInputSeq") > ackedAtResume + 10);
            assertNoRoomChangesFor(observer, id);
        }
    }

    @Test
    void shouldReconnectWithTheSamePlayerIdWhenTheConnectionDiesWithoutAClose() throws Exception {
        long id = join("dropper");
        try (ArenaWebSocketClient observer = ArenaWebSocketClient.join(server.port(), "onlooker")) {
            await("the observer sees the browser's ship", TIMEOUT, () -> observer.ship((int) id).isPresent());
            long before = number("return window.tickwave.resumed");

            proxy.resetAll();

            await("the page reconnected and plays on", TIMEOUT, () -> Boolean.TRUE.equals(js(
                    "return window.tickwave.resumed === " + (before + 1) + " && window.tickwave.connected"
                            + " && !window.tickwave.reconnecting && window.tickwave.snapshotsReceived > 3")));
            assertEquals(id, number("return window.tickwave.ownId"));
            assertEquals(null, js("return window.tickwave.disconnected"));
            assertTrue(!browser.findElement(By.id("disconnected")).isDisplayed(), "no Disconnected screen");
            assertTrue(!browser.findElement(By.id("reconnecting")).isDisplayed(), "the Reconnecting notice is gone");
            assertNoRoomChangesFor(observer, id);
        }
    }

    private void assertNoRoomChangesFor(ArenaWebSocketClient observer, long id) throws InterruptedException {
        // A later change by the observer's own seat-mate would land after these; a snapshot round trip
        // after the resume is enough for a leave or join of the browser's seat to have arrived.
        long tick = observer.lastSnapshot().getTick();
        await("the observer got later snapshots", TIMEOUT, () -> observer.lastSnapshot().getTick() > tick + 10);
        assertTrue(observer.ship((int) id).isPresent(), "the browser's ship is still in the room");
        assertTrue(observer.roomChanges().stream().noneMatch(c -> c.endsWith(" " + id)),
                "the room heard the browser leave or join: " + observer.roomChanges());
        assertEquals(List.of(), observer.errors());
    }

    /** Opens the page through the proxy as a new tab session would, joins, and returns our player id. */
    private long join(String name) throws InterruptedException {
        // A seat kept in the tab's sessionStorage from an earlier test would be taken back on load.
        Browsers.replaceTab(browser);
        browser.get(proxy.url());
        await("the page loaded the protocol", TIMEOUT, () -> Boolean.TRUE.equals(js("return !!(window.tickwave && window.tickwave.ready)")));
        var nameInput = browser.findElement(By.id("name-input"));
        nameInput.clear();
        nameInput.sendKeys(name);
        browser.findElement(By.id("join-button")).click();
        await(name + " joined and got snapshots", TIMEOUT, () -> number("return window.tickwave.snapshotsReceived") > 3);
        return number("return window.tickwave.ownId");
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private long number(String script) {
        Object v = js(script);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
