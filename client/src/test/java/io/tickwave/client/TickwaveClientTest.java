package io.tickwave.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.Welcome;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.TickwaveServer;
import io.tickwave.server.testgame.ReplicatedWalkerGame;
import io.tickwave.server.testgame.protocol.WalkerEvent;

/** The client library against the real server (the replicated walker test game) over real WebSockets. */
class TickwaveClientTest {

    private static TickwaveServer server;
    private static URI uri;

    @BeforeAll
    static void startServer() {
        server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1").withTickRate(60)
                .withSnapshotRate(30).withStateHashEvery(5).withReconnectGraceMs(60_000), ReplicatedWalkerGame::new);
        uri = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** The walker game's input: arena.v1.ArenaInput's move_x (1, sint32) and fire (4, bool), written by number. */
    private static byte[] walk(int moveX, boolean fire) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            if (moveX != 0) {
                out.writeSInt32(1, moveX);
            }
            if (fire) {
                out.writeBool(4, true);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static TickwaveClient client(RecordingListener heard) {
        return TickwaveClient.builder().listener(heard).pingInterval(Duration.ofMillis(50))
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(100)).build();
    }

    @Test
    void shouldJoinAndDecodeTheReplicatedStateWithInputsAcked() {
        RecordingListener heard = new RecordingListener();
        try (TickwaveClient client = client(heard)) {
            Welcome welcome = client.connectAndJoin(uri, JoinRequest.named("ann").withOption("team", "red")).join();
            assertTrue(welcome.hasReplicationSchema(), "the walker game replicates");
            assertEquals(welcome.getPlayerId(), client.playerId());
            assertTrue(client.isJoined());
            heard.awaitLine(line -> line.equals("added tickwave.test.Walker"));

            for (int i = 0; i < 10; i++) {
                client.sendInput(walk(1, false));
            }
            // The tenth input acked, and the walker seen moving right in the rebuilt state.
            heard.awaitTrue(() -> heard.states.stream().anyMatch(s -> s[1] >= 10 && s[2] > 0), "input 10 acked and x > 0");
            assertTrue(heard.lines.stream().noneMatch(line -> line.startsWith("decode error")), heard.lines.toString());
        }
    }

    @Test
    void shouldPaceTheLatestInputAtTheInputRate() {
        RecordingListener heard = new RecordingListener();
        try (TickwaveClient client = TickwaveClient.builder().listener(heard).inputRate(30).build()) {
            client.connectAndJoin(uri, JoinRequest.named("pace")).join();
            client.setInput(walk(1, false));
            // Never sent by hand: the pacer's inputs, numbered 1, 2, 3…, acked as the walker moves.
            heard.awaitTrue(() -> heard.states.stream().anyMatch(s -> s[1] >= 5 && s[2] > 0), "paced input 5 acked");
        }
    }

    @Test
    void shouldDeliverTheGamesEventsAndChatAndMeasureTheRoundTrip() throws InvalidProtocolBufferException {
        RecordingListener heard = new RecordingListener();
        try (TickwaveClient client = client(heard)) {
            int me = client.connectAndJoin(uri, JoinRequest.named("bea")).join().getPlayerId();
            client.sendInput(walk(0, true));
            heard.awaitTrue(() -> heard.events.stream().anyMatch(e -> parse(e).getSequence() == 1 && parse(e).getToPlayer() == me),
                    "the private event answering fire");
            WalkerEvent hello = parse(heard.events.get(0));
            assertEquals(me, hello.getToPlayer(), "the hello the game sends a joining player comes first");

            client.chat("hi all");
            heard.awaitLine(line -> line.equals("chat bea: hi all"));
            heard.awaitLine(line -> line.equals("rtt"));
            assertTrue(client.rttNanos() >= 0);
        }
    }

    private static WalkerEvent parse(byte[] payload) {
        try {
            return WalkerEvent.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldResumeTheSamePlayerAfterADroppedConnection() {
        RecordingListener heard = new RecordingListener();
        try (TickwaveClient client = client(heard)) {
            int me = client.connectAndJoin(uri, JoinRequest.named("cid")).join().getPlayerId();
            client.sendInput(walk(1, false));
            heard.awaitTrue(() -> heard.states.stream().anyMatch(s -> s[1] >= 1), "input 1 acked");

            client.dropConnection();
            heard.awaitLine(line -> line.equals("welcome " + me + " resumed=true"));
            assertTrue(heard.has("closed 1006 true"), heard.lines.toString());
            assertTrue(heard.has("reconnecting 1"), heard.lines.toString());
            assertEquals(me, client.playerId());

            // Inputs go on above the old ones: the second input is applied on the resumed seat.
            client.sendInput(walk(1, false));
            heard.awaitTrue(() -> heard.states.stream().anyMatch(s -> s[1] >= 2), "input 2 acked after the resume");
            assertTrue(heard.lines.stream().noneMatch(line -> line.startsWith("decode error")), heard.lines.toString());
        }
    }

    @Test
    void shouldNotReconnectAfterAFinalClose() throws InterruptedException {
        RecordingListener heard = new RecordingListener();
        try (TickwaveClient client = client(heard)) {
            client.connectAndJoin(uri, JoinRequest.named("dee")).join();
            client.chat("x".repeat(5_000)); // over --max-frame-bytes: close 1009, a close for breaking the rules
            heard.awaitLine(line -> line.startsWith("closed "));
            assertTrue(heard.has("closed 1009 false"), heard.lines.toString());
            Thread.sleep(300); // many times the 10..100 ms backoff: a reconnect would have started
            assertFalse(heard.lines.stream().anyMatch(line -> line.startsWith("reconnecting")), heard.lines.toString());
            assertFalse(client.isJoined());
        }
    }

    @Test
    void shouldFailTheJoinFutureWithTheRefusalAndJoinAgainOnTheSameConnection() {
        RecordingListener heard = new RecordingListener();
        try (TickwaveClient client = client(heard)) {
            client.connect(uri).join();
            CompletionException refused = assertThrows(CompletionException.class,
                    () -> client.join(JoinRequest.named("\u200b")).join()); // invisible only: BAD_NAME
            TickwaveException why = assertInstanceOf(TickwaveException.class, refused.getCause());
            assertEquals(ErrorCode.BAD_NAME_VALUE, why.errorCode());
            assertTrue(heard.has("refused BAD_NAME"), heard.lines.toString());

            Welcome welcome = client.join(JoinRequest.named("eve")).join();
            assertFalse(welcome.getResumed());
        }
    }
}
