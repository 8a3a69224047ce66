package io.tickwave.testkit.testgame;

import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.api.SnapshotBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A game that writes its own snapshots (it does not replicate): the room's {@code Tally}, the inputs
 * applied and the players present, the same for every viewer; its welcome info is the tally at the
 * join. Game-loop thread only.
 */
public final class TallyGame implements Game {

    private int inputs;
    private int players;

    @Override
    public void start(RoomContext room) {
    }

    @Override
    public void playerJoined(int playerId, String name) {
        players++;
    }

    @Override
    public void writeWelcomeInfo(int playerId, SnapshotBuffer out) {
        write(out);
    }

    @Override
    public void playerLeft(int playerId) {
        players--;
    }

    @Override
    public void input(int playerId, long seq, InputPayload payload) {
        inputs++;
    }

    @Override
    public void tick(long tick) {
    }

    @Override
    public long viewKey(int viewerId) {
        return 0;
    }

    @Override
    public void writeSnapshot(int viewerId, long baselineTick, SnapshotBuffer out) {
        write(out);
    }

    private void write(SnapshotBuffer out) {
        try {
            Tally.newBuilder().setInputs(inputs).setPlayers(players).build().writeTo(out.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
