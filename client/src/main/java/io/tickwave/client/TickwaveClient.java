package io.tickwave.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.MessageLite;

import io.tickwave.protocol.Welcome;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.ReplicaClient;

/**
 * A Tickwave client on the JDK's {@link java.net.http.WebSocket}: connect, join, send inputs, chat,
 * hear state and events through a {@link TickwaveListener}, measure the round trip, and come back by
 * itself after a dropped connection (docs/client-java.md).
 *
 * <pre>{@code
 * TickwaveClient client = TickwaveClient.builder().listener(myListener).build();
 * Welcome welcome = client.connectAndJoin(URI.create("ws://localhost:8080/ws"), JoinRequest.named("ann")).join();
 * client.sendInput(myInput);
 * client.close();
 * }</pre>
 *
 * <p><b>Threading.</b> Every public method may be called from any thread and does not block (but
 * {@link #close}, briefly). The protocol state (a {@link ClientSession}) is owned by one event thread
 * per client, {@code tickwave-client}: every listener callback runs there, one at a time, in the order
 * the server sent its messages, and the futures complete there. Calls from other threads are handed to
 * it, in order.
 *
 * <p><b>Reconnects</b> (on unless {@link Builder#reconnect(boolean) turned off}): after a joined
 * connection ends with a code that is not final ({@link CloseCodes#isFinal}; 4014 counts as final, as
 * it takes a new seat from a matchmaker), the client waits a backoff (from
 * {@link Builder#reconnectBackoff first} doubling to max, jittered), connects to the same URI and joins
 * with the seat's reconnect token: the same player, whose inputs go on numbering above the old ones. A
 * refused token takes a new seat (a new {@code onWelcome}, not resumed). Attempts stop after
 * {@link Builder#maxReconnectAttempts}; a welcome starts the count again.
 *
 * <p><b>Errors.</b> No checked exceptions: failures arrive as a future completed with a
 * {@link TickwaveException}, or through {@link TickwaveListener#onError}, {@code onJoinRefused} and
 * {@code onClosed}. An exception thrown by a listener is caught and printed, and does not stop the client.
 */
public final class TickwaveClient implements AutoCloseable {

    /** Builds a client; every setting has a default. Not thread-safe. */
    public static final class Builder {
        private TickwaveListener listener = new TickwaveListener() { };
        private HttpClient http;
        private boolean reconnect = true;
        private Duration firstBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private int maxReconnectAttempts = 10;
        private Duration pingInterval = Duration.ofSeconds(1);
        private int inputRateHz;
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        public Builder listener(TickwaveListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /** The HTTP client whose WebSockets to use (e.g. with an SSL context for {@code wss://}); default: a new one. */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        /** Whether to reconnect by itself after a connection drops (default true). */
        public Builder reconnect(boolean on) {
            this.reconnect = on;
            return this;
        }

        /** The first reconnect's delay and the most any later one waits (default 100 ms and 5 s). */
        public Builder reconnectBackoff(Duration first, Duration max) {
            if (first.isNegative() || max.compareTo(first) < 0) {
                throw new IllegalArgumentException("backoff from " + first + " to " + max);
            }
            this.firstBackoff = first;
            this.maxBackoff = max;
            return this;
        }

        /** Failed reconnects in a row before the client gives up (default 10). */
        public Builder maxReconnectAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("at least one reconnect attempt, got " + attempts);
            }
            this.maxReconnectAttempts = attempts;
            return this;
        }

        /** How often to ping, for {@link #rttNanos()} and to keep the connection alive (default 1 s); zero: never. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = interval;
            return this;
        }

        /**
         * Input pacing: while joined, send the latest input given to {@link #setInput} this many times a
         * second (default 0: no pacing, the game calls {@link #sendInput} itself).
         */
        public Builder inputRate(int hz) {
            if (hz < 0 || hz > 120) {
                throw new IllegalArgumentException("input rate 0..120 Hz (the server allows 120 messages a second), got " + hz);
            }
            this.inputRateHz = hz;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public TickwaveClient build() {
            return new TickwaveClient(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private final TickwaveListener listener;
    private final HttpClient http;
    private final boolean reconnectEnabled;
    private final long firstBackoffMs;
    private final long maxBackoffMs;
    private final int maxReconnectAttempts;
    private final Duration connectTimeout;
    private final ScheduledExecutorService events;
    private final Thread eventThread;
    private final ClientSession session;

    // Owned by the event thread.
    private URI uri;
    private Connection current;
    private CompletableFuture<Welcome> joinFuture;
    private boolean everJoined;
    private boolean closing;
    private int reconnectAttempts;
    private ScheduledFuture<?> reconnectTask;
    private final CompletableFuture<Void> closedForGood = new CompletableFuture<>();

    // Read from any thread.
    private volatile boolean joined;
    private volatile int playerId;
    private volatile long rttNanos = -1;
    private volatile MessageLite pacedInput;
    private volatile byte[] pacedInputBytes;

    private TickwaveClient(Builder b) {
        this.listener = b.listener;
        this.http = b.http != null ? b.http : HttpClient.newHttpClient();
        this.reconnectEnabled = b.reconnect;
        this.firstBackoffMs = b.firstBackoff.toMillis();
        this.maxBackoffMs = b.maxBackoff.toMillis();
        this.maxReconnectAttempts = b.maxReconnectAttempts;
        this.connectTimeout = b.connectTimeout;
        this.events = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tickwave-client");
            t.setDaemon(true);
            return t;
        });
        try {
            this.eventThread = events.submit(Thread::currentThread).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the client's event thread", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not start the client's event thread", e);
        }
        this.session = new ClientSession(this::sendFrame, new SessionEvents());
        long pingMs = b.pingInterval.toMillis();
        if (pingMs > 0) {
            events.scheduleAtFixedRate(this::pingIfConnected, pingMs, pingMs, TimeUnit.MILLISECONDS);
        }
        if (b.inputRateHz > 0) {
            long periodNs = 1_000_000_000L / b.inputRateHz;
            events.scheduleAtFixedRate(this::sendPacedInput, periodNs, periodNs, TimeUnit.NANOSECONDS);
        }
    }

    // ---------------------------------------------------------------- the public API

    /** Opens a WebSocket to {@code uri} (e.g. {@code ws://host:8080/ws}); completes when it is open. */
    public CompletableFuture<Void> connect(URI uri) {
        CompletableFuture<Void> opened = new CompletableFuture<>();
        onEventThread(() -> {
            if (closing) {
                opened.completeExceptionally(new TickwaveException("the client is closed", 0, 0, null));
                return;
            }
            if (current != null) {
                opened.completeExceptionally(new TickwaveException("already connected", 0, 0, null));
                return;
            }
            this.uri = uri;
            open(opened);
        });
        return opened;
    }

    /**
     * Joins on the open connection; completes with the welcome, or with a {@link TickwaveException} when
     * the join is refused ({@code errorCode()}) or the connection closes first ({@code closeCode()}).
     */
    public CompletableFuture<Welcome> join(JoinRequest request) {
        CompletableFuture<Welcome> welcome = new CompletableFuture<>();
        onEventThread(() -> {
            if (current == null) {
                welcome.completeExceptionally(new TickwaveException("not connected", 0, 0, null));
                return;
            }
            if (joinFuture != null && !joinFuture.isDone()) {
                welcome.completeExceptionally(new TickwaveException("a join is already under way", 0, 0, null));
                return;
            }
            joinFuture = welcome;
            try {
                session.join(request);
            } catch (RuntimeException e) {
                joinFuture = null;
                welcome.completeExceptionally(e);
            }
        });
        return welcome;
    }

    /** {@link #connect}, then {@link #join}. */
    public CompletableFuture<Welcome> connectAndJoin(URI uri, JoinRequest request) {
        return connect(uri).thenCompose(opened -> join(request));
    }

    /** Sends one input now, with the next seq; dropped while not joined (e.g. reconnecting). */
    public void sendInput(MessageLite payload) {
        onEventThread(() -> {
            if (session.joined()) {
                session.sendInput(payload);
            }
        });
    }

    /** Sends one input now (the game's message, serialized), with the next seq; dropped while not joined. */
    public void sendInput(byte[] payload) {
        byte[] copy = payload.clone();
        onEventThread(() -> {
            if (session.joined()) {
                session.sendInput(copy);
            }
        });
    }

    /** With {@link Builder#inputRate}: the input to send from now on, each period (null: stop sending). */
    public void setInput(MessageLite payload) {
        pacedInputBytes = null;
        pacedInput = payload;
    }

    /** With {@link Builder#inputRate}: the input's bytes to send from now on, each period (null: stop sending). */
    public void setInput(byte[] payload) {
        pacedInput = null;
        pacedInputBytes = payload == null ? null : payload.clone();
    }

    /** Sends a chat line (dropped while not connected). */
    public void chat(String text) {
        onEventThread(() -> {
            if (current != null) {
                session.chat(text);
            }
        });
    }

    /** Whether the client holds a seat on an open connection now. */
    public boolean isJoined() {
        return joined;
    }

    /** The player id of the newest welcome; 0 before the first. */
    public int playerId() {
        return playerId;
    }

    /** The round trip of the newest pong; -1 before the first. */
    public long rttNanos() {
        return rttNanos;
    }

    /**
     * The protocol state, for reads from a listener callback only (the event thread owns it): the
     * replica, the seqs, the smoothed round trip.
     */
    public ClientSession session() {
        if (Thread.currentThread() != eventThread) {
            throw new IllegalStateException("the session belongs to the client's event thread: read it from a listener callback");
        }
        return session;
    }

    /**
     * Drops the connection without a close handshake, as a lost network would: the server keeps the seat
     * for its grace period and the client reconnects if reconnects are on. For testing a game's reconnects.
     */
    public void dropConnection() {
        onEventThread(() -> {
            Connection c = current;
            if (c != null) {
                c.socket.abort();
                ended(c, CloseCodes.ABNORMAL, "dropped by the client");
            }
        });
    }

    /**
     * Leaves (close 1000: the server frees the seat at once), stops reconnecting and ends the event
     * thread. Waits up to two seconds for the server's close answer, unless called from a listener.
     */
    @Override
    public void close() {
        onEventThread(() -> {
            closing = true;
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
            }
            Connection c = current;
            if (c == null) {
                closedForGood.complete(null);
                return;
            }
            c.send(null);
            events.schedule(() -> {
                if (current == c) {
                    c.socket.abort();
                    ended(c, CloseCodes.NORMAL, "closed by the client");
                }
            }, 2, TimeUnit.SECONDS);
        });
        if (Thread.currentThread() != eventThread) {
            try {
                closedForGood.get(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // Closing anyway: the event thread ends, and the socket's last task aborts it if it is still open.
            }
            events.shutdown();
        } else {
            closedForGood.whenComplete((v, e) -> events.shutdown());
        }
    }

    // ---------------------------------------------------------------- the event thread

    /** Runs {@code task} on the event thread; false when the client is closed and it will not run. */
    private boolean onEventThread(Runnable task) {
        try {
            events.execute(() -> safely(task));
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    private void open(CompletableFuture<Void> opened) {
        Connection c = new Connection();
        http.newWebSocketBuilder().connectTimeout(connectTimeout).buildAsync(uri, c)
                .whenComplete((socket, failure) -> {
                    if (!onEventThread(() -> opened(c, socket, failure, opened)) && socket != null) {
                        socket.abort(); // the client closed while this connection was being opened
                    }
                });
    }

    /** The event thread: the WebSocket of {@code c} opened, or failed to. */
    private void opened(Connection c, WebSocket socket, Throwable failure, CompletableFuture<Void> opened) {
        if (failure != null) {
            opened.completeExceptionally(new TickwaveException("could not connect to " + uri + ": " + rootCause(failure), 0, 0, failure));
            if (everJoined && !closing) {
                scheduleReconnect(CloseCodes.ABNORMAL, "connect failed: " + rootCause(failure));
            }
            return;
        }
        if (closing) {
            socket.abort();
            opened.completeExceptionally(new TickwaveException("the client is closed", 0, 0, null));
            return;
        }
        c.socket = socket;
        current = c;
        opened.complete(null);
    }

    private void sendFrame(byte[] frame) {
        Connection c = current;
        if (c != null) {
            c.send(frame);
        }
    }

    private void pingIfConnected() {
        if (current != null) {
            session.ping();
        }
    }

    private void sendPacedInput() {
        if (!session.joined()) {
            return;
        }
        MessageLite message = pacedInput;
        byte[] bytes = pacedInputBytes;
        if (message != null) {
            session.sendInput(message);
        } else if (bytes != null) {
            session.sendInput(bytes);
        }
    }

    /** The connection {@code c} ended (close frame, error, or our abort). */
    private void ended(Connection c, int code, String reason) {
        if (c != current) {
            return;
        }
        current = null;
        joined = false;
        session.connectionEnded();
        if (joinFuture != null && !joinFuture.isDone()) {
            joinFuture.completeExceptionally(TickwaveException.closed(code, reason));
        }
        boolean willReconnect = !closing && reconnectEnabled && everJoined && !CloseCodes.isFinal(code)
                && code != CloseCodes.SEAT_REFUSED && reconnectAttempts < maxReconnectAttempts;
        safely(() -> listener.onClosed(code, reason, willReconnect));
        if (willReconnect) {
            scheduleReconnect(code, reason);
        } else if (closing) {
            closedForGood.complete(null);
        }
    }

    private void scheduleReconnect(int code, String reason) {
        if (reconnectAttempts >= maxReconnectAttempts) {
            safely(() -> listener.onClosed(code, "gave up after " + reconnectAttempts + " reconnect attempts: " + reason, false));
            return;
        }
        reconnectAttempts++;
        long backoff = Math.min(maxBackoffMs, firstBackoffMs << Math.min(reconnectAttempts - 1, 20));
        long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        int attempt = reconnectAttempts;
        safely(() -> listener.onReconnecting(attempt, delay));
        reconnectTask = events.schedule(() -> {
            if (closing || current != null) {
                return;
            }
            CompletableFuture<Void> opened = new CompletableFuture<>();
            opened.thenRun(() -> {
                if (current != null && !session.joined() && !session.joinPending()) {
                    session.rejoin();
                }
            });
            open(opened);
        }, delay, TimeUnit.MILLISECONDS);
    }

    private static String rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t);
    }

    private static void safely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            System.err.println("tickwave-client: a callback threw " + e);
            e.printStackTrace();
        }
    }

    /** The session's callbacks: kept up to date here, then passed on to the user's listener. */
    private final class SessionEvents implements TickwaveListener {
        @Override
        public void onWelcome(Welcome welcome) {
            everJoined = true;
            joined = true;
            playerId = welcome.getPlayerId();
            reconnectAttempts = 0;
            safely(() -> listener.onWelcome(welcome));
            if (joinFuture != null) {
                joinFuture.complete(welcome);
            }
        }

        @Override
        public void onJoinRefused(int errorCode, String message) {
            safely(() -> listener.onJoinRefused(errorCode, message));
            if (joinFuture != null) {
                joinFuture.completeExceptionally(TickwaveException.error(errorCode, message));
            }
        }

        @Override
        public void onState(StateUpdate update) {
            safely(() -> listener.onState(update));
        }

        @Override
        public void onEntityAdded(int id, EntityType type, ReplicaClient state) {
            safely(() -> listener.onEntityAdded(id, type, state));
        }

        @Override
        public void onEntityChanged(int id, EntityType type, int changedMask, ReplicaClient state) {
            safely(() -> listener.onEntityChanged(id, type, changedMask, state));
        }

        @Override
        public void onEntityRemoved(int id, EntityType type) {
            safely(() -> listener.onEntityRemoved(id, type));
        }

        @Override
        public void onEvent(long tick, byte[] payload) {
            safely(() -> listener.onEvent(tick, payload));
        }

        @Override
        public void onChat(int id, String name, String text) {
            safely(() -> listener.onChat(id, name, text));
        }

        @Override
        public void onPlayerJoined(int id, String name) {
            safely(() -> listener.onPlayerJoined(id, name));
        }

        @Override
        public void onPlayerLeft(int id, String name) {
            safely(() -> listener.onPlayerLeft(id, name));
        }

        @Override
        public void onRtt(long nanos) {
            rttNanos = nanos;
            safely(() -> listener.onRtt(nanos));
        }

        @Override
        public void onError(int errorCode, String message) {
            safely(() -> listener.onError(errorCode, message));
        }

        @Override
        public void onDecodeError(String problem) {
            safely(() -> listener.onDecodeError(problem));
        }
    }

    /**
     * One WebSocket: the JDK's listener (on the JDK's threads, one call at a time), which reassembles
     * messages and hands them to the event thread, and the chain of sends (the JDK takes one at a time).
     */
    private final class Connection implements WebSocket.Listener {
        WebSocket socket;
        /** Guarded by this: the tail of the send chain. */
        private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);
        private byte[] assembling = new byte[4096];
        private int assembled;

        /** Queues {@code frame} behind the sends before it (null: close 1000). Only once {@link #socket} is set. */
        synchronized void send(byte[] frame) {
            WebSocket ws = socket;
            sends = sends.handle((ok, failed) -> null).thenCompose(ignored -> frame == null
                    ? ws.sendClose(WebSocket.NORMAL_CLOSURE, "")
                    : ws.sendBinary(ByteBuffer.wrap(frame), true));
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            int n = data.remaining();
            if (assembled + n > assembling.length) {
                assembling = Arrays.copyOf(assembling, Math.max(assembled + n, assembling.length * 2));
            }
            data.get(assembling, assembled, n);
            assembled += n;
            if (last) {
                byte[] message = Arrays.copyOf(assembling, assembled);
                assembled = 0;
                onEventThread(() -> {
                    if (current == this) {
                        session.receive(message, 0, message.length);
                    }
                });
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1); // the protocol is binary; a server sends no text
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            onEventThread(() -> ended(this, statusCode, reason));
            return null; // the JDK answers the close frame
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            onEventThread(() -> ended(this, CloseCodes.ABNORMAL, rootCause(error)));
        }
    }
}
