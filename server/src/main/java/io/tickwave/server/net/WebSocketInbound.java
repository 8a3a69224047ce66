package io.tickwave.server.net;

import io.tickwave.server.net.websocket.FrameParser;

import java.nio.ByteBuffer;

/**
 * Hands what one connection's {@link FrameParser} finds to the {@link InboundGateway} and the
 * connection: messages to the gateway, pings answered with pongs (they count as signs of life), pongs
 * ignored, the peer's close answered, framing violations closed with their code.
 *
 * <p>Owned by the connection's IO thread.
 */
public final class WebSocketInbound implements FrameParser.Handler {

    private final ClientConnection connection;
    private final InboundGateway gateway;

    public WebSocketInbound(ClientConnection connection, InboundGateway gateway) {
        this.connection = connection;
        this.gateway = gateway;
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
