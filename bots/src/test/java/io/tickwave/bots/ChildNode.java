package io.tickwave.bots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Tickwave node running in a child JVM ({@link WalkerNodeMain}) on this test's classpath, so that it
 * can die the way a machine's process does: {@link #kill()} sends SIGKILL, and nothing in the node gets to
 * deregister, close sockets politely or flush anything; or be stopped as an orchestrator stops it
 * ({@link #terminate()}: SIGTERM, on which it drains and exits). Its output goes to a file (a pipe nobody reads
 * would block the node). Owned by the test thread.
 */
final class ChildNode implements AutoCloseable {

    private static final Pattern BANNER_URL = Pattern.compile("open http://127\\.0\\.0\\.1:(\\d+)/");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String nodeId;
    private final Process process;
    private final Path output;
    private final int port;

    private ChildNode(String nodeId, Process process, Path output, int port) {
        this.nodeId = nodeId;
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /**
     * Starts a node with the launcher's {@code flags}; the cluster secret travels in the environment, as
     * the launcher's help advises. Returns once the node printed the port it bound.
     */
    static ChildNode start(String nodeId, String clusterSecret, List<String> flags, Duration wait)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("tickwave-" + nodeId + "-", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WalkerNodeMain.class.getName());
        command.addAll(flags);
        command.add("--node-id");
        command.add(nodeId);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("TICKWAVE_CLUSTER_SECRET", clusterSecret);
        Process process = builder.start();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Matcher url = BANNER_URL.matcher(Files.readString(output));
            if (url.find()) {
                return new ChildNode(nodeId, process, output, Integer.parseInt(url.group(1)));
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new AssertionError("node " + nodeId + " printed no URL within " + wait + ": " + Files.readString(output));
    }

    String nodeId() {
        return nodeId;
    }

    int port() {
        return port;
    }

    /** Players seated on the node, from its own {@code /metrics} (loopback clients get it on the game port). */
    long players() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return (long) PrometheusText.parse(response.body()).value("tickwave_players");
        } catch (IOException e) {
            throw new UncheckedIOException("scraping " + nodeId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the node answers {@code /ready} with 200: registered in the cluster and not draining. */
    boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code kill -9}: SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + nodeId + " outlived SIGKILL");
        }
    }

    /** SIGTERM, as an orchestrator stops a node: it drains and exits by itself. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; its exit code. */
    int awaitExit(Duration wait) throws InterruptedException {
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node " + nodeId + " still running after " + wait + ": " + log());
        }
        return process.exitValue();
    }

    /** What the node printed, for failure messages. */
    String log() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(output);
    }
}
