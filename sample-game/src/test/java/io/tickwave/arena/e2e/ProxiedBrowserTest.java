package io.tickwave.arena.e2e;

import io.tickwave.server.ServerSettings;
import io.tickwave.server.TickwaveServer;
import io.tickwave.server.api.GameFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a browser test of connection drops needs, once per test class: a real server for one game on a
 * loopback port, a {@link DroppingProxy} in front of it that the test can cut, and one headless
 * Chromium. Without Chromium every test is skipped (failed under CI). Test thread only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProxiedBrowserTest {

    @TempDir
    static Path profiles;
    private final GameFactory games;
    protected TickwaveServer server;
    protected DroppingProxy proxy;
    protected ChromeDriver browser;

    ProxiedBrowserTest(GameFactory games) {
        this.games = games;
    }

    @BeforeAll
    void startServerProxyAndBrowser() throws IOException {
        if (!Browsers.available()) {
            return; // each test is then skipped (or, under CI, failed) by requireBrowser
        }
        server = TickwaveServer.start(ServerSettings.defaults().withHost("127.0.0.1").withPort(0), games);
        proxy = new DroppingProxy(server.port());
        browser = Browsers.start(profiles);
    }

    @AfterAll
    void stopEverything() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void requireBrowser() {
        Browsers.requireChromium();
    }
}
