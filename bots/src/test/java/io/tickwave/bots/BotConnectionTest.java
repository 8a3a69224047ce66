package io.tickwave.bots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.EntityTypeSchema;
import io.tickwave.protocol.FieldKind;
import io.tickwave.protocol.FieldSchema;
import io.tickwave.protocol.ReplicationSchema;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.protocol.Welcome;
import io.tickwave.replication.BitWriter;

/**
 * The bots' own WebSocket client against a tiny server written in the test with plain blocking
 * sockets: the upgrade, masked client frames, a fragmented snapshot larger than the read buffer
 * dribbled in small writes, ping → pong and close → close. The server thread checks what the bot
 * wrote; the test checks what the bot counted.
 */
class BotConnectionTest {

    /** One frame as the test server read it: the opcode and the unmasked payload. */
    private record ClientFrame(int opcode, byte[] payload) {
    }

    @Test
    void shouldUpgradeReassembleFragmentsAnswerPingAndEchoTheServersClose() throws Exception {
        byte[] state = new byte[100_000]; // over 65535: the 8-byte length form; over the lane's 64 KiB read buffer
        for (int i = 0; i < state.length; i++) {
            state[i] = (byte) (i * 31);
        }
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> server = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = listener.accept()) {
                    socket.setSoTimeout(10_000);
                    return serve(socket, state);
                } catch (IOException e) {
                    return "server failed: " + e;
                }
            });
            SwarmStats stats = runOneBot(oneBot(listener).withPing(Duration.ZERO), server, s -> !s.closesByCode().isEmpty());
            assertEquals(Map.of(4321, 1L), stats.closesByCode(), "the server's close code, as the bot saw it");
            assertEquals(1, stats.welcomes.sum());
            assertEquals(1, stats.snapshotsReceived.sum(), "the three fragments are one message");
            assertEquals(0, stats.totalErrors(), () -> stats.errorsByKind() + " " + stats.firstErrorMessages());
        }
    }

    @Test
    void shouldRecordAbnormalClosureWhenTheServerHangsUpWithoutACloseFrame() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> server = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = listener.accept()) {
                    socket.setSoTimeout(10_000);
                    upgrade(socket);
                    readFrame(socket.getInputStream()); // the join
                    welcome(socket.getOutputStream());
                    return "ok";
                } catch (IOException e) {
                    return "server failed: " + e;
                }
            });
            SwarmStats stats = runOneBot(oneBot(listener).withPing(Duration.ZERO), server, s -> !s.closesByCode().isEmpty());
            assertEquals(Map.of(Bot.ABNORMAL_CLOSURE, 1L), stats.closesByCode());
        }
    }

    @Test
    void shouldCountAFailedUpgradeAsAHandshakeError() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket socket = listener.accept()) {
                    readHead(socket.getInputStream());
                    socket.getOutputStream().write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    socket.getInputStream().read();
                } catch (IOException e) {
                    // the client hung up: expected
                }
            });
            SwarmSettings settings = SwarmSettings.defaults(URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/nope"))
                    .withIoThreads(1);
            SwarmStats stats = new SwarmStats();
            try (Swarm swarm = new Swarm(settings, stats)) {
                swarm.addBots(1, Duration.ZERO);
                for (int i = 0; i < 500 && stats.totalErrors() == 0; i++) {
                    Thread.sleep(10);
                }
            }
            assertEquals(Map.of("handshake", 1L), stats.errorsByKind());
            assertTrue(stats.firstErrorMessages().get("handshake").contains("404"), stats.firstErrorMessages()::toString);
            assertEquals(0, stats.welcomes.sum());
        }
    }

    @Test
    void shouldJoinWithV1AndAckTheNewestSnapshotWhenAskedForProtocol1() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> server = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = listener.accept()) {
                    socket.setSoTimeout(10_000);
                    upgrade(socket);
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    ClientMessage join = ClientMessage.parseFrom(readFrame(in).payload());
                    if (join.getJoin().getProtocolVersion() != 1) {
                        return "joined with version " + join.getJoin().getProtocolVersion();
                    }
                    welcome(out);
                    ByteArrayOutputStream both = new ByteArrayOutputStream(); // one write, one read: one ack, for the newest
                    for (long tick : new long[] {54, 55}) {
                        byte[] snapshot = ServerMessage.newBuilder().setSnapshot(Snapshot.newBuilder().setTick(tick)).build().toByteArray();
                        writeServerFrame(both, 0x82, snapshot, 0, snapshot.length);
                    }
                    out.write(both.toByteArray());
                    out.flush();
                    for (int i = 0; i < 100; i++) {
                        byte[] payload = readFrame(in).payload();
                        ClientMessage m = ClientMessage.parseFrom(payload);
                        if (m.hasInput() && m.getInput().getNewestSnapshotTick() != 0) {
                            return "a v1 input carries newest_snapshot_tick";
                        }
                        if (m.getKindCase() == ClientMessage.KindCase.KIND_NOT_SET) {
                            // v1's SnapshotAck (field 5) is unknown to the v2 classes: compare the bytes.
                            byte[] expected = ClientFrames.snapshotAckV1(55).array();
                            return java.util.Arrays.equals(expected, payload) ? "ok" : "not the ack for 55: " + java.util.Arrays.toString(payload);
                        }
                    }
                    return "no ack";
                } catch (IOException e) {
                    return "server failed: " + e;
                }
            });
            SwarmStats stats = runOneBot(oneBot(listener).withProtocolVersion(1), server, s -> true);
            assertEquals(1, stats.acksSent.sum(), "one ack for the two snapshots read before the timer ran");
        }
    }

    @Test
    void shouldCountACorruptedStateHashAsAMismatchAndAnUnheldBaselineAsOneDecodeFailure() throws Exception {
        // One entity type: a 10-bit level and a flag. The stream is written here by the spec's rules.
        ReplicationSchema schema = ReplicationSchema.newBuilder().addTypes(EntityTypeSchema.newBuilder()
                .setTypeId(1).setName("test.Dot").setPriority(1).setPositionXField(-1).setPositionYField(-1)
                .addFields(FieldSchema.newBuilder().setName("level").setNumber(1).setKind(FieldKind.BOUNDED).setBits(10))
                .addFields(FieldSchema.newBuilder().setName("lit").setNumber(2).setKind(FieldKind.BOOL).setBits(1)))
                .build();
        BitWriter create = new BitWriter();
        create.writeGamma(0);          // no removals
        create.writeGamma(1);          // one creation:
        create.writeGamma(0);          //   id 1
        create.writeBits(1, 1);        //   type 1 (1 bit: the largest type id is 1)
        create.writeBits(300, 10);     //   level 300
        create.writeBool(true);        //   lit
        create.writeGamma(0);          // no updates
        BitWriter flip = new BitWriter();
        flip.writeGamma(0);
        flip.writeGamma(0);
        flip.writeGamma(1);            // one update:
        flip.writeGamma(0);            //   id 1
        flip.writeBits(0b10, 2);       //   mask: lit only (a changed bool flips, no bits)
        BitWriter nothing = new BitWriter();
        nothing.writeGamma(0);
        nothing.writeGamma(0);
        nothing.writeGamma(0);
        int afterCreate = fnv1a(1, 1, 300, 1);
        int afterFlip = fnv1a(1, 1, 300, 0);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> server = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = listener.accept()) {
                    socket.setSoTimeout(10_000);
                    upgrade(socket);
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    readFrame(in); // the join
                    byte[] welcome = ServerMessage.newBuilder().setWelcome(Welcome.newBuilder().setPlayerId(1).setTickRate(30)
                            .setSnapshotRate(30).setProtocolVersion(2).setReplicationSchema(schema)).build().toByteArray();
                    ByteArrayOutputStream wire = new ByteArrayOutputStream();
                    writeServerFrame(wire, 0x82, welcome, 0, welcome.length);
                    replicated(wire, 10, 0, create, afterCreate);       // right
                    replicated(wire, 11, 10, flip, afterFlip ^ 1);      // corrupted: one mismatch
                    replicated(wire, 12, 11, nothing, afterFlip);       // right again: the replica was fine
                    replicated(wire, 13, 99, nothing, null);            // a baseline never sent: one decode failure
                    replicated(wire, 14, 13, nothing, afterFlip);       // builds on the lost 13: skipped, not counted
                    out.write(wire.toByteArray());
                    out.flush();
                    for (int i = 0; i < 200; i++) {
                        ClientMessage m = ClientMessage.parseFrom(readFrame(in).payload());
                        if (m.hasInput() && m.getInput().getNewestSnapshotTick() == 14) {
                            return "ok";
                        }
                    }
                    return "the bot never read snapshot 14";
                } catch (IOException e) {
                    return "server failed: " + e;
                }
            });
            SwarmSettings settings = oneBot(listener).withPing(Duration.ZERO).withStateDecoding(new StateDecoding(true, 0));
            SwarmStats stats = runOneBot(settings, server, s -> s.state.decodeFailures.sum() > 0);
            StateStats.Totals state = stats.state.totals();
            assertEquals(1, state.decodingBots());
            assertEquals(3, state.snapshots(), "10, 11 and 12 applied; 13 failed; 14 skipped");
            assertEquals(1, state.created());
            assertEquals(1, state.updated());
            assertEquals(3, state.hashesChecked());
            assertEquals(1, state.hashMismatches());
            assertEquals(1, state.decodeFailures());
            assertEquals(Map.of(ReplicaCheck.MISMATCH, 1L, ReplicaCheck.DECODE, 1L), stats.errorsByKind());
            assertTrue(stats.firstErrorMessages().get(ReplicaCheck.MISMATCH).contains("snapshot 11"), stats.firstErrorMessages()::toString);
            assertTrue(stats.firstErrorMessages().get(ReplicaCheck.DECODE).contains("baseline 99"), stats.firstErrorMessages()::toString);
        }
    }

    /** A snapshot frame carrying {@code state} against {@code baseline}, with {@code hash} unless null. */
    private static void replicated(OutputStream out, long tick, long baseline, BitWriter state, Integer hash) throws IOException {
        Snapshot.Builder snapshot = Snapshot.newBuilder().setTick(tick).setBaselineTick(baseline)
                .setState(ByteString.copyFrom(state.array(), 0, state.byteLength()));
        if (hash != null) {
            snapshot.setStateHash(hash);
        }
        byte[] bytes = ServerMessage.newBuilder().setSnapshot(snapshot).build().toByteArray();
        writeServerFrame(out, 0x82, bytes, 0, bytes.length);
    }

    /** FNV-1a (32 bits) over the little-endian bytes of {@code words}: docs/replication.md's state hash. */
    private static int fnv1a(int... words) {
        int hash = 0x811C9DC5;
        for (int word : words) {
            for (int b = 0; b < 4; b++) {
                hash ^= (word >>> (8 * b)) & 0xFF;
                hash *= 16777619;
            }
        }
        return hash;
    }

    /** A swarm of one bot on one lane, aimed at the test server's {@code /ws}. */
    private static SwarmSettings oneBot(ServerSocket listener) {
        return SwarmSettings.defaults(URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws")).withIoThreads(1);
    }

    /**
     * Runs one bot until the test server's {@code script} has answered "ok" and {@code settled} holds
     * for the bot's counts (or two seconds more have passed), then stops the swarm and returns the counts.
     */
    private static SwarmStats runOneBot(SwarmSettings settings, CompletableFuture<String> script,
                                        java.util.function.Predicate<SwarmStats> settled) throws Exception {
        SwarmStats stats = new SwarmStats();
        try (Swarm swarm = new Swarm(settings, stats)) {
            swarm.addBots(1, Duration.ZERO);
            assertEquals("ok", script.get(20, TimeUnit.SECONDS));
            for (int i = 0; i < 200 && !settled.test(stats); i++) {
                Thread.sleep(10);
            }
        }
        return stats;
    }

    /** The server's side of the first test; returns "ok" or what went wrong. */
    private static String serve(Socket socket, byte[] state) throws IOException {
        upgrade(socket);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        ClientFrame join = readFrame(in);
        if (join.opcode() != BotConnection.OP_BINARY || !ClientMessage.parseFrom(join.payload()).hasJoin()) {
            return "first frame is not a join: " + join.opcode();
        }
        welcome(out);
        byte[] snapshot = ServerMessage.newBuilder().setSnapshot(Snapshot.newBuilder().setTick(777)
                .setState(ByteString.copyFrom(state))).build().toByteArray();
        // Three fragments: binary without FIN, continuation, continuation with FIN; dribbled.
        int a = 10;
        int b = 70_000;
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        writeServerFrame(wire, 0x02, snapshot, 0, a);
        writeServerFrame(wire, 0x00, snapshot, a, b - a);
        writeServerFrame(wire, 0x80, snapshot, b, snapshot.length - b);
        byte[] bytes = wire.toByteArray();
        for (int at = 0; at < bytes.length; at += 7001) {
            out.write(bytes, at, Math.min(7001, bytes.length - at));
            out.flush();
        }
        // The bot's next input says which snapshot it read: proof the reassembled message parsed.
        long tickSeen = 0;
        for (int i = 0; i < 100 && tickSeen != 777; i++) {
            ClientFrame f = readFrame(in);
            ClientMessage m = ClientMessage.parseFrom(f.payload());
            if (m.hasInput()) {
                tickSeen = m.getInput().getNewestSnapshotTick();
            }
        }
        if (tickSeen != 777) {
            return "inputs never reported tick 777, last " + tickSeen;
        }
        byte[] ping = "abc".getBytes(StandardCharsets.US_ASCII);
        writeServerFrame(out, 0x80 | 0x09, ping, 0, ping.length);
        ClientFrame pong = skipInputs(in);
        if (pong.opcode() != BotConnection.OP_PONG || !java.util.Arrays.equals(ping, pong.payload())) {
            return "no pong with the ping's payload, got opcode " + pong.opcode();
        }
        byte[] close = {(byte) (4321 >> 8), (byte) (4321 & 0xFF), 'b', 'y', 'e'};
        writeServerFrame(out, 0x80 | 0x08, close, 0, close.length);
        ClientFrame closeBack = skipInputs(in);
        if (closeBack.opcode() != BotConnection.OP_CLOSE) {
            return "no close frame back, got opcode " + closeBack.opcode();
        }
        assertArrayEquals(new byte[] {(byte) (4321 >> 8), (byte) (4321 & 0xFF)}, closeBack.payload(), "the code echoed");
        return "ok";
    }

    private static ClientFrame skipInputs(InputStream in) throws IOException {
        for (int i = 0; i < 100; i++) {
            ClientFrame f = readFrame(in);
            if (f.opcode() != BotConnection.OP_BINARY) {
                return f;
            }
        }
        throw new IOException("only binary frames");
    }

    private static void upgrade(Socket socket) throws IOException {
        String head = readHead(socket.getInputStream());
        Matcher key = Pattern.compile("(?im)^Sec-WebSocket-Key: *(\\S+)\\s*$").matcher(head);
        if (!head.startsWith("GET /ws HTTP/1.1\r\n") || !key.find() || !head.contains("Sec-WebSocket-Version: 13")) {
            throw new IOException("not an upgrade request: " + head);
        }
        socket.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WebSocketHandshake.acceptFor(key.group(1)) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void welcome(OutputStream out) throws IOException {
        byte[] welcome = ServerMessage.newBuilder().setWelcome(Welcome.newBuilder().setPlayerId(1).setTickRate(30)
                .setSnapshotRate(30).setProtocolVersion(2)).build().toByteArray();
        writeServerFrame(out, 0x82, welcome, 0, welcome.length);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("eof in the request head");
            }
            head.append((char) c);
        }
        return head.toString();
    }

    /** An unmasked server frame; {@code b0} carries FIN and the opcode. */
    private static void writeServerFrame(OutputStream out, int b0, byte[] payload, int offset, int length) throws IOException {
        out.write(b0);
        if (length < 126) {
            out.write(length);
        } else if (length < 65536) {
            out.write(126);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) length >> (8 * i)));
            }
        }
        out.write(payload, offset, length);
        out.flush();
    }

    /** Reads one client frame and checks that it is masked, as RFC 6455 requires of clients. */
    private static ClientFrame readFrame(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b0 & 0x80) == 0) {
            throw new IOException("the bots never fragment: FIN must be set");
        }
        if ((b1 & 0x80) == 0) {
            throw new IOException("client frame not masked");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] mask = new byte[4];
        in.readFully(mask);
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return new ClientFrame(b0 & 0x0F, payload);
    }
}
