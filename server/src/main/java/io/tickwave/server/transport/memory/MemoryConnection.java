package io.tickwave.server.transport.memory;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.ClientConnection;
import io.tickwave.server.net.InboundGateway;
import io.tickwave.server.net.IoThreadBatch;
import io.tickwave.server.net.websocket.FrameParser;
import org.agrona.concurrent.NanoClock;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection without a socket, for tests and benchmarks that run the whole server in one thread.
 * Its "IO thread" is whichever thread calls it: tasks run at once, and the gathered buffers of every
 * write are copied out and parsed as the WebSocket frames a client would receive, unless
 * {@link #stopReading()} holds them back, as a client that stopped reading would (then nothing is
 * written until {@link #resumeReading()}), or {@link #failSends} makes writes throw. Drains the loop
 * requests wait for the transport's flush.
 */
public final class MemoryConnection extends ClientConnection {

    /** What the in-memory client accepts from the server; server frames are unmasked. */
    private static final int MAX_SERVER_MESSAGE_BYTES = 64 << 20;

    private final InboundGateway gateway;
    private final NanoClock clock;
    private final MemoryTransport transport;
    private final List<ServerMessage> received = new ArrayList<>();
    private final FrameParser serverFrames = new FrameParser(false, MAX_SERVER_MESSAGE_BYTES, 1, 4_096);
    private final FrameParser.Handler client = new ReceivingClient();
    private boolean reading = true;
    private RuntimeException sendFailure;
    private boolean writeBlocked;
    private boolean keepMessages = true;
    private int closeCode;
    private int closeFrameCode;
    private long framesReceived;
    private long bytesReceived;

    MemoryConnection(long connectionId, ServerSettings settings, ServerMetrics metrics, InboundGateway gateway,
                     NanoClock clock, MemoryTransport transport) {
        super(connectionId, 0, settings, metrics, clock.nanoTime());
        this.gateway = gateway;
        this.clock = clock;
        this.transport = transport;
    }

    /** Delivers a client message to the server, as a binary frame. */
    public void send(ClientMessage message) {
        gateway.onBinaryFrame(this, ByteBuffer.wrap(message.toByteArray()));
    }

    /** Delivers raw bytes as a binary frame. */
    public void sendRaw(byte[] frame) {
        gateway.onBinaryFrame(this, ByteBuffer.wrap(frame));
    }

    /** Delivers a binary frame from a buffer the caller reuses (for benchmarks: no allocation). */
    public void sendFrame(ByteBuffer frame) {
        gateway.onBinaryFrame(this, frame);
    }

    /**
     * The client leaves on purpose (as a close with 1000 does): what was not written is dropped, as when
     * a socket closes, and its seat is given up at once.
     */
    public void disconnect() {
        keepsSeat = false;
        onTransportClosed();
        gateway.onClosed(this);
    }

    /**
     * The client's connection is lost (no close frame): its seat waits for a reconnect for
     * {@code --reconnect-grace-ms}.
     */
    public void drop() {
        onTransportClosed();
        gateway.onClosed(this);
    }

    /** Decoded messages received so far, oldest first. */
    public List<ServerMessage> received() {
        return received;
    }

    /** Counts frames without decoding or keeping them (for benchmarks). */
    public void discardMessages() {
        keepMessages = false;
    }

    public long framesReceived() {
        return framesReceived;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    /** From now on frames stay unwritten, as on a socket whose peer stopped reading. */
    public void stopReading() {
        reading = false;
    }

    /** From now on every write throws {@code failure}, as a broken transport might. */
    public void failSends(RuntimeException failure) {
        sendFailure = failure;
    }

    /** Takes frames again, as a peer that reads again: what waited is written now. */
    public void resumeReading() {
        reading = true;
        if (writeBlocked) {
            writeBlocked = false;
            onWritable();
        }
    }

    /** The close code the server decided on, or 0. */
    public int closeCode() {
        return closeCode;
    }

    /** The code of the close frame the client received, or 0. */
    public int closeFrameCode() {
        return closeFrameCode;
    }

    @Override
    protected void executeOnIoThread(Runnable task) {
        task.run();
    }

    @Override
    protected IoThreadBatch ioThreadBatch() {
        return transport.batch();
    }

    @Override
    protected long writeToSocket(ByteBuffer[] buffers, int offset, int length) {
        if (sendFailure != null) {
            throw sendFailure;
        }
        if (!reading) {
            return 0;
        }
        long written = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer source = buffers[i];
            while (source.hasRemaining()) {
                ByteBuffer target = serverFrames.readBuffer();
                int chunk = Math.min(target.remaining(), source.remaining());
                int limit = source.limit();
                source.limit(source.position() + chunk);
                target.put(source);
                source.limit(limit);
                written += chunk;
                serverFrames.parse(client);
            }
        }
        return written;
    }

    @Override
    protected void awaitWritable() {
        writeBlocked = true;
    }

    @Override
    protected void closeStarted(int code, String reason) {
        closeCode = code;
        gateway.onClosed(this);
    }

    @Override
    protected void closeFrameWritten() {
        // Nothing to shut: there is no socket.
    }

    @Override
    protected void endConnection() {
        onTransportClosed();
    }

    @Override
    protected long nanoTime() {
        return clock.nanoTime();
    }

    /** The client's side: what it does with each frame the server wrote. */
    private final class ReceivingClient implements FrameParser.Handler {
        @Override
        public boolean onFrame() {
            return true; // the client side counts nothing
        }

        @Override
        public void onBinaryMessage(ByteBuffer payload) {
            framesReceived++;
            bytesReceived += payload.remaining();
            if (keepMessages) {
                try {
                    received.add(ServerMessage.parseFrom(payload));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("server sent an undecodable frame", e);
                }
            }
        }

        @Override
        public void onTextMessage(ByteBuffer payload) {
            throw new IllegalStateException("server sent a text frame");
        }

        @Override
        public void onPing(ByteBuffer payload) {
            throw new IllegalStateException("server sent a ping");
        }

        @Override
        public void onPong(ByteBuffer payload) {
            // a pong answering a WebSocket ping; the in-memory client sends none
        }

        @Override
        public void onClose(int code) {
            closeFrameCode = code;
        }

        @Override
        public void onViolation(int closeCode, String reason) {
            throw new IllegalStateException("server broke the WebSocket framing: " + reason);
        }
    }
}
