package io.tickwave.arena.e2e;

import io.tickwave.server.ServerSettings;
import io.tickwave.server.TickwaveServer;
import io.tickwave.server.api.GameFactory;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a browser test of connection drops needs: a real server for one game on a loopback port, a
 * {@link DroppingProxy} in front of it that the test can cut, and one headless Chromium. Started once per
 * test class and closed after it; owned by the test thread.
 */
record BrowserRig(TickwaveServer server, DroppingProxy proxy, ChromeDriver browser) implements AutoCloseable {

    /** The rig, or null when no Chromium is installed (each test is then skipped, or failed under CI). */
    static BrowserRig startIfAvailable(Path profiles, GameFactory games) throws IOException {
        if (!Browsers.available()) {
            return null;
        }
        TickwaveServer server = TickwaveServer.start(ServerSettings.defaults().withHost("127.0.0.1").withPort(0), games);
        DroppingProxy proxy = new DroppingProxy(server.port());
        return new BrowserRig(server, proxy, Browsers.start(profiles));
    }

    @Override
    public void close() throws IOException {
        try {
            browser.quit();
        } finally {
            try {
                proxy.close();
            } finally {
                server.close();
            }
        }
    }
}
