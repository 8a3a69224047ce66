package io.tickwave.arena.e2e;

import io.tickwave.arena.ArenaGame;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.TickwaveServer;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A real server with the arena game on an ephemeral loopback port, and one headless Chromium on one of
 * its pages: what the browser tests that run scripts in a page share for a test class's life. Owned by
 * the test thread.
 */
final class ServedPage implements AutoCloseable {

    final TickwaveServer server;
    final ChromeDriver browser;

    private ServedPage(TickwaveServer server, ChromeDriver browser) {
        this.server = server;
        this.browser = browser;
    }

    /**
     * Starts both and opens {@code path}; null when Chromium is not installed (each test then skips, or
     * under CI fails, through {@link Browsers#requireChromium()}).
     */
    static ServedPage open(Path profiles, String path) throws Exception {
        if (!Browsers.available()) {
            return null;
        }
        TickwaveServer server = TickwaveServer.start(ServerSettings.defaults().withHost("127.0.0.1").withPort(0), ArenaGame::new);
        try {
            ChromeDriver browser = Browsers.start(profiles);
            browser.get("http://127.0.0.1:" + server.port() + path);
            return new ServedPage(server, browser);
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            browser.quit();
        } finally {
            server.close();
        }
    }
}
