package io.tickwave.server.transport.undertow;

import io.tickwave.server.ServerSettings;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.ClientConnection;
import io.tickwave.server.net.InboundGateway;
import io.tickwave.server.net.IoThreadBatch;
import io.tickwave.server.net.WebSocketInbound;
import io.tickwave.server.net.websocket.FrameParser;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClientConnection} over the raw connection an HTTP upgrade left behind: our code reads and
 * writes its channels, Undertow no longer does. Reads are always on (a read listener parses frames);
 * writes are gathering and non-blocking, and a write listener is resumed only while a write is partial.
 *
 * <p>Owned by the XNIO IO thread the connection is bound to; everything here runs there.
 */
final class UndertowConnection extends ClientConnection {

    /** How long a peer gets to answer our close frame before the socket is simply closed. */
    private static final long CLOSE_GRACE_MS = 2_000;
    /** Reads per readiness event, so that one busy client cannot hold its IO thread. */
    private static final int MAX_READS_PER_EVENT = 16;

    private final StreamConnection stream;
    private final ConduitStreamSourceChannel source;
    private final ConduitStreamSinkChannel sink;
    private final XnioIoThread ioThread;
    private final IoThreadBatch batch;
    private final FrameParser parser;
    private final WebSocketInbound inbound;
    private XnioExecutor.Key idleTimer;
    private XnioExecutor.Key closeTimer;

    UndertowConnection(long connectionId, int ioThreadIndex, StreamConnection stream, IoThreadBatch batch,
                       InboundGateway gateway, ServerSettings settings, ServerMetrics metrics) {
        super(connectionId, ioThreadIndex, settings, metrics, System.nanoTime());
        this.stream = stream;
        this.source = stream.getSourceChannel();
        this.sink = stream.getSinkChannel();
        this.ioThread = stream.getIoThread();
        this.batch = batch;
        this.parser = WebSocketInbound.newClientFrameParser(settings);
        this.inbound = new WebSocketInbound(this, gateway);
    }

    /** Starts reading; {@code closed} runs once when the socket is gone. IO thread. */
    void start(Runnable closed) {
        stream.setCloseListener(ignored -> {
            try {
                cancelTimers();
                onTransportClosed();
            } finally {
                closed.run(); // the leave and the connection slot, whatever happened above
            }
        });
        source.getReadSetter().set(ignored -> onReadable());
        sink.getWriteSetter().set(ignored -> {
            try {
                if (!sink.flush()) {
                    return; // a buffering conduit (TLS) still holds bytes: stay resumed until it is empty
                }
            } catch (IOException broken) {
                endConnection();
                return;
            }
            sink.suspendWrites();
            onWritable();
        });
        source.resumeReads();
        // Bytes the client sent right behind its handshake may already be waiting.
        onReadable();
    }

    void idleTimer(XnioExecutor.Key timer) {
        this.idleTimer = timer;
    }

    XnioIoThread ioThread() {
        return ioThread;
    }

    private void cancelTimers() {
        if (idleTimer != null) {
            idleTimer.remove();
        }
        if (closeTimer != null) {
            closeTimer.remove();
        }
    }

    private void onReadable() {
        for (int i = 0; i < MAX_READS_PER_EVENT && stream.isOpen(); i++) {
            int read;
            try {
                read = source.read(parser.readBuffer());
            } catch (IOException broken) {
                endConnection();
                return;
            }
            if (read > 0) {
                parser.parse(inbound);
            } else {
                if (read < 0) {
                    endConnection(); // the peer is gone, with or without a close frame
                }
                return;
            }
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
    protected long writeToSocket(ByteBuffer[] buffers, int offset, int length) throws IOException {
        long written = sink.write(buffers, offset, length);
        if (!sink.flush()) {
            // Over TLS the conduit takes the bytes into its own buffer and may not hand them all to the
            // kernel at once; the write listener finishes the flush (plain TCP always flushes here).
            sink.resumeWrites();
        }
        return written;
    }

    @Override
    protected void awaitWritable() {
        sink.resumeWrites();
    }

    @Override
    protected void closeStarted(int code, String reason) {
        closeTimer = ioThread.executeAfter(this::endConnection, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void closeFrameWritten() {
        try {
            sink.shutdownWrites();
            if (!sink.flush()) {
                sink.resumeWrites(); // the listener flushes the rest (TLS)
            }
        } catch (IOException broken) {
            endConnection();
        }
    }

    @Override
    protected void endConnection() {
        IoUtils.safeClose(stream);
    }

    @Override
    protected long nanoTime() {
        return System.nanoTime();
    }
}
