package io.tickwave.server.net;

import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.EventTranslatorThreeArg;
import com.lmax.disruptor.EventTranslatorTwoArg;
import com.lmax.disruptor.RingBuffer;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.loop.RingEvent;
import io.tickwave.server.metrics.ServerMetrics;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * Turns the frames of every connection into ring events: rate-limits frames and messages, decodes,
 * validates, and publishes with {@code tryPublishEvent}, so an IO thread never waits for the loop. Answers pings
 * itself, and answers bad input with an {@code Error} message and/or a close code.
 *
 * <p>Threads: called on IO threads, one connection's frames always on that connection's IO thread.
 * Stateless apart from the shared ring and counters; per-connection state lives in
 * {@link ClientConnection}.
 */
public final class InboundGateway {

    /** The protocol version this server speaks. */
    public static final int PROTOCOL_VERSION = 2;
    public static final int MAX_NAME_CHARS = PlayerNames.MAX_CHARS;

    private static final System.Logger LOG = System.getLogger(InboundGateway.class.getName());

    private static final EventTranslatorTwoArg<RingEvent, ClientConnection, String> JOIN_TRANSLATOR =
            (event, sequence, connection, name) -> {
                event.kind = RingEvent.JOIN;
                event.connection = connection;
                event.text = name;
            };
    private static final EventTranslatorThreeArg<RingEvent, ClientConnection, DecodedMessage, ByteBuffer>
            INPUT_TRANSLATOR = (event, sequence, connection, input, frame) -> {
                event.kind = RingEvent.INPUT;
                event.connection = connection;
                event.value = input.inputSeq;
                event.snapshotTick = input.newestSnapshotTick;
                event.copyPayload(frame, input.payloadOffset, input.payloadLength);
            };
    private static final EventTranslatorTwoArg<RingEvent, ClientConnection, String> CHAT_TRANSLATOR =
            (event, sequence, connection, text) -> {
                event.kind = RingEvent.CHAT;
                event.connection = connection;
                event.text = text;
            };
    private static final EventTranslatorOneArg<RingEvent, ClientConnection> LEAVE_TRANSLATOR =
            (event, sequence, connection) -> {
                event.kind = RingEvent.LEAVE;
                event.connection = connection;
            };

    private final RingBuffer<RingEvent> ring;
    private final ServerSettings settings;
    private final ServerMetrics metrics;
    private final DeferredLeaves deferredLeaves = new DeferredLeaves();
    /** Made here, when the server starts, so that seeding its randomness never delays a join. */
    private final ReconnectTokens reconnectTokens = new ReconnectTokens();
    private final DrainState drainState = new DrainState();
    /** Null on a single node, which takes joins without a seat token. */
    private final SeatCheck seats;

    public InboundGateway(RingBuffer<RingEvent> ring, ServerSettings settings, ServerMetrics metrics) {
        this(ring, settings, metrics, null);
    }

    /** @param seats checks each join's seat token (a cluster node), or null to take joins without one */
    public InboundGateway(RingBuffer<RingEvent> ring, ServerSettings settings, ServerMetrics metrics, SeatCheck seats) {
        this.ring = ring;
        this.settings = settings;
        this.metrics = metrics;
        this.seats = seats;
    }

    /**
     * Checks a join's seat token on the IO thread, without a round trip to anyone: a cluster node's
     * signature check. Must not block.
     */
    public interface SeatCheck {
        /** The seat the token holds, or throws with what is wrong with it. */
        Seat check(String seatToken) throws IllegalArgumentException;
    }

    /** A checked seat: its room (positive) and the matchmaker's reservation it fills. */
    public record Seat(int roomId, String reservation) {
    }

    /** Whether the server drains; while it does, joins without a reconnect token are refused here. */
    public DrainState drainState() {
        return drainState;
    }

    /** The leaves this gateway could not publish; the game loop of the same ring takes them. */
    public DeferredLeaves deferredLeaves() {
        return deferredLeaves;
    }

    /**
     * A WebSocket frame of any kind (data, continuation, ping, pong, close) arrived whole on
     * {@code connection}, before it is handled: the frame rate limit ({@code --max-frames-per-second}),
     * which the message limit alone cannot be, as empty continuations and control frames carry no
     * message. Over it, the client is closed with 4008 like a message flood, and the frame is refused.
     * Costs a few arithmetic operations per frame, and a clock read once per burst.
     */
    public boolean onWebSocketFrame(ClientConnection connection) {
        metrics.webSocketFramesIn.increment();
        if (connection.tryAcquireFrame()) {
            return true;
        }
        if (!connection.isClosing()) {
            metrics.rateLimited.increment();
            connection.closeOnIoThread(CloseCodes.RATE_LIMITED,
                    "over " + settings.maxFramesPerSecond() + " frames per second");
        }
        return false;
    }

    /** A binary frame arrived on {@code connection}. The buffer is only valid during the call. */
    public void onBinaryFrame(ClientConnection connection, ByteBuffer frame) {
        long nowNs = connection.nanoTime();
        connection.frameReceived(nowNs);
        metrics.framesIn.increment();
        metrics.bytesIn.add(frame.remaining());
        if (connection.isClosing()) {
            return;
        }
        if (!connection.messageLimiter.tryAcquire(nowNs)) {
            metrics.rateLimited.increment();
            connection.closeOnIoThread(CloseCodes.RATE_LIMITED,
                    "over " + settings.maxMessagesPerSecond() + " messages per second");
            return;
        }
        DecodedMessage message = connection.decoded;
        if (!ClientMessageDecoder.decode(frame, message)) {
            metrics.decodeErrors.increment();
            refuseAndClose(connection, ErrorCode.MALFORMED_MESSAGE, "frame is not a ClientMessage",
                    CloseCodes.MALFORMED);
            return;
        }
        switch (message.kind) {
            case DecodedMessage.JOIN -> onJoin(connection, message);
            case DecodedMessage.INPUT -> onInput(connection, message, frame);
            case DecodedMessage.CHAT -> onChat(connection, message.chatText, nowNs);
            case DecodedMessage.PING -> connection.sendDirect(ServerMessages.pong(message.pingClientTime));
            default -> {
                metrics.decodeErrors.increment();
                refuseAndClose(connection, ErrorCode.UNKNOWN_MESSAGE, "empty or unknown message kind",
                        CloseCodes.UNKNOWN_MESSAGE);
            }
        }
    }

    /** A text frame arrived: the protocol is binary only. */
    public void onTextFrame(ClientConnection connection) {
        connection.frameReceived(connection.nanoTime());
        metrics.decodeErrors.increment();
        refuseAndClose(connection, ErrorCode.MALFORMED_MESSAGE, "text frames are not accepted; send binary protobuf",
                CloseCodes.TEXT_FRAME);
    }

    /**
     * Periodic check on the connection's IO thread (every {@link ServerSettings#connectionCheckIntervalMs()}):
     * closes it when nothing arrived for too long, or when it has not joined within the join timeout.
     */
    public void onIdleCheck(ClientConnection connection) {
        if (connection.isClosing()) {
            return;
        }
        long nowNs = connection.nanoTime();
        if (connection.isIdle(nowNs, settings.idleTimeoutMs() * 1_000_000L)) {
            connection.closeOnIoThread(CloseCodes.IDLE_TIMEOUT, "nothing received for " + settings.idleTimeoutMs() + " ms");
        } else if (connection.isPastJoinDeadline(nowNs, settings.joinTimeoutMs() * 1_000_000L)) {
            connection.closeOnIoThread(CloseCodes.JOIN_TIMEOUT, "no join within " + settings.joinTimeoutMs() + " ms");
        }
    }

    /**
     * The connection ended, for whatever reason. Tells the loop once: through the ring, or, when the
     * ring is full, through {@link DeferredLeaves}, which the loop reads only after it has handled this
     * connection's earlier events. Never waits and never retries.
     */
    public void onClosed(ClientConnection connection) {
        if (!connection.joinPublished || connection.leaveSent) {
            return;
        }
        connection.leaveSent = true;
        if (!ring.tryPublishEvent(LEAVE_TRANSLATOR, connection)) {
            // Read after this thread's own publishes of this connection's events: the cursor covers them.
            metrics.leavesDeferred.increment();
            deferredLeaves.defer(connection, ring.getCursor());
        }
    }

    private void onJoin(ClientConnection connection, DecodedMessage join) {
        if (connection.joinPublished && !connection.joinAgainAllowed) {
            refuse(connection, ErrorCode.ALREADY_JOINED, "already joined");
            return;
        }
        if (join.protocolVersion != PROTOCOL_VERSION) {
            refuseAndClose(connection, ErrorCode.BAD_PROTOCOL_VERSION,
                    "this server speaks protocol version " + PROTOCOL_VERSION + ", not "
                            + Integer.toUnsignedString(join.protocolVersion),
                    CloseCodes.BAD_PROTOCOL_VERSION);
            return;
        }
        String name = join.joinName.strip();
        String problem = PlayerNames.problemWith(name);
        if (problem != null) {
            refuse(connection, ErrorCode.BAD_NAME, problem);
            return;
        }
        String optionsProblem = JoinOptions.problemWith(join);
        if (optionsProblem != null) {
            refuse(connection, ErrorCode.BAD_JOIN_OPTIONS, optionsProblem);
            return;
        }
        byte[] presented = join.joinReconnectToken;
        boolean resuming = presented != null && presented.length > 0;
        if (!resuming && drainState.draining()) {
            refuseAndClose(connection, ErrorCode.SERVER_DRAINING, "this server is draining: join another",
                    CloseCodes.REMATCH);
            return;
        }
        if (connection.issuedToken == null) {
            connection.issuedToken = reconnectTokens.issue();
        }
        connection.presentedToken = resuming ? ReconnectToken.fromBytes(presented) : null;
        if (seats != null && !resuming) {
            try {
                Seat seat = seats.check(join.joinSeatToken);
                connection.seatRoomId = seat.roomId();
                connection.seatReservation = seat.reservation();
            } catch (IllegalArgumentException e) {
                refuseAndClose(connection, ErrorCode.SEAT_REFUSED, e.getMessage(), CloseCodes.SEAT_REFUSED);
                return;
            }
        }
        connection.joinOptions = JoinOptions.copyOf(join.joinOptions);
        connection.joinRoomId = seats == null ? join.joinRoomId : 0;
        connection.joinCreateRoom = seats == null && join.joinCreateRoom;
        // Cleared before the publish: once published, the loop may refuse a reconnect token and allow a
        // join again at once, and that must not be overwritten here afterwards.
        connection.joinAgainAllowed = false;
        if (!ring.tryPublishEvent(JOIN_TRANSLATOR, connection, name)) {
            metrics.ringFullDrops.increment();
            refuseAndClose(connection, ErrorCode.SERVER_BUSY, "server busy, try again", CloseCodes.SERVER_BUSY);
            return;
        }
        connection.joinPublished = true;
    }

    /** A WebSocket-level ping arrived: the client is alive, though it sent no message. */
    public void onWebSocketPing(ClientConnection connection) {
        connection.frameReceived(connection.nanoTime());
    }

    private void onInput(ClientConnection connection, DecodedMessage input, ByteBuffer frame) {
        if (!connection.joinPublished) {
            refuse(connection, ErrorCode.NOT_JOINED, "send join first");
            return;
        }
        long seq = input.inputSeq;
        if (seq <= connection.lastInputSeq) {
            refuse(connection, ErrorCode.STALE_INPUT,
                    "input seq " + seq + " is not above the last accepted " + connection.lastInputSeq);
            return;
        }
        if (input.payloadLength > settings.maxInputBytes()) {
            refuse(connection, ErrorCode.INPUT_TOO_LARGE, "input payload over " + settings.maxInputBytes() + " bytes");
            return;
        }
        if (!ring.tryPublishEvent(INPUT_TRANSLATOR, connection, input, frame)) {
            metrics.ringFullDrops.increment();
            refuse(connection, ErrorCode.SERVER_BUSY, "server busy: input " + seq + " dropped");
            return;
        }
        connection.lastInputSeq = seq;
    }

    private void onChat(ClientConnection connection, String rawText, long nowNs) {
        if (!connection.joinPublished) {
            refuse(connection, ErrorCode.NOT_JOINED, "send join first");
            return;
        }
        String text = rawText.strip();
        if (text.codePointCount(0, text.length()) > settings.maxChatChars()) {
            refuse(connection, ErrorCode.CHAT_TOO_LONG, "chat lines are at most " + settings.maxChatChars()
                    + " characters");
            return;
        }
        if (text.isEmpty()) {
            return;
        }
        if (!connection.chatLimiter.tryAcquire(nowNs)) {
            metrics.rateLimited.increment();
            refuse(connection, ErrorCode.CHAT_RATE_LIMITED, "at most " + settings.chatLinesPerSecond()
                    + " chat lines per second");
            return;
        }
        if (!ring.tryPublishEvent(CHAT_TRANSLATOR, connection, text)) {
            metrics.ringFullDrops.increment();
            refuse(connection, ErrorCode.SERVER_BUSY, "server busy: chat line dropped");
        }
    }

    private void refuse(ClientConnection connection, ErrorCode code, String message) {
        metrics.protocolErrors.increment();
        connection.sendDirect(ServerMessages.error(code, message));
    }

    private void refuseAndClose(ClientConnection connection, ErrorCode code, String message, int closeCode) {
        LOG.log(Level.DEBUG, "closing connection {0} with {1}: {2}", connection.connectionId(), closeCode, message);
        connection.sendDirect(ServerMessages.error(code, message));
        connection.closeOnIoThread(closeCode, message);
    }
}
