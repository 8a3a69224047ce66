package io.tickwave.server.net;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.api.SnapshotBuffer;
import io.tickwave.server.loop.ProblemReporter;
import io.tickwave.server.loop.RingEvent;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.websocket.FrameParser;
import io.tickwave.server.testing.LoopHarness;
import io.tickwave.server.transport.memory.MemoryConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Plays one client's bytes through the real inbound path and checks what the server did after every
 * step: the client's {@link FrameParser} and {@link WebSocketInbound} (as {@code UndertowConnection}
 * reads a socket), the frame and message limits, {@link ClientMessageDecoder}, the gateway's checks,
 * the ring and the game loop, all on this thread ({@link LoopHarness}, a hand-driven clock).
 *
 * <p>The input is a sequence of steps, each an opcode byte and its operands; a step cut short by the
 * end of the input uses what is left:
 * <ul>
 *   <li>{@code op % 4 == 0}: a frame: its first header byte (FIN, RSV, opcode) as on the wire, a 2-byte
 *       big-endian length, that many payload bytes; sent masked, with the length in 7, 16 or 64 bits;</li>
 *   <li>{@code op % 4 == 1}: a binary message: a 2-byte length and that many bytes, sent as one final
 *       masked binary frame (the shortest way to reach the decoder);</li>
 *   <li>{@code op % 4 == 2}: raw bytes: a length byte and that many bytes, written as they are (broken
 *       framing, frames split across reads);</li>
 *   <li>{@code op % 4 == 3}: time: a byte of milliseconds to move the clock, then one duty cycle of the
 *       loop (drain, tick when due, snapshots) and the sends it queued.</li>
 * </ul>
 *
 * <p>Checked (an {@link AssertionError} names the broken one; anything the server throws escapes as it
 * is, which is a finding too):
 * <ul>
 *   <li>every message the parser hands over is either published to the ring as exactly one event
 *       whose fields are what the generated {@code ClientMessage.parseFrom} reads from the same bytes,
 *       or answered (a pong), or refused with the error and close code docs/protocol.md names for why,
 *       or, an empty chat line, ignored;</li>
 *   <li>the decoder refuses (4002) exactly the bytes {@code parseFrom} refuses;</li>
 *   <li>nothing but one leave is published for a connection once it is closing;</li>
 *   <li>a refused frame closes with 4008, a framing violation with 1002, 1008 or 1009;</li>
 *   <li>the parser always takes more bytes; the loop never fails on an event; another player in the
 *       room keeps its connection and its snapshots.</li>
 * </ul>
 *
 * <p>Owned by the calling thread; one instance per input, so that a failing input fails again alone.
 */
final class InboundPathHarness implements AutoCloseable {

    private static final int RECONNECT_GRACE_MS = 50;

    private static final int OP_FRAME = 0;
    private static final int OP_MESSAGE = 1;
    private static final int OP_RAW = 2;
    private static final byte[] MASK = {0x11, 0x22, 0x44, (byte) 0x88};
    /** A small ring, so that a few dozen events between two loop cycles fill it and the busy paths run. */
    private static final int RING_SIZE = 64;
    /** Shared by every input's server: stopping a reporter waits for its thread, too slow per input. */
    private static final ProblemReporter PROBLEMS = new ProblemReporter();
    private static final Set<Integer> FRAMING_CLOSES = Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.POLICY_VIOLATION,
            CloseCodes.MESSAGE_TOO_BIG);

    /** One ring event as it was published, copied before the loop reuses its slot. */
    private record Published(int kind, ClientConnection connection, long value, long snapshotTick, String text,
                             byte[] payload) {
    }

    private final LoopHarness server;
    private final ServerSettings settings;
    private final MemoryConnection client;
    /** {@link #client} seen as the connection its package-private state belongs to. */
    private final ClientConnection clientState;
    private final MemoryConnection observer;
    private final FrameParser parser;
    private final WebSocketInbound inbound;
    private final FrameParser.Handler checks = new CheckingHandler();
    /** The newest ring sequence looked at. */
    private long seenSequence;
    private int leavesPublished;

    /** What one input did, for tests that check it reached what it was written for. */
    record Played(ServerMetrics metrics, int clientCloseCode) {
    }

    /** Runs {@code input} on a fresh server and checks it; throws what the server threw, or the broken invariant. */
    static Played play(byte[] input) {
        try (InboundPathHarness harness = new InboundPathHarness()) {
            harness.run(input);
            return new Played(harness.server.metrics(), harness.client.closeCode());
        }
    }

    private InboundPathHarness() {
        // A short reconnect grace: a connection the input drops without a leave keeps its seat this long,
        // and the run checks that the seat is then freed.
        settings = ServerSettings.defaults().withRingSize(RING_SIZE).withIoThreads(1).withReconnectGraceMs(RECONNECT_GRACE_MS);
        server = new LoopHarness(settings, QuietGame::new, PROBLEMS);
        observer = server.connect();
        observer.send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName("observer").setProtocolVersion(2))
                .build());
        server.runTicks(2);
        require(observer.received().stream().anyMatch(ServerMessage::hasWelcome), "the observer was not welcomed");
        seenSequence = server.ring().getCursor();
        client = server.connect();
        clientState = client;
        parser = WebSocketInbound.newClientFrameParser(settings);
        inbound = new WebSocketInbound(client, server.gateway());
    }

    private void run(byte[] input) {
        Steps steps = new Steps(input);
        while (steps.hasMore()) {
            int op = steps.next() & 3;
            if (op == OP_FRAME) {
                int first = steps.next();
                deliver(maskedFrame(first, steps.take(steps.nextShort())));
            } else if (op == OP_MESSAGE) {
                deliver(maskedFrame(0x82, steps.take(steps.nextShort())));
            } else if (op == OP_RAW) {
                deliver(steps.take(steps.next()));
            } else {
                server.advanceNs(steps.next() * 1_000_000L);
                server.runDutyCycle();
                require(server.metrics().loopErrors.get() == 0, "the loop failed on an event");
            }
        }
        client.disconnect();
        afterStep("disconnect");
        require(leavesPublished + server.metrics().leavesDeferred.sum() == (clientState.joinPublished ? 1 : 0),
                "a joined connection sends one leave, any other none");
        long snapshotsBefore = observer.received().stream().filter(ServerMessage::hasSnapshot).count();
        server.advanceNs((RECONNECT_GRACE_MS + 10) * 1_000_000L);
        server.runTicks(4);
        require(server.metrics().loopErrors.get() == 0, "the loop failed on an event");
        require(server.metrics().drainErrors.sum() == 0, "a drain failed");
        require(server.metrics().players.get() == 1, "players left behind: " + server.metrics().players.get());
        require(observer.closeCode() == 0, "the observer was closed with " + observer.closeCode());
        require(observer.received().stream().filter(ServerMessage::hasSnapshot).count() > snapshotsBefore,
                "the observer's snapshots stopped");
    }

    /** Writes {@code bytes} into the parser's read buffer as a socket read would, parsing after each read. */
    private void deliver(byte[] bytes) {
        int at = 0;
        while (at < bytes.length) {
            ByteBuffer readBuffer = parser.readBuffer();
            int length = Math.min(readBuffer.remaining(), bytes.length - at);
            require(length > 0, "the parser's read buffer is full and takes no more bytes");
            readBuffer.put(bytes, at, length);
            at += length;
            parser.parse(checks);
        }
    }

    private static byte[] maskedFrame(int first, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(FrameParser.MAX_HEADER_BYTES + payload.length);
        frame.put((byte) first);
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else if (payload.length <= 0xFFFF) {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        frame.put(MASK);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ MASK[i % 4]));
        }
        return Arrays.copyOf(frame.array(), frame.position());
    }

    /**
     * What was published since the last look, with the rules every event obeys: only the fuzzed client
     * publishes, and once it is closing only its one leave.
     */
    private List<Published> afterStep(String step) {
        List<Published> events = new ArrayList<>();
        long cursor = server.ring().getCursor();
        for (long sequence = seenSequence + 1; sequence <= cursor; sequence++) {
            RingEvent event = server.ring().get(sequence);
            events.add(new Published(event.kind, event.connection, event.value, event.snapshotTick, event.text,
                    Arrays.copyOf(event.array(), event.length())));
        }
        seenSequence = cursor;
        for (Published event : events) {
            require(event.connection() == client, step + ": an event for another connection");
            if (event.kind() == RingEvent.LEAVE) {
                leavesPublished++;
                require(leavesPublished == 1, step + ": a second leave");
                require(client.isClosing(), step + ": a leave for an open connection");
            }
        }
        return events;
    }

    private void checkMessage(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(payload.position(), bytes);
        boolean wasClosing = client.isClosing();
        boolean joinedBefore = clientState.joinPublished;
        long lastSeqBefore = clientState.lastInputSeq;
        int answeredBefore = client.received().size();

        inbound.onBinaryMessage(payload);

        List<Published> published = new ArrayList<>(afterStep("message"));
        published.removeIf(event -> event.kind() == RingEvent.LEAVE);
        List<ServerMessage> answers = client.received().subList(answeredBefore, client.received().size());
        if (wasClosing) {
            require(published.isEmpty() && answers.isEmpty(), "a closing connection's message was handled");
            return;
        }
        require(published.size() <= 1, "one message published " + published.size() + " events");
        if (client.closeCode() == CloseCodes.RATE_LIMITED) {
            require(published.isEmpty(), "a message over the rate limit was published");
            return;
        }
        ClientMessage parsed = parseOrNull(bytes);
        if (parsed == null) {
            require(published.isEmpty(), "bytes parseFrom refuses were published");
            refused(answers, ErrorCode.MALFORMED_MESSAGE, CloseCodes.MALFORMED, "bytes parseFrom refuses");
            return;
        }
        require(client.closeCode() != CloseCodes.MALFORMED, "the decoder refused bytes parseFrom reads: "
                + parsed);
        switch (parsed.getKindCase()) {
            case JOIN -> checkJoin(parsed.getJoin(), joinedBefore, published, answers);
            case INPUT -> checkInput(parsed, joinedBefore, lastSeqBefore, published, answers);
            case CHAT -> checkChat(parsed.getChat().getText(), joinedBefore, published, answers);
            case PING -> {
                require(published.isEmpty(), "a ping was published");
                require(answers.size() == 1 && answers.get(0).hasPong()
                        && answers.get(0).getPong().getClientTime() == parsed.getPing().getClientTime(),
                        "a ping not answered with its own client_time: " + answers);
            }
            default -> {
                require(published.isEmpty(), "an empty or unknown member was published");
                refused(answers, ErrorCode.UNKNOWN_MESSAGE, CloseCodes.UNKNOWN_MESSAGE, "an empty or unknown member");
            }
        }
    }

    private void checkJoin(Join join, boolean joinedBefore, List<Published> published, List<ServerMessage> answers) {
        String name = join.getName().strip();
        if (joinedBefore) {
            refused(answers, ErrorCode.ALREADY_JOINED, 0, "a second join");
        } else if (join.getProtocolVersion() != InboundGateway.PROTOCOL_VERSION) {
            refused(answers, ErrorCode.BAD_PROTOCOL_VERSION, CloseCodes.BAD_PROTOCOL_VERSION, "another version");
        } else if (PlayerNames.problemWith(name) != null) {
            refused(answers, ErrorCode.BAD_NAME, 0, "a bad name");
        } else if (published.isEmpty()) {
            refused(answers, ErrorCode.SERVER_BUSY, CloseCodes.SERVER_BUSY, "a join the full ring could not take");
        } else {
            Published event = published.get(0);
            require(event.kind() == RingEvent.JOIN && name.equals(event.text()),
                    "a join published as " + event + ", parseFrom read name '" + name + "'");
            require(answers.isEmpty(), "a published join answered " + answers);
            return;
        }
        require(published.isEmpty(), "a refused join was published");
    }

    private void checkInput(ClientMessage parsed, boolean joinedBefore, long lastSeqBefore, List<Published> published,
                            List<ServerMessage> answers) {
        long seq = Integer.toUnsignedLong(parsed.getInput().getSeq());
        byte[] payload = parsed.getInput().getPayload().toByteArray();
        if (!joinedBefore) {
            refused(answers, ErrorCode.NOT_JOINED, 0, "an input before join");
        } else if (seq <= lastSeqBefore) {
            refused(answers, ErrorCode.STALE_INPUT, 0, "a stale input");
        } else if (payload.length > settings.maxInputBytes()) {
            refused(answers, ErrorCode.INPUT_TOO_LARGE, 0, "an oversized input");
        } else if (published.isEmpty()) {
            refused(answers, ErrorCode.SERVER_BUSY, 0, "an input the full ring could not take");
        } else {
            Published event = published.get(0);
            require(event.kind() == RingEvent.INPUT && event.value() == seq
                    && event.snapshotTick() == parsed.getInput().getNewestSnapshotTick()
                    && Arrays.equals(event.payload(), payload),
                    "an input published as " + event + ", parseFrom read " + parsed);
            require(answers.isEmpty(), "a published input answered " + answers);
            return;
        }
        require(published.isEmpty(), "a refused input was published");
    }

    private void checkChat(String rawText, boolean joinedBefore, List<Published> published, List<ServerMessage> answers) {
        String text = rawText.strip();
        if (!joinedBefore) {
            refused(answers, ErrorCode.NOT_JOINED, 0, "a chat line before join");
        } else if (text.codePointCount(0, text.length()) > settings.maxChatChars()) {
            refused(answers, ErrorCode.CHAT_TOO_LONG, 0, "a long chat line");
        } else if (text.isEmpty()) {
            require(answers.isEmpty(), "an empty chat line was answered: " + answers);
        } else if (published.isEmpty()) {
            require(answers.size() == 1 && answers.get(0).hasError()
                    && Set.of(ErrorCode.CHAT_RATE_LIMITED, ErrorCode.SERVER_BUSY).contains(answers.get(0).getError().getCode()),
                    "a chat line neither published nor refused: " + answers);
        } else {
            Published event = published.get(0);
            require(event.kind() == RingEvent.CHAT && text.equals(event.text()),
                    "a chat line published as " + event + ", parseFrom read '" + text + "'");
            require(answers.isEmpty(), "a published chat line answered " + answers);
            return;
        }
        require(published.isEmpty(), "a refused chat line was published");
    }

    /** The one answer is an error with {@code code}, and the connection closes with {@code closeCode} (0: stays open). */
    private void refused(List<ServerMessage> answers, ErrorCode code, int closeCode, String what) {
        require(answers.size() == 1 && answers.get(0).hasError() && answers.get(0).getError().getCode() == code,
                what + " was not refused with " + code + ": " + answers);
        require(client.closeCode() == closeCode, what + " closed with " + client.closeCode() + ", not " + closeCode);
    }

    private static ClientMessage parseOrNull(byte[] bytes) {
        try {
            return ClientMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException refused) {
            return null;
        }
    }

    private static void require(boolean holds, String broken) {
        if (!holds) {
            throw new AssertionError(broken);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** Checks each thing the parser hands over around the real handler. */
    private final class CheckingHandler implements FrameParser.Handler {
        @Override
        public boolean onFrame() {
            boolean wasClosing = client.isClosing();
            boolean accepted = inbound.onFrame();
            afterStep("frame");
            require(accepted || wasClosing || client.closeCode() == CloseCodes.RATE_LIMITED,
                    "a refused frame closed with " + client.closeCode() + ", not 4008");
            return accepted;
        }

        @Override
        public void onBinaryMessage(ByteBuffer payload) {
            checkMessage(payload);
        }

        @Override
        public void onTextMessage(ByteBuffer payload) {
            boolean wasClosing = client.isClosing();
            inbound.onTextMessage(payload);
            afterStep("text");
            require(wasClosing || client.closeCode() == CloseCodes.TEXT_FRAME, "a text frame closed with "
                    + client.closeCode());
        }

        @Override
        public void onPing(ByteBuffer payload) {
            inbound.onPing(payload);
            afterStep("ping");
        }

        @Override
        public void onPong(ByteBuffer payload) {
            inbound.onPong(payload);
            afterStep("pong");
        }

        @Override
        public void onClose(int code) {
            inbound.onClose(code);
            afterStep("close");
        }

        @Override
        public void onViolation(int closeCode, String reason) {
            boolean wasClosing = client.isClosing();
            inbound.onViolation(closeCode, reason);
            afterStep("violation");
            require(FRAMING_CLOSES.contains(closeCode), "a framing violation reported as " + closeCode);
            require(wasClosing || client.closeCode() == closeCode, "a violation closed with " + client.closeCode());
        }
    }

    /** Reads the steps of an input; past its end, every read gives 0 and {@link #take} gives less. */
    private static final class Steps {
        private final byte[] input;
        private int at;

        Steps(byte[] input) {
            this.input = input;
        }

        boolean hasMore() {
            return at < input.length;
        }

        int next() {
            return at < input.length ? input[at++] & 0xFF : 0;
        }

        int nextShort() {
            return next() << 8 | next();
        }

        byte[] take(int length) {
            int taken = Math.min(length, input.length - at);
            byte[] bytes = Arrays.copyOfRange(input, at, at + taken);
            at += taken;
            return bytes;
        }
    }

    /** A game that accepts any input and writes a one-field state, so that fuzzed payloads cost no errors. */
    private static final class QuietGame implements Game {
        private long tick;

        @Override
        public void start(RoomContext room) {
        }

        @Override
        public void playerJoined(int playerId, String name) {
        }

        @Override
        public void playerLeft(int playerId) {
        }

        @Override
        public void input(int playerId, long seq, InputPayload payload) {
        }

        @Override
        public void tick(long tick) {
            this.tick = tick;
        }

        @Override
        public void writeSnapshot(int viewerId, long baselineTick, SnapshotBuffer out) {
            try {
                out.output().writeUInt64(1, tick);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
        }
    }
}
