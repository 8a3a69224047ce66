package io.tickwave.arena.e2e;

import static io.tickwave.arena.ArenaWebSocketClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.arena.ArenaGame;
import io.tickwave.arena.ArenaWebSocketClient;
import io.tickwave.arena.protocol.Ship;
import io.tickwave.arena.sim.ArenaMap;
import io.tickwave.arena.sim.ArenaRules;
import io.tickwave.arena.sim.ArenaWorld;
import io.tickwave.arena.sim.ShipMovement;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.TickwaveServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The sample game in real headless Chromium against the real server: join, move, be seen, chat.
 * Two browsers are started once for the class (starting Chromium is the slow part); each test joins
 * the players it needs afresh, so the tests do not depend on each other's order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArenaBrowserTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path profiles;
    private TickwaveServer server;
    private ChromeDriver first;
    private ChromeDriver second;

    @BeforeAll
    void startServerAndBrowsers() throws Exception {
        if (!Browsers.available()) {
            return; // each test is then skipped (or, under CI, failed) by requireBrowser
        }
        server = TickwaveServer.start(ServerSettings.defaults().withHost("127.0.0.1").withPort(0), ArenaGame::new);
        first = Browsers.start(profiles);
        second = Browsers.start(profiles);
    }

    @AfterAll
    void stopEverything() {
        for (ChromeDriver driver : new ChromeDriver[] {first, second}) {
            if (driver != null) {
                driver.quit();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void requireBrowser() {
        Browsers.requireChromium();
    }

    /** Fails the test that made the page log an error, whichever test it was. */
    @AfterEach
    void assertNoBrowserErrors() {
        if (first == null || second == null) {
            return;
        }
        for (ChromeDriver driver : new ChromeDriver[] {first, second}) {
            List<String> severe = new ArrayList<>();
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    severe.add(entry.getMessage());
                }
            }
            assertTrue(severe.isEmpty(), "browser console errors: " + severe);
            Object pageErrors = driver.executeScript("return window.tickwave ? window.tickwave.errors : []");
            assertEquals(List.of(), pageErrors, "errors the page recorded");
            Object serverErrors = driver.executeScript("return window.tickwave ? window.tickwave.serverErrors : []");
            assertEquals(List.of(), serverErrors, "error messages the server sent the page");
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    /** Opens the page, types the name, presses Play, and waits for the first snapshot. Returns our player id. */
    private long join(ChromeDriver driver, String name) throws InterruptedException {
        openFresh(driver);
        await(name + "'s page loaded the protocol", TIMEOUT, () -> Boolean.TRUE.equals(js(driver, "return !!(window.tickwave && window.tickwave.ready)")));
        var nameInput = driver.findElement(By.id("name-input"));
        nameInput.clear();
        nameInput.sendKeys(name);
        driver.findElement(By.id("join-button")).click();
        await(name + " joined and got snapshots", TIMEOUT,
                () -> number(driver, "return window.tickwave.snapshotsReceived") > 3);
        assertTrue(driver.findElement(By.id("join-screen")).getDomAttribute("class").contains("hidden"));
        return number(driver, "return window.tickwave.ownId");
    }

    /**
     * Opens the page in a new tab, in place of the current one: the page takes back the seat its tab's
     * sessionStorage holds (an earlier test's), and a new tab has none.
     */
    private void openFresh(ChromeDriver driver) {
        Browsers.replaceTab(driver);
        driver.get(url());
    }

    private static Object js(ChromeDriver driver, String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static long number(ChromeDriver driver, String script) {
        Object v = js(driver, script);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static double coordinate(ChromeDriver driver, String script) {
        Object v = js(driver, script);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    @Test
    void shouldJoinWithANameAndDrawTheArena() throws Exception {
        long id = join(first, "alice");

        assertTrue(id > 0);
        assertTrue(number(first, "return window.tickwave.lastSnapshotTick") > 0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> players = (List<Map<String, Object>>) js(first, "return window.tickwave.players");
        assertTrue(players.stream().anyMatch(p -> "alice".equals(p.get("name"))), players.toString());
        await("the HUD shows ping and snapshot rate", TIMEOUT,
                () -> first.findElement(By.id("hud")).getText().matches("ping \\d+ ms · [1-9]\\d* snapshots/s.*"));
        await("the scoreboard lists alice", TIMEOUT,
                () -> first.findElement(By.id("scores")).getText().contains("alice"));
        // The world is replicated: the SDK rebuilt it and a state_hash from the server checked out (a
        // mismatch would be in window.tickwave.errors, which every test checks afterwards).
        await("the page checked a state hash of its replicated world", TIMEOUT,
                () -> number(first, "return window.tickwave.hashesChecked") > 0);
        assertTrue(number(first, "return window.tickwave.entities") >= 2, "at least our Ship and PlayerScore");
    }

    @Test
    void shouldMoveOwnShipOnTheServerWhenMovementKeysAreHeld() throws Exception {
        int id = (int) join(first, "mover");
        try (ArenaWebSocketClient observer = ArenaWebSocketClient.join(server.port(), "observer")) {
            await("the observer sees the browser's ship", TIMEOUT, () -> observer.ship(id).isPresent());
            Ship before = observer.ship(id).orElseThrow();
            Direction direction = roomiestDirection(before.getX(), before.getY());

            new Actions(first).keyDown(direction.key).pause(Duration.ofMillis(900)).keyUp(direction.key).perform();

            await("the server moved the ship " + direction, TIMEOUT, () -> direction.progress(before,
                    observer.ship(id).orElseThrow()) > 40);
            // Once the keys are up and every input is acknowledged, prediction agrees with the server.
            await("all inputs acknowledged", TIMEOUT, () -> number(first, "return window.tickwave.pendingInputs") <= 3
                    && Math.abs(coordinate(first, "return window.tickwave.acknowledged.x")
                        - observer.ship(id).orElseThrow().getX()) < 0.5);
            assertEquals(coordinate(first, "return window.tickwave.acknowledged.x"),
                    coordinate(first, "return window.tickwave.predicted.x"), 1.0, "predicted vs acknowledged x");
            assertEquals(coordinate(first, "return window.tickwave.acknowledged.y"),
                    coordinate(first, "return window.tickwave.predicted.y"), 1.0, "predicted vs acknowledged y");
        }
    }

    @Test
    void shouldFireWhereTheMouseAimsWhenTheButtonIsHeld() throws Exception {
        int id = (int) join(first, "gunner");
        try (ArenaWebSocketClient observer = ArenaWebSocketClient.join(server.port(), "witness")) {
            await("the observer sees the browser's ship", TIMEOUT, () -> observer.ship(id).isPresent());
            Object screen = js(first, "return window.tickwave.ownScreen");
            assertTrue(screen instanceof Map, "the page reports where it draws our ship: " + screen);
            double shipX = ((Number) ((Map<?, ?>) screen).get("x")).doubleValue();
            double shipY = ((Number) ((Map<?, ?>) screen).get("y")).doubleValue();
            // Aim where there is room for bullets to fly, then hold the button.
            Ship ship = observer.ship(id).orElseThrow();
            Direction aim = roomiestDirection(ship.getX(), ship.getY());
            new Actions(first).moveToLocation((int) shipX + 100 * aim.dx, (int) shipY + 100 * aim.dy).clickAndHold()
                    .pause(Duration.ofMillis(700)).release().perform();

            await("the server fired a bullet of the browser's ship", TIMEOUT,
                    () -> observer.lastState().getBulletsList().stream().anyMatch(b -> b.getOwnerId() == id));
            var bullet = observer.lastState().getBulletsList().stream()
                    .filter(b -> b.getOwnerId() == id).findFirst().orElseThrow();
            double along = bullet.getVx() * aim.dx + bullet.getVy() * aim.dy;
            assertTrue(along > 0.9 * Math.hypot(bullet.getVx(), bullet.getVy()),
                    "flies " + aim + ", where the mouse was: vx=" + bullet.getVx() + " vy=" + bullet.getVy());
        }
    }

    @Test
    void shouldPlayFromTwoTabsOfOneBrowserAtOnce() throws Exception {
        long oneId = join(second, "tab-one");
        String firstTab = second.getWindowHandle(); // after join, which plays in a new tab
        second.switchTo().newWindow(WindowType.TAB);
        try {
            long twoId = join(second, "tab-two");

            await("the second tab sees the first tab's ship", TIMEOUT, () -> {
                @SuppressWarnings("unchecked")
                List<Number> seen = (List<Number>) js(second, "return window.tickwave.shipsSeen");
                return seen.stream().anyMatch(n -> n.longValue() == oneId);
            });
            assertTrue(twoId != oneId);
            second.switchTo().window(firstTab);
            long before = number(second, "return window.tickwave.snapshotsReceived");
            await("the first tab still receives snapshots", TIMEOUT,
                    () -> number(second, "return window.tickwave.snapshotsReceived") > before + 10);
            assertTrue(Boolean.TRUE.equals(js(second, "return window.tickwave.connected")));
        } finally {
            for (String handle : second.getWindowHandles()) {
                if (!handle.equals(firstTab)) {
                    second.switchTo().window(handle).close();
                }
            }
            second.switchTo().window(firstTab);
        }
    }

    /** A movement key and the axis it moves the ship along. */
    private enum Direction {
        LEFT("a", -1, 0), RIGHT("d", 1, 0), UP("w", 0, -1), DOWN("s", 0, 1);

        final String key;
        final int dx;
        final int dy;

        Direction(String key, int dx, int dy) {
            this.key = key;
            this.dx = dx;
            this.dy = dy;
        }

        double progress(Ship from, Ship to) {
            return (to.getX() - from.getX()) * dx + (to.getY() - from.getY()) * dy;
        }
    }

    /** The key that, held for a second, moves a ship at (x, y) farthest on the standard map (no wall in the way). */
    private static Direction roomiestDirection(double x, double y) {
        ArenaRules rules = ArenaRules.standard();
        Direction best = Direction.RIGHT;
        double bestDistance = -1;
        for (Direction d : Direction.values()) {
            ArenaWorld probe = new ArenaWorld(rules, ArenaMap.standard(), 1);
            io.tickwave.arena.sim.Ship ship = probe.addPlayer(1);
            ship.placeAt(x, y);
            for (int i = 0; i < rules.inputRateHz(); i++) {
                ShipMovement.move(probe.map(), rules, ship, d.dx, d.dy, rules.inputStepSeconds());
            }
            double distance = Math.hypot(ship.x() - x, ship.y() - y);
            if (distance > bestDistance) {
                best = d;
                bestDistance = distance;
            }
        }
        return best;
    }

    @Test
    void shouldKeepTheScoreboardToTheLeadersAndOwnLineInABigRoom() throws Exception {
        List<ArenaWebSocketClient> crowd = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                crowd.add(ArenaWebSocketClient.join(server.port(), "crowd" + i));
            }
            join(first, "Latecomer");
            await("the scoreboard lists the crowd", TIMEOUT, () -> first.findElements(By.cssSelector("#scores td.more")).size() == 1);
            int players = 13;
            // The scoreboard is rebuilt four times a second: read it in one script, not element by element.
            @SuppressWarnings("unchecked")
            List<String> rows = (List<String>) first.executeScript(
                    "return [...document.querySelectorAll('#scores tr')].map(r => (r.className === 'me' ? 'ME ' : '') + r.innerText)");
            assertTrue(rows.size() <= 12, "ten leaders, a '… more' line and at most our own line: " + rows);
            assertEquals(1, rows.stream().filter(row -> row.startsWith("ME ")).count(), "our own line is always shown: " + rows);
            // Players from other tests may share the room, so at least the crowd beyond ten is summed up.
            assertTrue(rows.stream().anyMatch(row -> row.matches("… \\d+ more")
                    && Integer.parseInt(row.replaceAll("\\D", "")) >= players - 10), rows.toString());
        } finally {
            for (ArenaWebSocketClient client : crowd) {
                client.close();
            }
        }
    }

    @Test
    void shouldShowTheFirstPlayerInASecondBrowser() throws Exception {
        long firstId = join(first, "carol");
        join(second, "dave");

        await("dave's browser has carol's ship in its snapshots", TIMEOUT, () -> {
            @SuppressWarnings("unchecked")
            List<Number> seen = (List<Number>) js(second, "return window.tickwave.shipsSeen");
            return seen.stream().anyMatch(n -> n.longValue() == firstId);
        });
        await("dave's scoreboard lists carol", TIMEOUT,
                () -> second.findElement(By.id("scores")).getText().contains("carol"));
        await("carol's browser heard that dave joined", TIMEOUT,
                () -> first.findElement(By.id("chat-log")).getText().contains("dave joined"));
    }

    @Test
    void shouldDeliverAChatLineTypedInOneBrowserToTheOther() throws Exception {
        join(first, "erin");
        join(second, "frank");

        new Actions(first).sendKeys(Keys.ENTER).perform();
        await("the chat box has the focus", TIMEOUT,
                () -> "chat-input".equals(first.switchTo().activeElement().getDomAttribute("id")));
        new Actions(first).sendKeys("gg from erin").sendKeys(Keys.ENTER).perform();

        await("frank's chat shows erin's line", TIMEOUT,
                () -> second.findElement(By.id("chat-log")).getText().contains("erin: gg from erin"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lines = (List<Map<String, Object>>) js(second, "return window.tickwave.chat");
        assertTrue(lines.stream().map(l -> l.get("text")).collect(Collectors.toList()).contains("gg from erin"));
    }

    @Test
    void shouldShowAKillInTheKillFeedAndTheScoreboardFromEventsAndScoreEntities() throws Exception {
        join(first, "referee");
        try (ArenaWebSocketClient hunter = ArenaWebSocketClient.join(server.port(), "hunter");
             ArenaWebSocketClient prey = ArenaWebSocketClient.join(server.port(), "prey")) {
            await("both bots see both ships", TIMEOUT, () -> hunter.playerId() != 0 && prey.playerId() != 0
                    && hunter.ship(prey.playerId()).isPresent() && hunter.ship(hunter.playerId()).isPresent());
            huntUntilAKill(hunter, prey);

            long hunterId = hunter.playerId();
            long preyId = prey.playerId();
            await("the browser heard the kill event", TIMEOUT, () -> {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> kills = (List<Map<String, Object>>) js(first, "return window.tickwave.kills");
                return kills.stream().anyMatch(k -> ((Number) k.get("killer")).longValue() == hunterId
                        && ((Number) k.get("victim")).longValue() == preyId);
            });
            await("the kill feed names both", TIMEOUT,
                    () -> first.findElement(By.id("killfeed")).getText().contains("hunter ✦ prey"));
            await("the scoreboard, from PlayerScore entities, gives the hunter a kill and the prey a death", TIMEOUT,
                    () -> {
                        @SuppressWarnings("unchecked")
                        List<String> rows = (List<String>) js(first,
                                "return [...document.querySelectorAll('#scores tr')].map(r => r.innerText.replace(/\\s+/g, ' ').trim())");
                        return rows.stream().anyMatch(r -> r.matches("hunter [1-9]\\d* \\d+"))
                                && rows.stream().anyMatch(r -> r.matches("prey \\d+ [1-9]\\d*"));
                    });
        }
    }

    /** The hunter closes in on the prey and fires until the prey is destroyed (sidestepping when a wall holds it up). */
    private static void huntUntilAKill(ArenaWebSocketClient hunter, ArenaWebSocketClient prey) throws InterruptedException {
        java.util.Random random = new java.util.Random(3);
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        double previous = Double.MAX_VALUE;
        int stalled = 0;
        int sideX = 0;
        int sideY = 0;
        while (hunter.score(prey.playerId()).map(s -> s.getDeaths()).orElse(0) == 0) {
            assertTrue(System.nanoTime() < deadline, "the hunter destroyed the prey within 40 s");
            Ship me = hunter.ship(hunter.playerId()).orElseThrow();
            Ship target = hunter.ship(prey.playerId()).orElseThrow();
            double dx = target.getX() - me.getX();
            double dy = target.getY() - me.getY();
            double distance = Math.hypot(dx, dy);
            stalled = distance > 70 && distance > previous - 0.5 ? stalled + 1 : Math.min(stalled, 0);
            previous = distance;
            if (stalled > 10) {
                sideX = random.nextInt(3) - 1;
                sideY = random.nextInt(3) - 1;
                stalled = -15;
            }
            if (stalled < 0) {
                stalled++;
            }
            int moveX = stalled < 0 ? sideX : Math.abs(dx) > 40 ? (int) Math.signum(dx) : 0;
            int moveY = stalled < 0 ? sideY : Math.abs(dy) > 40 ? (int) Math.signum(dy) : 0;
            hunter.sendInput(moveX, moveY, (float) Math.atan2(dy, dx), true);
            prey.sendInput(0, 0, 0f, false);
            Thread.sleep(1000 / 30);
        }
    }

    @Test
    void shouldKeepPlayingWhenEnterAndAClickOnPlayBothSubmitTheJoinForm() throws Exception {
        openFresh(first);
        await("the page loaded the protocol", TIMEOUT,
                () -> Boolean.TRUE.equals(js(first, "return !!(window.tickwave && window.tickwave.ready)")));
        var nameInput = first.findElement(By.id("name-input"));
        nameInput.clear();
        nameInput.sendKeys("hasty");
        // Enter submits the form, and a click on Play lands before the welcome hides it: two sessions.
        // Both in one script, so that no server message can come between them (on a fast machine the
        // welcome of the first may arrive before a separate click would).
        js(first, "document.getElementById('join-form').requestSubmit(); document.getElementById('join-button').click();");

        await("the first session's socket closed", TIMEOUT,
                () -> number(first, "return window.tickwave.replacedSessionsClosed") >= 1);
        long before = number(first, "return window.tickwave.snapshotsReceived");
        await("the second session plays on", TIMEOUT,
                () -> number(first, "return window.tickwave.snapshotsReceived") > before + 5);
        assertTrue(!first.findElement(By.id("disconnected")).isDisplayed(), "no Disconnected over the live game");
        assertEquals(null, js(first, "return window.tickwave.disconnected"));
        assertTrue(Boolean.TRUE.equals(js(first, "return window.tickwave.connected && window.tickwave.joined")));
        assertTrue(first.findElement(By.id("join-screen")).getDomAttribute("class").contains("hidden"));
    }

    @Test
    void shouldRejoinByItselfWhenTheServerGoesAwayAndComesBack() throws Exception {
        TickwaveServer shared = server;
        TickwaveServer doomed = TickwaveServer.start(
                ServerSettings.defaults().withHost("127.0.0.1").withPort(0), ArenaGame::new);
        int port = doomed.port();
        try {
            server = doomed;
            join(first, "gina");

            doomed.close();
            // The server's 1001 keeps a seat (docs/protocol.md "Reconnecting"): the page tries to get it back.
            await("the Reconnecting notice shows", TIMEOUT,
                    () -> first.findElement(By.id("reconnecting")).isDisplayed());
            assertTrue(!first.findElement(By.id("disconnected")).isDisplayed(), "no Disconnected screen while reconnecting");

            // The restarted server does not know the seat (RECONNECT_REFUSED): the page joins afresh.
            long before = number(first, "return window.tickwave.snapshotsReceived");
            server = TickwaveServer.start(ServerSettings.defaults().withHost("127.0.0.1").withPort(port), ArenaGame::new);
            await("rejoined the restarted server", TIMEOUT, () -> Boolean.TRUE.equals(js(first,
                    "return window.tickwave.connected && !window.tickwave.reconnecting"
                            + " && window.tickwave.snapshotsReceived > " + (before + 3))));
            assertTrue(!first.findElement(By.id("disconnected")).isDisplayed());
            assertTrue(!first.findElement(By.id("reconnecting")).isDisplayed());
            assertEquals(0L, number(first, "return window.tickwave.resumed"));
            // Chromium logs each refused connection attempt of the reconnect as a console error: expected here.
            List<String> unexpected = new ArrayList<>();
            for (LogEntry entry : first.manage().logs().get(LogType.BROWSER)) {
                if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !entry.getMessage().contains("ERR_CONNECTION_REFUSED")) {
                    unexpected.add(entry.getMessage());
                }
            }
            assertEquals(List.of(), unexpected, "browser console errors");
        } finally {
            if (server != shared) {
                server.close();
            }
            server = shared;
        }
    }
}
