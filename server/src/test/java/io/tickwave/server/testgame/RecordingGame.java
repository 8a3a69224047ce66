package io.tickwave.server.testgame;

import io.tickwave.server.api.InputPayload;

import java.util.List;

/**
 * A {@link WalkerGame} that writes every callback it gets into a shared log ("joined 1", "input 1 7",
 * "left 1", "tick 3"), so tests can check what reached the game and in which order. Game-loop thread,
 * like any game; tests read the log from the thread that steps the loop.
 */
public final class RecordingGame extends WalkerGame {

    private final List<String> log;

    public RecordingGame(List<String> log) {
        this.log = log;
    }

    @Override
    public void playerJoined(int playerId, String name) {
        super.playerJoined(playerId, name);
        log.add("joined " + playerId);
    }

    @Override
    public void playerDisconnected(int playerId) {
        log.add("disconnected " + playerId);
    }

    @Override
    public void playerReconnected(int playerId) {
        log.add("reconnected " + playerId);
    }

    @Override
    public void playerLeft(int playerId) {
        super.playerLeft(playerId);
        log.add("left " + playerId);
    }

    @Override
    public void input(int playerId, long seq, InputPayload payload) {
        super.input(playerId, seq, payload);
        log.add("input " + playerId + " " + seq);
    }

    @Override
    public void tick(long tick) {
        super.tick(tick);
        log.add("tick " + tick);
    }
}
