package io.tickwave.server.net;

import io.tickwave.server.ServerSettings;
import io.tickwave.server.net.websocket.FrameParser;

import java.nio.ByteBuffer;

/**
 * Hands what one connection's {@link FrameParser} finds to the {@link InboundGateway} and the
 * connection: every frame first to the gateway's frame rate limit, messages to the gateway, pings
 * answered with pongs (they count as signs of life), pongs ignored, the peer's close answered, framing
 * violations closed with their code.
 *
 * <p>Owned by the connection's IO thread.
 */
public final class WebSocketInbound implements FrameParser.Handler {

    /** The most frames one message may arrive in; more is closed with 1008. */
    public static final int MAX_FRAGMENTS_PER_MESSAGE = 64;
    /** A client's read buffer starts at this size and grows only for a bigger frame. */
    private static final int INITIAL_READ_BUFFER_BYTES = 2_048;

    private final ClientConnection connection;
    private final InboundGateway gateway;

    public WebSocketInbound(ClientConnection connection, InboundGateway gateway) {
        this.connection = connection;
        this.gateway = gateway;
    }

    /**
     * The parser a client connection reads with: masked frames, messages up to
     * {@code --max-frame-bytes} in at most {@link #MAX_FRAGMENTS_PER_MESSAGE} frames.
     */
    public static FrameParser newClientFrameParser(ServerSettings settings) {
        return new FrameParser(true, settings.maxFrameBytes(), MAX_FRAGMENTS_PER_MESSAGE, INITIAL_READ_BUFFER_BYTES);
    }

    @Override
    public boolean onFrame() {
        return gateway.onWebSocketFrame(connection);
    }

    @Override
    public void onBinaryMessage(ByteBuffer payload) {
        gateway.onBinaryFrame(connection, payload);
    }

    @Override
    public void onTextMessage(ByteBuffer payload) {
        if (!connection.isClosing()) {
            gateway.onTextFrame(connection);
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        gateway.onWebSocketPing(connection);
        connection.answerWebSocketPing(payload);
    }

    @Override
    public void onPong(ByteBuffer payload) {
        // Unsolicited pongs are allowed (RFC 6455 section 5.5.3) and mean nothing to us.
    }

    @Override
    public void onClose(int code) {
        connection.onPeerClose(code);
    }

    @Override
    public void onViolation(int closeCode, String reason) {
        connection.onFramingViolation(closeCode, reason);
    }
}
