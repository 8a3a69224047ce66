package io.tickwave.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a client asks for in its {@code Join} (docs/protocol.md): a name, options handed to the game
 * ({@code Game.admit}, {@code RoomContext.joinOptions}), and where to sit: join-or-create (the
 * default), a given room ({@link #inRoom}), or a new private room ({@link #inNewPrivateRoom}); on a
 * cluster node, the matchmaker's seat token. The reconnect token is not part of it: the session adds
 * it when it resumes a seat.
 *
 * <p>Immutable; any thread. The {@code with…} methods return a changed copy. Limits the server checks
 * (at most 16 options, keys 1..32 characters, values at most 256) are checked here too, so that a
 * mistake fails where it is made.
 */
public final class JoinRequest {

    public static final int MAX_OPTIONS = 16;
    public static final int MAX_OPTION_KEY_CHARS = 32;
    public static final int MAX_OPTION_VALUE_CHARS = 256;

    private final String name;
    private final Map<String, String> options;
    private final int roomId;
    private final boolean createRoom;
    private final String seatToken;

    private JoinRequest(String name, Map<String, String> options, int roomId, boolean createRoom, String seatToken) {
        if (name == null) {
            throw new IllegalArgumentException("a join needs a name");
        }
        if (roomId != 0 && createRoom) {
            throw new IllegalArgumentException("a join names a room (" + Integer.toUnsignedString(roomId)
                    + ") or creates one, not both");
        }
        this.name = name;
        this.options = options;
        this.roomId = roomId;
        this.createRoom = createRoom;
        this.seatToken = seatToken;
    }

    /** Join-or-create as {@code name}, with no options. */
    public static JoinRequest named(String name) {
        return new JoinRequest(name, Map.of(), 0, false, null);
    }

    /** With one more option (replacing one of the same key). */
    public JoinRequest withOption(String key, String value) {
        if (key == null || key.isEmpty() || key.codePointCount(0, key.length()) > MAX_OPTION_KEY_CHARS) {
            throw new IllegalArgumentException("an option key is 1.." + MAX_OPTION_KEY_CHARS + " characters: " + key);
        }
        if (value == null || value.codePointCount(0, value.length()) > MAX_OPTION_VALUE_CHARS) {
            throw new IllegalArgumentException("option " + key + ": a value is at most " + MAX_OPTION_VALUE_CHARS + " characters");
        }
        Map<String, String> more = new LinkedHashMap<>(options);
        more.put(key, value);
        if (more.size() > MAX_OPTIONS) {
            throw new IllegalArgumentException("at most " + MAX_OPTIONS + " join options");
        }
        return new JoinRequest(name, Collections.unmodifiableMap(more), roomId, createRoom, seatToken);
    }

    /** With all of {@code more} added, in its iteration order. */
    public JoinRequest withOptions(Map<String, String> more) {
        JoinRequest request = this;
        for (Map.Entry<String, String> option : more.entrySet()) {
            request = request.withOption(option.getKey(), option.getValue());
        }
        return request;
    }

    /** That room only (its id, e.g. a room code); 0: join-or-create. */
    public JoinRequest inRoom(int roomId) {
        return new JoinRequest(name, options, roomId, false, seatToken);
    }

    /** A new private room, which only a join with its room id enters afterwards. */
    public JoinRequest inNewPrivateRoom() {
        return new JoinRequest(name, options, 0, true, seatToken);
    }

    /** The seat token {@code POST /matchmake} answered (cluster nodes require one; a single node ignores it). */
    public JoinRequest withSeatToken(String token) {
        return new JoinRequest(name, options, roomId, createRoom, token);
    }

    public String name() {
        return name;
    }

    /** Unmodifiable, in the order they were added. */
    public Map<String, String> options() {
        return options;
    }

    /** 0 for join-or-create. */
    public int roomId() {
        return roomId;
    }

    public boolean createRoom() {
        return createRoom;
    }

    /** Null when none. */
    public String seatToken() {
        return seatToken;
    }

    @Override
    public String toString() {
        return "JoinRequest[" + name + (options.isEmpty() ? "" : ", options " + options)
                + (roomId != 0 ? ", room " + Integer.toUnsignedString(roomId) : "") + (createRoom ? ", new private room" : "")
                + (seatToken != null ? ", seat token" : "") + "]";
    }
}
