package io.tickwave.testkit;

import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.api.SnapshotBuffer;

import java.util.List;
import java.util.Map;

/**
 * A game as the tester hands it to the server: every callback goes to the game unchanged, and what a
 * callback throws is noted in the tester's error list, then rethrown, so the server contains it exactly
 * as it would in production (counted, logged, the loop goes on).
 *
 * <p>It must override every method of {@link Game}, default ones included, or the game's own version
 * would never be called: {@code WatchedGameTest} fails when {@code Game} gains a method this class does
 * not forward. Owned by the game-loop thread, which in the kit is the test's thread.
 */
final class WatchedGame implements Game {

    private final Game game;
    private final List<GameError> errors;
    private RoomContext room;

    WatchedGame(Game game, List<GameError> errors) {
        this.game = game;
        this.errors = errors;
    }

    Game game() {
        return game;
    }

    private RuntimeException noted(String callback, RuntimeException error) {
        note(callback, error);
        return error;
    }

    private Error noted(String callback, Error error) {
        note(callback, error);
        return error;
    }

    private void note(String callback, Throwable error) {
        errors.add(new GameError(callback, room == null ? 0 : room.roomId(), room == null ? 0 : room.currentTick(),
                error));
    }

    @Override
    public void start(RoomContext room) {
        this.room = room;
        try {
            game.start(room);
        } catch (RuntimeException e) {
            throw noted("start", e);
        } catch (Error e) {
            throw noted("start", e);
        }
    }

    @Override
    public void playerJoined(int playerId, String name) {
        try {
            game.playerJoined(playerId, name);
        } catch (RuntimeException e) {
            throw noted("playerJoined", e);
        } catch (Error e) {
            throw noted("playerJoined", e);
        }
    }

    @Override
    public void writeWelcomeInfo(int playerId, SnapshotBuffer out) {
        try {
            game.writeWelcomeInfo(playerId, out);
        } catch (RuntimeException e) {
            throw noted("writeWelcomeInfo", e);
        } catch (Error e) {
            throw noted("writeWelcomeInfo", e);
        }
    }

    @Override
    public void playerDisconnected(int playerId) {
        try {
            game.playerDisconnected(playerId);
        } catch (RuntimeException e) {
            throw noted("playerDisconnected", e);
        } catch (Error e) {
            throw noted("playerDisconnected", e);
        }
    }

    @Override
    public void playerReconnected(int playerId) {
        try {
            game.playerReconnected(playerId);
        } catch (RuntimeException e) {
            throw noted("playerReconnected", e);
        } catch (Error e) {
            throw noted("playerReconnected", e);
        }
    }

    @Override
    public void playerLeft(int playerId) {
        try {
            game.playerLeft(playerId);
        } catch (RuntimeException e) {
            throw noted("playerLeft", e);
        } catch (Error e) {
            throw noted("playerLeft", e);
        }
    }

    @Override
    public void input(int playerId, long seq, InputPayload payload) {
        try {
            game.input(playerId, seq, payload);
        } catch (RuntimeException e) {
            throw noted("input", e);
        } catch (Error e) {
            throw noted("input", e);
        }
    }

    @Override
    public void tick(long tick) {
        try {
            game.tick(tick);
        } catch (RuntimeException e) {
            throw noted("tick", e);
        } catch (Error e) {
            throw noted("tick", e);
        }
    }

    @Override
    public long viewKey(int viewerId) {
        try {
            return game.viewKey(viewerId);
        } catch (RuntimeException e) {
            throw noted("viewKey", e);
        } catch (Error e) {
            throw noted("viewKey", e);
        }
    }

    @Override
    public void writeSnapshot(int viewerId, long baselineTick, SnapshotBuffer out) {
        try {
            game.writeSnapshot(viewerId, baselineTick, out);
        } catch (RuntimeException e) {
            throw noted("writeSnapshot", e);
        } catch (Error e) {
            throw noted("writeSnapshot", e);
        }
    }

    @Override
    public void stop() {
        try {
            game.stop();
        } catch (RuntimeException e) {
            throw noted("stop", e);
        } catch (Error e) {
            throw noted("stop", e);
        }
    }

    @Override
    public String admit(String name, Map<String, String> options) {
        try {
            return game.admit(name, options);
        } catch (RuntimeException e) {
            throw noted("admit", e);
        } catch (Error e) {
            throw noted("admit", e);
        }
    }

    @Override
    public boolean chat(int playerId, String text) {
        try {
            return game.chat(playerId, text);
        } catch (RuntimeException e) {
            throw noted("chat", e);
        } catch (Error e) {
            throw noted("chat", e);
        }
    }
}
