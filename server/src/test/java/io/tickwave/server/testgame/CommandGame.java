package io.tickwave.server.testgame;

import io.tickwave.server.api.RoomContext;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A {@link WalkerGame} that a test drives through chat: a line starting with {@code /} is a command
 * to the room ({@code /kick 3 reason}, {@code /end reason}, {@code /lock}, {@code /unlock},
 * {@code /notice 3 text}, {@code /broadcast text}, {@code /count}) and is dropped, as is any line
 * containing {@code badword}; other lines pass. It admits a join unless its {@code token} option is
 * {@code bad}, and logs what reached it ("admit ann {token=good}", "joined 1 {team=red}", "left 1",
 * "stop", "tick 3 at 9": the room's tick and the server's loop tick before it). Game-loop thread, like
 * any game; tests read the log, a thread-safe list.
 */
public final class CommandGame extends WalkerGame {

    private final List<String> log;
    private final Consumer<RoomContext> atStart;
    /** The server's loop tick counter, read at each room tick (the loop sets it after its tick). */
    private final java.util.function.LongSupplier loopTick;

    /**
     * @param atStart runs in {@link #start} with the room (to call its setters)
     * @param loopTick the server's {@code metrics().currentTick}
     */
    public CommandGame(List<String> log, Consumer<RoomContext> atStart, java.util.function.LongSupplier loopTick) {
        this.log = log;
        this.atStart = atStart;
        this.loopTick = loopTick;
    }

    @Override
    public void start(RoomContext room) {
        super.start(room);
        atStart.accept(room);
        log.add("start " + room.roomId() + " " + room.tickRateHz() + "/" + room.snapshotRateHz() + " "
                + room.tickIntervalNanos());
    }

    @Override
    public String admit(String name, Map<String, String> options) {
        log.add("admit " + name + " " + new TreeMap<>(options));
        return "bad".equals(options.get("token")) ? "bad token" : null;
    }

    @Override
    public void playerJoined(int playerId, String name) {
        super.playerJoined(playerId, name);
        log.add("joined " + playerId + " " + new TreeMap<>(room().joinOptions(playerId)));
    }

    @Override
    public void playerLeft(int playerId) {
        super.playerLeft(playerId);
        log.add("left " + playerId);
    }

    @Override
    public boolean chat(int playerId, String text) {
        if (text.contains("badword")) {
            return false;
        }
        if (!text.startsWith("/")) {
            return true;
        }
        String[] words = text.split(" ", 3);
        RoomContext room = room();
        switch (words[0]) {
            case "/kick" -> room.kick(Integer.parseInt(words[1]), words[2]);
            case "/end" -> room.end(text.substring("/end ".length()));
            case "/lock" -> room.lock();
            case "/unlock" -> room.unlock();
            case "/notice" -> room.sendNotice(Integer.parseInt(words[1]), words[2]);
            case "/broadcast" -> room.broadcastNotice(text.substring("/broadcast ".length()));
            case "/count" -> room.sendNotice(playerId, "players " + room.playerCount());
            case "/tickrate" -> {
                try {
                    room.setTickRate(Integer.parseInt(words[1]));
                } catch (IllegalStateException e) {
                    room.sendNotice(playerId, "refused: " + e.getMessage());
                }
            }
            default -> room.sendNotice(playerId, "unknown command " + words[0]);
        }
        return false;
    }

    @Override
    public void tick(long tick) {
        super.tick(tick);
        if (log.size() < 10_000) {
            log.add("tick " + tick + " at " + loopTick.getAsLong());
        }
    }

    @Override
    public void stop() {
        log.add("stop");
    }
}
