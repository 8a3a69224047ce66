package io.tickwave.arena;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.tickwave.arena.protocol.ArenaInput;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Input;
import io.tickwave.protocol.Join;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.api.SnapshotBuffer;
import io.tickwave.server.testing.LoopHarness;
import io.tickwave.server.transport.memory.MemoryConnection;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The steady state of a busy room allocates (next to) nothing in the game's ticks: bullets fired, moved
 * and spent, ships hit and respawned, all mirrored into the replicated state. The room runs in the real
 * server loop (in memory, on this thread); only the game's {@code tick} is measured, and ticks with a
 * kill are left out, since a kill allocates its event message by design.
 */
class ArenaAllocationTest {

    /** Forwards to the arena and counts the bytes this thread allocates inside {@code tick}. */
    private static final class MeasuredGame implements Game {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final ArenaGame arena = new ArenaGame();
        boolean measuring;
        long allocated;
        long ticks;
        long killTicks;

        @Override
        public void start(RoomContext room) {
            arena.start(room);
        }

        @Override
        public void playerJoined(int playerId, String name) {
            arena.playerJoined(playerId, name);
        }

        @Override
        public void writeWelcomeInfo(int playerId, SnapshotBuffer out) {
            arena.writeWelcomeInfo(playerId, out);
        }

        @Override
        public void playerLeft(int playerId) {
            arena.playerLeft(playerId);
        }

        @Override
        public void input(int playerId, long seq, InputPayload payload) {
            arena.input(playerId, seq, payload);
        }

        @Override
        public void tick(long tick) {
            int deathsBefore = deaths();
            long before = THREADS.getCurrentThreadAllocatedBytes();
            arena.tick(tick);
            long after = THREADS.getCurrentThreadAllocatedBytes();
            if (!measuring) {
                return;
            }
            if (deaths() != deathsBefore) {
                killTicks++;
            } else {
                allocated += after - before;
                ticks++;
            }
        }

        int deaths() {
            int deaths = 0;
            for (int i = 0, n = arena.world().shipCount(); i < n; i++) {
                deaths += arena.world().shipAt(i).deaths();
            }
            return deaths;
        }

        @Override
        public void stop() {
            arena.stop();
        }
    }

    @Test
    void shouldNotAllocateInTicksWithoutAKill() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs HotSpot's per-thread allocation counter");
        MeasuredGame[] game = new MeasuredGame[1];
        try (LoopHarness server = new LoopHarness(ServerSettings.defaults().withRoomCapacity(32),
                () -> game[0] = new MeasuredGame())) {
            List<MemoryConnection> players = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                MemoryConnection c = server.connect();
                c.discardMessages();
                c.send(ClientMessage.newBuilder()
                        .setJoin(Join.newBuilder().setName("p" + i).setProtocolVersion(2)).build());
                players.add(c);
            }
            server.runTicks(2);
            // Everybody keeps firing and turning: bullets fly, hit walls and ships, ships die and respawn.
            int seq = 0;
            for (int t = 0; t < 3600; t++) {
                game[0].measuring = t >= 1800;
                if (t % 2 == 0) {
                    seq++;
                    for (int p = 0; p < players.size(); p++) {
                        ArenaInput input = ArenaInput.newBuilder().setMoveX(seq / 20 % 3 - 1).setMoveY(p % 3 - 1)
                                .setAim((float) (p * 0.4 + seq * 0.05)).setFire(true).build();
                        players.get(p).send(ClientMessage.newBuilder().setInput(Input.newBuilder().setSeq(seq)
                                .setPayload(ByteString.copyFrom(input.toByteArray()))).build());
                    }
                }
                server.runTicks(1);
            }
            assertTrue(game[0].ticks >= 1500, "measured " + game[0].ticks + " ticks");
            assertTrue(game[0].killTicks > 0, "the measured stretch had kills, so ships died and respawned");
            assertTrue(game[0].allocated < 64 * 1024,
                    game[0].ticks + " ticks and their inputs allocated " + game[0].allocated + " bytes");
        }
    }
}
