package io.tickwave.arena.e2e;

import static io.tickwave.arena.ArenaWebSocketClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The browser SDK's connection as a game page uses it: {@code sdk-probe.html} (test resources) imports
 * only {@code /sdk/tickwave.js}, connects through a TCP proxy to a real server running
 * {@link SdkProbeGame}, and records what its callbacks saw in {@code window.probe}. One Chromium for the
 * class; each test opens the page in a fresh tab (an empty sessionStorage).
 */
class BrowserSdkClientTest extends ProxiedBrowserTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    BrowserSdkClientTest() {
        super(SdkProbeGame::new);
    }

    @Test
    void shouldJoinAndHaveItsPacedInputsAckedAndReceiveStateAnEventAndTheRoundTrip() throws Exception {
        long id = open("mover");
        assertEquals(777L, number("return window.probe.infoWidth"), "the welcome's game info, decoded with types.info");

        js("game.setInput({ moveX: 1 })"); // sent 20 times a second from now on, each with the next seq
        await("inputs were acked", TIMEOUT, () -> number("return game.ackedInputSeq") >= 5);
        await("the server moved the ship, and the page saw it change", TIMEOUT,
                () -> number("return window.probe.ownX || 0") > 150);
        assertTrue(number("return game.seq") >= number("return game.ackedInputSeq"), "acks follow the seqs given out");
        assertTrue(number("return game.newestSnapshotTick") > 0);

        js("game.setInput(null); window.firedSeq = game.sendInput({ fire: true })");
        await("the game's event arrived, decoded with types.event", TIMEOUT, () -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> events = (List<Map<String, Object>>) js("return window.probe.events");
            return events.stream().anyMatch(e -> ((Number) e.get("killer")).longValue() == id);
        });
        assertTrue(number("return window.firedSeq") > 5, "sendInput returns the seq it gave the input");
        await("a ping's round trip was measured", TIMEOUT,
                () -> Boolean.TRUE.equals(js("return window.probe.rtt !== null && game.rttMs >= 0 && game.lastRttMs >= 0")));
        assertEquals(List.of(), js("return window.probe.errors"));
    }

    @Test
    void shouldReconnectAndResumeItsSeatWhenTheConnectionDies() throws Exception {
        long id = open("dropper");

        proxy.resetAll();

        await("the page reconnected with its token and got its seat back", TIMEOUT, () -> Boolean.TRUE.equals(js(
                "return window.probe.resumed === 1 && game.joined && !game.reconnecting")));
        assertEquals(id, number("return game.playerId"), "the same player");
        assertTrue(number("return window.probe.reconnecting.length") >= 1, "onReconnecting was called");
        assertEquals(1006L, number("return window.probe.reconnecting[0].code"));
        assertEquals(2L, number("return window.probe.welcomes"));
        assertEquals(List.of(), js("return window.probe.closes"), "no final close");
        long before = number("return window.probe.changes");
        js("game.setInput({ moveX: 1 })");
        await("inputs after the resume move the ship again", TIMEOUT, () -> number("return window.probe.changes") > before + 3);
        js("game.setInput(null)");
    }

    @Test
    void shouldNotReconnectAfterAFinalClose() throws Exception {
        // Straight to the server: the proxy, resetting the page's side when the server closes, could
        // lose the close frame (a 1006 instead).
        open("flooder", "http://127.0.0.1:" + server.port() + "/");
        assertTrue(Boolean.TRUE.equals(js("return sessionStorage.getItem('tickwave.seat') !== null")), "the seat is stored");

        // More messages at once than the server's per-client limit: it closes with 4008, a final code.
        await("the session ended for good", TIMEOUT, () -> {
            js("if (game.connected) { for (let i = 0; i < 400; i++) game.ping(); }");
            return number("return window.probe.closes.length") == 1;
        });
        assertEquals(4008L, number("return window.probe.closes[0].code"));
        assertEquals(Boolean.TRUE, js("return window.probe.closes[0].final && game.ended"));
        assertEquals(0L, number("return window.probe.reconnecting.length"), "no reconnect was tried");
        assertNull(js("return sessionStorage.getItem('tickwave.seat')"), "the stored seat is forgotten");
    }

    /** Opens the probe page in a fresh tab through the proxy, waits for its join, returns the player id. */
    private long open(String name) throws InterruptedException {
        return open(name, proxy.url());
    }

    private long open(String name, String base) throws InterruptedException {
        Browsers.replaceTab(browser);
        browser.get(base + "sdk-probe.html?name=" + name);
        await(name + " joined and got state", TIMEOUT,
                () -> Boolean.TRUE.equals(js("return !!(window.probe && window.probe.joined && window.probe.added > 0)")));
        return number("return game.playerId");
    }

    private Object js(String script) {
        return browser.executeScript(script.startsWith("return") ? script : script + ";");
    }

    private long number(String script) {
        Object v = js(script);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
