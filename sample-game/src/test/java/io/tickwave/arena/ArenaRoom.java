package io.tickwave.arena;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tickwave.arena.protocol.ArenaEvent;
import io.tickwave.arena.protocol.ArenaInfo;
import io.tickwave.arena.protocol.ArenaInput;
import io.tickwave.arena.sim.ArenaWorld;
import io.tickwave.arena.sim.Ship;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Input;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.protocol.Welcome;
import io.tickwave.replication.ReplicaClient;
import io.tickwave.replication.Schema;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.testing.LoopHarness;
import io.tickwave.server.transport.memory.MemoryConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One arena room in the real server loop, in memory, driven tick by tick on the test thread
 * ({@link LoopHarness}): the game runs on this thread, so a test may look at (and arrange) its world
 * between ticks. Each {@link Player} rebuilds its replicated state from its snapshots with a
 * {@link ReplicaClient}, as a real client does, and keeps every view and event.
 */
final class ArenaRoom implements AutoCloseable {

    /** 60 ticks and 30 snapshots a second, the server's defaults: a snapshot every other tick. */
    static ServerSettings settings() {
        return ServerSettings.defaults().withTickRate(60).withSnapshotRate(30).withRoomCapacity(64);
    }

    private final LoopHarness server;
    private final List<Player> players = new ArrayList<>();
    private ArenaGame game;

    ArenaRoom(Supplier<ArenaGame> games) {
        this(settings(), games);
    }

    ArenaRoom(ServerSettings settings, Supplier<ArenaGame> games) {
        server = new LoopHarness(settings, () -> game = games.get());
    }

    /** The room's game; null until the first player joined (the server makes rooms on demand). */
    ArenaGame game() {
        return game;
    }

    ArenaWorld world() {
        return game.world();
    }

    /** A player joins and is welcomed (one tick runs). */
    Player join(String name) {
        Player player = new Player(server.connect());
        players.add(player);
        player.connection.send(ClientMessage.newBuilder()
                .setJoin(Join.newBuilder().setName(name).setProtocolVersion(2)).build());
        run(1);
        if (player.welcome == null) {
            throw new AssertionError(name + " was not welcomed: " + player.connection.received());
        }
        return player;
    }

    /** Runs {@code ticks} ticks, then lets every player read what arrived. */
    void run(int ticks) {
        for (int i = 0; i < ticks; i++) {
            server.runTicks(1);
            server.flushOutbound();
            for (Player p : players) {
                p.read();
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** A client of the room: its connection, welcome, rebuilt state after every snapshot, and events. */
    static final class Player {
        final MemoryConnection connection;
        private int consumed;
        private int seq;
        Welcome welcome;
        ArenaInfo info;
        ReplicaClient replica;
        final List<ArenaView> views = new ArrayList<>();
        final List<Snapshot> snapshots = new ArrayList<>();
        final List<ArenaEvent> events = new ArrayList<>();

        Player(MemoryConnection connection) {
            this.connection = connection;
        }

        int id() {
            return welcome.getPlayerId();
        }

        /** The newest rebuilt state. */
        ArenaView view() {
            if (views.isEmpty()) {
                throw new AssertionError("no snapshot yet");
            }
            return views.get(views.size() - 1);
        }

        void input(int moveX, int moveY, float aim, boolean fire) {
            sendPayload(ArenaInput.newBuilder().setMoveX(moveX).setMoveY(moveY).setAim(aim).setFire(fire).build()
                    .toByteString());
        }

        void sendPayload(ByteString payload) {
            connection.send(ClientMessage.newBuilder()
                    .setInput(Input.newBuilder().setSeq(++seq).setPayload(payload)).build());
        }

        private void read() {
            List<ServerMessage> received = connection.received();
            try {
                for (; consumed < received.size(); consumed++) {
                    ServerMessage m = received.get(consumed);
                    if (m.hasWelcome()) {
                        welcome = m.getWelcome();
                        info = ArenaInfo.parseFrom(welcome.getGameInfo());
                        replica = new ReplicaClient(Schema.fromMessage(welcome.getReplicationSchema()));
                    } else if (m.hasSnapshot()) {
                        Snapshot s = m.getSnapshot();
                        byte[] state = s.getState().toByteArray();
                        replica.apply(s.getTick(), s.getBaselineTick(), state, 0, state.length);
                        if (s.hasStateHash() && s.getStateHash() != replica.stateHash()) {
                            throw new AssertionError("snapshot " + s.getTick() + ": the rebuilt state's hash differs");
                        }
                        snapshots.add(s);
                        views.add(ArenaView.of(replica, info.getBulletSpeed()));
                    } else if (m.hasEvent()) {
                        events.add(ArenaEvent.parseFrom(m.getEvent().getPayload()));
                    }
                }
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }

        /** This player's ship in the world (the game's own object; arrange it only between ticks). */
        Ship ship(ArenaRoom room) {
            return room.world().ship(id());
        }
    }
}
