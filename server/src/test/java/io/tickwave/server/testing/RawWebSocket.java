package io.tickwave.server.testing;

import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.ServerMessage;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * A WebSocket client over a plain socket, for what the JDK's client will not do: send broken frames,
 * send a browser's exact handshake, stop reading at the TCP level. Blocking; owned by the test thread.
 */
public final class RawWebSocket implements AutoCloseable {

    /** One frame the server sent. */
    public record Frame(int opcode, byte[] payload) {
        public int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | payload[1] & 0xFF : 1005;
        }

        /** The reason text of a close frame, empty when it has none. */
        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        public ServerMessage message() throws IOException {
            return ServerMessage.parseFrom(payload);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Random random = new Random(11);
    private final String responseHead;

    private RawWebSocket(Socket socket, String responseHead) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.responseHead = responseHead;
    }

    /** A fresh base64 key of 16 random bytes. */
    public static String newKey() {
        byte[] key = new byte[16];
        new Random().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * Sends {@code requestHead} (a whole request head, CRLF line ends and the blank line included) and
     * reads the response head.
     *
     * @param receiveBufferBytes the socket's receive buffer, or 0 for the default (small ones make a
     *                           client that stops reading back up quickly)
     */
    public static RawWebSocket open(int port, String requestHead, int receiveBufferBytes) throws IOException {
        return open(port, requestHead, receiveBufferBytes, 0);
    }

    /** As {@link #open(int, String, int)}, with a send buffer of {@code sendBufferBytes} unless 0. */
    public static RawWebSocket open(int port, String requestHead, int receiveBufferBytes, int sendBufferBytes)
            throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        if (sendBufferBytes > 0) {
            socket.setSendBufferSize(sendBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(requestHead.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return new RawWebSocket(socket, head.toString(StandardCharsets.US_ASCII));
    }

    /** A minimal, valid handshake for {@code /ws}. */
    public static RawWebSocket connect(int port, int receiveBufferBytes) throws IOException {
        return connect(port, receiveBufferBytes, 0);
    }

    /** As {@link #connect(int, int)}, with a send buffer of {@code sendBufferBytes} unless 0. */
    public static RawWebSocket connect(int port, int receiveBufferBytes, int sendBufferBytes) throws IOException {
        RawWebSocket ws = open(port, "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + newKey() + "\r\nSec-WebSocket-Version: 13\r\n\r\n",
                receiveBufferBytes, sendBufferBytes);
        if (!ws.responseHead.startsWith("HTTP/1.1 101")) {
            ws.close();
            throw new IOException("handshake refused: " + ws.responseHead);
        }
        return ws;
    }

    /** The response head, status line to blank line. */
    public String responseHead() {
        return responseHead;
    }

    public void sendMessage(ClientMessage message) throws IOException {
        sendFrame(0x80 | 0x2, true, message.toByteArray());
    }

    /** Sends one frame: {@code firstByte} is FIN, RSV and opcode as they go on the wire. */
    public void sendFrame(int firstByte, boolean mask, byte[] payload) throws IOException {
        sendHeader(firstByte, mask, payload.length, payload);
    }

    /**
     * Sends a frame header announcing {@code declaredLength} bytes, then {@code payload} (which may be
     * shorter: the rest is sent, or not, by the caller).
     */
    public void sendHeader(int firstByte, boolean mask, long declaredLength, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        int maskBit = mask ? 0x80 : 0;
        if (declaredLength < 126) {
            frame.write(maskBit | (int) declaredLength);
        } else if (declaredLength <= 0xFFFF) {
            frame.write(maskBit | 126);
            frame.writeBytes(ByteBuffer.allocate(2).putShort((short) declaredLength).array());
        } else {
            frame.write(maskBit | 127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(declaredLength).array());
        }
        byte[] body = payload.clone();
        if (mask) {
            byte[] key = new byte[4];
            random.nextBytes(key);
            frame.writeBytes(key);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= key[i % 4];
            }
        }
        frame.writeBytes(body);
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Writes raw bytes (for example the rest of a huge frame, unmasked garbage: the server only counts it). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads the next frame the server sent, or null at the end of the stream. */
    public Frame readFrame() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int second = in.readUnsignedByte();
        if ((second & 0x80) != 0) {
            throw new IOException("the server masked a frame");
        }
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if ((first & 0x80) == 0) {
            throw new IOException("the server fragmented a frame");
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0F, payload);
    }

    /** Reads frames until a close frame and returns it, or null if the stream ends without one. */
    public Frame awaitCloseFrame() throws IOException {
        for (Frame frame = readFrame(); frame != null; frame = readFrame()) {
            if (frame.opcode() == 0x8) {
                return frame;
            }
        }
        return null;
    }

    /** Reads frames until a close frame and returns its code, or -1 if the stream ends without one. */
    public int awaitCloseCode() throws IOException {
        for (Frame frame = readFrame(); frame != null; frame = readFrame()) {
            if (frame.opcode() == 0x8) {
                return frame.closeCode();
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
