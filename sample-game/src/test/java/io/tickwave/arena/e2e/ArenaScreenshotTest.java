package io.tickwave.arena.e2e;

import static io.tickwave.arena.ArenaWebSocketClient.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.arena.ArenaGame;
import io.tickwave.arena.ArenaWebSocketClient;
import io.tickwave.arena.protocol.Ship;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.TickwaveServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * Not a check but a tool: plays a short session with three browsers and three WebSocket bots and saves
 * what the first browser shows. Runs only when asked:
 * {@code mvn -o -pl sample-game test -Dtest=ArenaScreenshotTest -Dtickwave.screenshot=$PWD/docs/screenshot.png}
 * (add {@code -Dtickwave.screenshot.debug=true} to capture the netcode debug overlay too).
 */
@EnabledIfSystemProperty(named = "tickwave.screenshot", matches = ".+")
class ArenaScreenshotTest {

    @TempDir
    Path profiles;

    @Test
    void shouldSaveAScreenshotOfABusySession() throws Exception {
        Browsers.requireChromium();
        Path target = Path.of(System.getProperty("tickwave.screenshot"));
        List<ChromeDriver> browsers = new ArrayList<>();
        List<ArenaWebSocketClient> bots = new ArrayList<>();
        try (TickwaveServer server = TickwaveServer.start(
                ServerSettings.defaults().withHost("127.0.0.1").withPort(0), ArenaGame::new)) {
            String[] names = {"Nova", "Raptor", "Kestrel"};
            for (String name : names) {
                ChromeDriver driver = Browsers.start(profiles);
                browsers.add(driver);
                // Make the page itself 1280×720: the window size includes the browser's own frame.
                long frame = ((Number) driver.executeScript("return window.outerHeight - window.innerHeight")).longValue();
                driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, (int) (720 + frame)));
                driver.get("http://127.0.0.1:" + server.port() + "/");
                await("protocol loaded", Duration.ofSeconds(20),
                        () -> Boolean.TRUE.equals(driver.executeScript("return !!(window.tickwave && window.tickwave.ready)")));
                driver.findElement(By.id("name-input")).clear();
                driver.findElement(By.id("name-input")).sendKeys(name);
                driver.findElement(By.id("join-button")).click();
            }
            ChromeDriver hero = browsers.get(0);
            await("hero joined", Duration.ofSeconds(20),
                    () -> ((Number) hero.executeScript("return window.tickwave.snapshotsReceived")).intValue() > 3);
            int heroId = ((Number) hero.executeScript("return window.tickwave.ownId")).intValue();
            for (String name : new String[] {"bot-ivy", "bot-orca", "bot-zed"}) {
                bots.add(ArenaWebSocketClient.join(server.port(), name));
            }
            ArenaWebSocketClient watcher = bots.get(0);
            await("bots see the hero", Duration.ofSeconds(20), () -> watcher.ship(heroId).isPresent());
            bots.get(1).sendChat("gl hf!");
            Thread.sleep(300);
            browsers.get(1).findElement(By.tagName("body"));
            new Actions(browsers.get(1)).sendKeys(org.openqa.selenium.Keys.ENTER).perform();
            new Actions(browsers.get(1)).sendKeys("watch the yellow bolt, rapid fire is nuts").sendKeys(org.openqa.selenium.Keys.ENTER).perform();

            new Actions(hero).moveToLocation(900, 300).clickAndHold().perform();
            Random random = new Random(3);
            long start = System.nanoTime();
            long warmUp = start + Duration.ofSeconds(12).toNanos();
            long giveUp = start + Duration.ofSeconds(60).toNanos();
            int frame = 0;
            // Play on until the picture is worth taking: the hero alive and bullets in the air.
            while (System.nanoTime() < warmUp || !Boolean.TRUE.equals(hero.executeScript(
                    "return !!(window.tickwave.own && window.tickwave.own.alive && window.tickwave.bulletsInFlight >= 5)"))) {
                assertTrue(System.nanoTime() < giveUp, "no good moment for a picture within a minute");
                Ship heroShip = watcher.ship(heroId).orElseThrow();
                for (int i = 0; i < bots.size(); i++) {
                    steerTowards(bots.get(i), heroShip, random, 240 + 70 * i);
                }
                if (frame % 6 == 0) {
                    for (int b = 1; b < browsers.size(); b++) {
                        steerBrowser(browsers.get(b), heroShip);
                    }
                    aimHeroAtNearest(hero, watcher, heroId);
                }
                frame++;
                Thread.sleep(1000 / 30);
            }
            if (Boolean.getBoolean("tickwave.screenshot.debug")) {
                new Actions(hero).sendKeys(org.openqa.selenium.Keys.F3).perform();
                Thread.sleep(500);
            }
            byte[] png = hero.getScreenshotAs(OutputType.BYTES);
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.write(target, png);
            assertTrue(png.length > 10_000);
        } finally {
            for (ArenaWebSocketClient bot : bots) {
                bot.close();
            }
            for (ChromeDriver driver : browsers) {
                driver.quit();
            }
        }
    }

    /** Keeps a bot circling the target at about {@code range} units, firing at it with a shaky hand. */
    private static void steerTowards(ArenaWebSocketClient bot, Ship target, Random random, double range) {
        Ship me = bot.ship(bot.playerId()).orElse(null);
        if (me == null) {
            return;
        }
        double dx = target.getX() - me.getX();
        double dy = target.getY() - me.getY();
        double distance = Math.hypot(dx, dy);
        int moveX;
        int moveY;
        if (distance > range + 40) {
            moveX = (int) Math.signum(Math.round(dx / distance));
            moveY = (int) Math.signum(Math.round(dy / distance));
        } else if (distance < range - 40) {
            moveX = (int) -Math.signum(Math.round(dx / distance));
            moveY = (int) -Math.signum(Math.round(dy / distance));
        } else {
            moveX = (int) Math.signum(Math.round(-dy / distance));
            moveY = (int) Math.signum(Math.round(dx / distance));
        }
        float aim = (float) (Math.atan2(dy, dx) + (random.nextDouble() - 0.5) * 0.6);
        bot.sendInput(moveX, moveY, aim, random.nextInt(3) != 0);
    }

    /** Moves a browser's ship towards the hero by holding synthetic arrow keys, the way a player would. */
    private static void steerBrowser(ChromeDriver driver, Ship hero) {
        driver.executeScript("""
                const own = window.tickwave.predicted; if (!own) return;
                const dx = arguments[0] - own.x, dy = arguments[1] - own.y;
                const set = (code, on) => window.dispatchEvent(new KeyboardEvent(on ? 'keydown' : 'keyup', {code, key: code}));
                set('ArrowRight', dx > 380); set('ArrowLeft', dx < -380);
                set('ArrowDown', dy > 240); set('ArrowUp', dy < -240);
                """, hero.getX(), hero.getY());
    }

    /** Points the hero's mouse at the nearest other ship (the camera keeps the hero at the centre). */
    private static void aimHeroAtNearest(ChromeDriver hero, ArenaWebSocketClient watcher, int heroId) {
        Ship me = watcher.ship(heroId).orElse(null);
        if (me == null) {
            return;
        }
        Ship nearest = null;
        double best = Double.MAX_VALUE;
        for (Ship s : watcher.lastState().getShipsList()) {
            double d = Math.hypot(s.getX() - me.getX(), s.getY() - me.getY());
            if (s.getPlayerId() != heroId && s.getAlive() && d < best) {
                best = d;
                nearest = s;
            }
        }
        if (nearest == null) {
            return;
        }
        double angle = Math.atan2(nearest.getY() - me.getY(), nearest.getX() - me.getX());
        hero.executeScript("""
                const from = window.tickwave.ownScreen || {x: innerWidth / 2, y: innerHeight / 2};
                const c = document.getElementById('arena');
                c.dispatchEvent(new MouseEvent('mousemove',
                    {clientX: from.x + Math.cos(arguments[0]) * 180, clientY: from.y + Math.sin(arguments[0]) * 180, bubbles: true}));
                """, angle);
    }
}
