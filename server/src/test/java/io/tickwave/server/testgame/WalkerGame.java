package io.tickwave.server.testgame;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.api.SnapshotBuffer;
import io.tickwave.server.testgame.protocol.WalkerInput;
import io.tickwave.server.testgame.protocol.WalkerPosition;
import io.tickwave.server.testgame.protocol.WalkerWorld;
import org.agrona.collections.Int2ObjectHashMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The smallest game that shows input acted on: every player is a walker at (x, y) that moves by
 * {@link #SPEED} units a second in the direction of its last input. Speaks the server tests' own
 * {@code walker.proto} ({@code WalkerInput} in, {@code WalkerWorld} with every walker out), whose field
 * numbers are the sample game's, so bots work against it. For tests and benchmarks of the server; owned
 * by the game-loop thread like any game.
 */
public class WalkerGame implements Game {

    public static final float SPEED = 100f;

    private final Int2ObjectHashMap<Walker> walkersById = new Int2ObjectHashMap<>();
    private final List<Walker> walkers = new ArrayList<>();
    private RoomContext room;
    private float stepSeconds;

    /** One player's walker; reused for the player's whole stay. */
    protected static final class Walker {
        final int playerId;
        float x;
        float y;
        int moveX;
        int moveY;

        Walker(int playerId) {
            this.playerId = playerId;
        }
    }

    @Override
    public void start(RoomContext room) {
        this.room = room;
        this.stepSeconds = room.tickIntervalNanos() / 1e9f;
    }

    protected RoomContext room() {
        return room;
    }

    @Override
    public void playerJoined(int playerId, String name) {
        Walker walker = new Walker(playerId);
        walkersById.put(playerId, walker);
        walkers.add(walker);
    }

    @Override
    public void playerLeft(int playerId) {
        walkers.remove(walkersById.remove(playerId));
    }

    @Override
    public void input(int playerId, long seq, InputPayload payload) {
        Walker walker = walkersById.get(playerId);
        try {
            // Field by field, so that an input allocates nothing beyond the stream itself.
            CodedInputStream in = CodedInputStream.newInstance(payload.array(), payload.offset(), payload.length());
            int moveX = 0;
            int moveY = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag >>> 3) {
                    case WalkerInput.MOVE_X_FIELD_NUMBER -> moveX = in.readSInt32();
                    case WalkerInput.MOVE_Y_FIELD_NUMBER -> moveY = in.readSInt32();
                    default -> in.skipField(tag);
                }
            }
            walker.moveX = Integer.signum(moveX);
            walker.moveY = Integer.signum(moveY);
        } catch (IOException e) {
            throw new IllegalArgumentException("undecodable WalkerInput from player " + playerId, e);
        }
    }

    @Override
    public void tick(long tick) {
        for (int i = 0, n = walkers.size(); i < n; i++) {
            Walker walker = walkers.get(i);
            walker.x += walker.moveX * SPEED * stepSeconds;
            walker.y += walker.moveY * SPEED * stepSeconds;
        }
    }

    @Override
    public long viewKey(int viewerId) {
        return 0;
    }

    @Override
    public void writeSnapshot(int viewerId, long baselineTick, SnapshotBuffer out) {
        CodedOutputStream stream = out.output();
        try {
            for (int i = 0, n = walkers.size(); i < n; i++) {
                Walker walker = walkers.get(i);
                int walkerLength = CodedOutputStream.computeUInt32Size(WalkerPosition.PLAYER_ID_FIELD_NUMBER, walker.playerId)
                        + CodedOutputStream.computeFloatSize(WalkerPosition.X_FIELD_NUMBER, walker.x)
                        + CodedOutputStream.computeFloatSize(WalkerPosition.Y_FIELD_NUMBER, walker.y)
                        + CodedOutputStream.computeBoolSize(WalkerPosition.ALIVE_FIELD_NUMBER, true);
                stream.writeTag(WalkerWorld.WALKERS_FIELD_NUMBER, 2);
                stream.writeUInt32NoTag(walkerLength);
                stream.writeUInt32(WalkerPosition.PLAYER_ID_FIELD_NUMBER, walker.playerId);
                stream.writeFloat(WalkerPosition.X_FIELD_NUMBER, walker.x);
                stream.writeFloat(WalkerPosition.Y_FIELD_NUMBER, walker.y);
                stream.writeBool(WalkerPosition.ALIVE_FIELD_NUMBER, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        walkers.clear();
        walkersById.clear();
    }
}
