package io.tickwave.server.transport.undertow;

import io.tickwave.server.net.InboundGateway;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import org.xnio.Pooled;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Receives one connection's frames on its IO thread and passes them to the {@link InboundGateway}.
 * Message size is capped here (Undertow's default is unbounded): a bigger frame makes Undertow close
 * the connection with 1009.
 */
final class FrameListener extends AbstractReceiveListener {

    private final UndertowConnection connection;
    private final InboundGateway gateway;
    private final int maxFrameBytes;
    /** Reassembles a message that arrived in several pooled buffers; made on first need. IO thread. */
    private ByteBuffer joined;

    FrameListener(UndertowConnection connection, InboundGateway gateway, int maxFrameBytes) {
        this.connection = connection;
        this.gateway = gateway;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return maxFrameBytes;
    }

    @Override
    protected long getMaxTextBufferSize() {
        return maxFrameBytes;
    }

    @Override
    @SuppressWarnings("deprecation") // Undertow's BufferedBinaryMessage still hands out XNIO's Pooled
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        try (Pooled<ByteBuffer[]> data = message.getData()) {
            ByteBuffer[] buffers = data.getResource();
            if (buffers.length == 1) {
                gateway.onBinaryFrame(connection, buffers[0]);
            } else {
                if (joined == null) {
                    joined = ByteBuffer.allocate(maxFrameBytes);
                }
                joined.clear();
                for (ByteBuffer buffer : buffers) {
                    joined.put(buffer);
                }
                joined.flip();
                gateway.onBinaryFrame(connection, joined);
            }
        }
    }

    @Override
    protected void onFullPingMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
        gateway.onWebSocketPing(connection);
        super.onFullPingMessage(channel, message);
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
        gateway.onTextFrame(connection);
    }
}
