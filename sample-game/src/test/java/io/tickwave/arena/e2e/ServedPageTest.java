package io.tickwave.arena.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Path;

/**
 * What a browser test of the page's own modules needs, once per test class: one headless Chromium on a
 * page of a real server ({@link ServedPage}). Without Chromium every test is skipped (failed under CI).
 * Test thread only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServedPageTest {

    @TempDir
    static Path profiles;
    private final String path;
    private ServedPage page;
    protected ChromeDriver browser;

    /** @param path the server's page to open, e.g. {@code "/"} */
    ServedPageTest(String path) {
        this.path = path;
    }

    @BeforeAll
    void openPage() throws Exception {
        page = ServedPage.open(profiles, path);
        browser = page == null ? null : page.browser;
    }

    @BeforeEach
    void requireBrowser() {
        Browsers.requireChromium();
    }

    @AfterAll
    void closePage() {
        if (page != null) {
            page.close();
        }
    }
}
