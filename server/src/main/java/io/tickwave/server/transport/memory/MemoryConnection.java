package io.tickwave.server.transport.memory;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.ClientConnection;
import io.tickwave.server.net.InboundGateway;
import io.tickwave.server.net.IoThreadBatch;
import io.tickwave.server.net.SnapshotFrame;
import org.agrona.concurrent.NanoClock;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection without a socket, for tests and benchmarks that run the whole server in one thread.
 * Its "IO thread" is whichever thread calls it: tasks run at once, sends complete at once unless
 * {@link #stopReading()} holds them back, as a client that stopped reading would, or
 * {@link #failSends} makes them throw. Drains the loop requests wait for the transport's flush. Delayed tasks wait
 * for {@link MemoryTransport#runDelayedTasks()}.
 */
public final class MemoryConnection extends ClientConnection {

    private final InboundGateway gateway;
    private final NanoClock clock;
    private final MemoryTransport transport;
    private final List<ServerMessage> received = new ArrayList<>();
    private final List<ByteBuffer> heldFrames = new ArrayList<>();
    private final List<SnapshotFrame> heldSnapshots = new ArrayList<>();
    private boolean reading = true;
    private RuntimeException sendFailure;
    private boolean keepMessages = true;
    private int closeCode;
    private long framesReceived;
    private long bytesReceived;

    MemoryConnection(long connectionId, ServerSettings settings, ServerMetrics metrics, InboundGateway gateway,
                     NanoClock clock, MemoryTransport transport) {
        super(connectionId, settings, metrics, clock.nanoTime());
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

    /** The client goes away. */
    public void disconnect() {
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

    /** From now on frames stay unsent, as on a socket whose peer stopped reading. */
    public void stopReading() {
        reading = false;
    }

    /** From now on every send throws {@code failure}, as a broken transport might. */
    public void failSends(RuntimeException failure) {
        sendFailure = failure;
    }

    /** The close code the server sent, or 0. */
    public int closeCode() {
        return closeCode;
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
    protected void executeOnIoThreadLater(Runnable task, long delayMs) {
        transport.runLater(task);
    }

    @Override
    protected void sendBinary(ByteBuffer frame, SnapshotFrame snapshot) {
        if (sendFailure != null) {
            throw sendFailure;
        }
        if (!reading) {
            heldFrames.add(frame);
            heldSnapshots.add(snapshot);
            return;
        }
        framesReceived++;
        bytesReceived += frame.remaining();
        if (keepMessages) {
            try {
                received.add(ServerMessage.parseFrom(frame.duplicate()));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("server sent an undecodable frame", e);
            }
        }
        onSendComplete(snapshot, true);
    }

    @Override
    protected void closeWithCode(int code, String reason) {
        closeCode = code;
        gateway.onClosed(this);
    }

    @Override
    protected long nanoTime() {
        return clock.nanoTime();
    }
}
