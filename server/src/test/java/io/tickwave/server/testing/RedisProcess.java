package io.tickwave.server.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis for tests: {@code redis-server} on a free loopback port, with no persistence, stopped
 * (and startable again on the same port, empty, as after a crash) by the test.
 *
 * <p>When {@code /usr/bin/redis-server} (or {@code -Dtickwave.redis-server=...}) is missing the calling
 * test is skipped with what to install, except under CI (environment variable {@code CI} set), where
 * that is a failure: {@code .ci/run} installs it.
 *
 * <p>Threads: one test thread.
 */
public final class RedisProcess implements AutoCloseable {

    static final String REDIS_SERVER = System.getProperty("tickwave.redis-server", "/usr/bin/redis-server");

    private final int port;
    private Process process;

    private RedisProcess(int port) {
        this.port = port;
    }

    /** Skips (or under CI fails) the current test when redis-server is not installed. */
    public static void requireRedis() {
        if (Files.isExecutable(Path.of(REDIS_SERVER))) {
            return;
        }
        String message = REDIS_SERVER + " is missing, so the cluster tests cannot run"
                + " (Debian: apt-get install -y redis-server; or -Dtickwave.redis-server=/path/to/redis-server)";
        if (System.getenv("CI") != null) {
            Assertions.fail(message + "; CI is set, so this is a failure, not a skip");
        }
        Assumptions.abort(message);
    }

    /** Starts a Redis on a free loopback port and waits until it answers. */
    public static RedisProcess start() throws IOException {
        requireRedis();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RedisProcess redis = new RedisProcess(port);
        redis.startAgain();
        return redis;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts redis-server (again) on the same port, empty, and waits until it answers PING. */
    public void startAgain() throws IOException {
        process = new ProcessBuilder(REDIS_SERVER, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answersPing()) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                throw new IOException("redis-server on port " + port + " did not come up");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int read = in.read(reply);
            return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops redis-server (its data goes with it) and waits until it is gone. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
