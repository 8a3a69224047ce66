package io.tickwave.arena.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Starts real headless Chromium through the system's chromedriver; never downloads a driver or a browser.
 *
 * <p>When {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} (or the paths given by the system
 * properties {@code tickwave.chromium} and {@code tickwave.chromedriver}) is missing, the calling test is
 * skipped with a message saying what to install — except under CI (environment variable {@code CI} set),
 * where a missing browser is a failure. Stateless; used from the test thread.
 */
public final class Browsers {

    /** The system's Chromium; {@code -Dtickwave.chromium=...} points elsewhere. */
    static final String CHROMIUM = System.getProperty("tickwave.chromium", "/usr/bin/chromium");
    /** The system's chromedriver (never downloaded); {@code -Dtickwave.chromedriver=...} points elsewhere. */
    static final String CHROMEDRIVER = System.getProperty("tickwave.chromedriver", "/usr/bin/chromedriver");

    private Browsers() {
    }

    /** True when both the browser and its driver are installed. */
    public static boolean available() {
        return new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    }

    /**
     * Skips (or under CI fails) the current test when the browser is not installed. Call it from
     * {@code @BeforeEach}, so that every test shows up as skipped with this message.
     */
    public static void requireChromium() {
        if (available()) {
            return;
        }
        String message = "End-to-end browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + " (Debian: apt-get install -y chromium chromium-driver)";
        if (System.getenv("CI") != null) {
            Assertions.fail(message + "; CI is set, so this is a failure, not a skip");
        }
        Assumptions.abort(message + "; skipping");
    }

    /** A fresh headless Chromium with its own profile directory, 1280×720, browser console logs kept. */
    public static ChromeDriver start(Path profileRoot) throws IOException {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        Path profile = Files.createTempDirectory(profileRoot, "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,720");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return driver;
    }

    /**
     * Replaces the driver's current tab by a new, empty one (closing the old, and every socket its page
     * had). A new tab starts with an empty sessionStorage, so the game page does not take back a seat an
     * earlier page of the old tab kept there.
     */
    static void replaceTab(ChromeDriver driver) {
        String old = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        String fresh = driver.getWindowHandle();
        driver.switchTo().window(old).close();
        driver.switchTo().window(fresh);
    }
}
