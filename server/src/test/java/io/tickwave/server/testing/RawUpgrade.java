package io.tickwave.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket upgrade request written by hand on a plain socket, for tests that need what the JDK client
 * cannot do: choose the local address, send any {@code Origin} (or none) and read the refusal's status
 * and body. After a 101 the socket stays open as the WebSocket until {@link #close()}. Used by one test
 * thread.
 */
public final class RawUpgrade implements AutoCloseable {

    private final Socket socket;
    private final int status;
    private final String head;
    private final String body;

    private RawUpgrade(Socket socket, int status, String head, String body) {
        this.socket = socket;
        this.status = status;
        this.head = head;
        this.body = body;
    }

    /** Upgrades {@code /ws} from the default local address without an Origin header. */
    public static RawUpgrade open(int port) throws IOException {
        return open(port, null, null);
    }

    /**
     * Sends the upgrade request and reads the answer's head (and, for a refusal, its body).
     *
     * @param localAddress the address to connect from and to (the server must listen there), or null to
     *     connect to 127.0.0.1 from any
     * @param origin the Origin header, or null for none
     */
    public static RawUpgrade open(int port, InetAddress localAddress, String origin) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(10_000);
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        InetAddress server = localAddress != null ? localAddress : InetAddress.getByName("127.0.0.1");
        socket.connect(new InetSocketAddress(server, port), 10_000);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET /ws HTTP/1.1\r\n"
                + "Host: " + server.getHostAddress() + ":" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        String body = "";
        if (status != 101) {
            int length = contentLength(head);
            body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
        return new RawUpgrade(socket, status, head, body);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside the response head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }

    /** The HTTP status of the answer: 101 when the WebSocket is open. */
    public int status() {
        return status;
    }

    /** The answer's status line and headers. */
    public String head() {
        return head;
    }

    /** The body of a refusal; empty for a 101. */
    public String body() {
        return body;
    }

    /** Ends the connection by closing the socket (no close frame). */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
