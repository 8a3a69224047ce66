package io.tickwave.arena.e2e;

import org.openqa.selenium.chrome.ChromeDriver;

/** Runs a script in a page that imports the browser SDK from {@code /sdk/}. Stateless; used from the test thread. */
final class BrowserSdk {

    private BrowserSdk() {
    }

    /**
     * Runs {@code body} as an async function in the browser's current page, with the arguments as
     * {@code args}; it must call {@code done(result)}. A thrown error comes back as {@code {error: stack}}.
     */
    static Object run(ChromeDriver browser, String body, Object... args) {
        return browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const args = Array.from(arguments).slice(0, -1);
                (async () => {
                """ + body + """
                })().catch((e) => done({ error: String(e && e.stack || e) }));
                """, args);
    }
}
