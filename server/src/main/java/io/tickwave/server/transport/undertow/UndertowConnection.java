package io.tickwave.server.transport.undertow;

import io.tickwave.server.ServerSettings;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.ClientConnection;
import io.tickwave.server.net.IoThreadBatch;
import io.tickwave.server.net.SnapshotFrame;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClientConnection} over an Undertow WebSocket channel. Its IO thread is the XNIO thread the
 * channel is bound to; everything that touches the channel runs there.
 */
final class UndertowConnection extends ClientConnection {

    /** How long a peer gets to answer our close frame before the socket is simply closed. */
    private static final long CLOSE_GRACE_MS = 2_000;

    private final WebSocketChannel channel;
    private final XnioIoThread ioThread;
    private final WebSocketCallback<SnapshotFrame> sendCallback = new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel ignored, SnapshotFrame snapshot) {
            onSendComplete(snapshot, true);
        }

        @Override
        public void onError(WebSocketChannel ignored, SnapshotFrame snapshot, Throwable throwable) {
            onSendComplete(snapshot, false);
        }
    };
    private XnioExecutor.Key idleTimer;

    private final IoThreadBatch batch;

    UndertowConnection(long connectionId, WebSocketChannel channel, IoThreadBatch batch, ServerSettings settings,
                       ServerMetrics metrics) {
        super(connectionId, settings, metrics, System.nanoTime());
        this.channel = channel;
        this.ioThread = channel.getIoThread();
        this.batch = batch;
    }

    WebSocketChannel channel() {
        return channel;
    }

    void idleTimer(XnioExecutor.Key timer) {
        this.idleTimer = timer;
    }

    void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.remove();
        }
    }

    @Override
    protected void executeOnIoThread(Runnable task) {
        ioThread.execute(task);
    }

    @Override
    protected IoThreadBatch ioThreadBatch() {
        return batch;
    }

    @Override
    protected void executeOnIoThreadLater(Runnable task, long delayMs) {
        ioThread.executeAfter(task, delayMs, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void sendBinary(ByteBuffer frame, SnapshotFrame snapshot) {
        WebSockets.sendBinary(frame, channel, sendCallback, snapshot);
    }

    @Override
    protected void closeWithCode(int code, String reason) {
        WebSockets.sendClose(code, reason, channel, null);
        ioThread.executeAfter(() -> IoUtils.safeClose(channel), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected long nanoTime() {
        return System.nanoTime();
    }
}
