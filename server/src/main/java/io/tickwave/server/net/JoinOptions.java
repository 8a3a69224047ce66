package io.tickwave.server.net;

import java.util.Map;

/**
 * The limits on {@code Join.options} and on combining {@code room_id} with {@code create_room}, checked
 * on the IO thread before a join reaches the loop; a join that breaks them is answered with Error
 * BAD_JOIN_OPTIONS and the connection may join again. Stateless; any thread.
 */
public final class JoinOptions {

    /** The most entries a join may carry. */
    public static final int MAX_ENTRIES = 16;
    /** The longest key, in characters (Unicode code points); a key has at least one. */
    public static final int MAX_KEY_CHARS = 32;
    /** The longest value, in characters (Unicode code points); a value may be empty. */
    public static final int MAX_VALUE_CHARS = 256;

    private JoinOptions() {
    }

    /** What is wrong with a decoded join's options and room fields, or null when nothing is. */
    static String problemWith(DecodedMessage join) {
        if (join.joinCreateRoom && join.joinRoomId != 0) {
            return "create_room makes a new room: do not set room_id with it";
        }
        Map<String, String> options = join.joinOptions;
        if (join.joinOptionsOverflow || options.size() > MAX_ENTRIES) {
            return "at most " + MAX_ENTRIES + " options";
        }
        for (Map.Entry<String, String> option : options.entrySet()) {
            String key = option.getKey();
            int keyChars = key.codePointCount(0, key.length());
            if (keyChars < 1 || keyChars > MAX_KEY_CHARS) {
                return "option keys are 1 to " + MAX_KEY_CHARS + " characters";
            }
            String value = option.getValue();
            if (value.codePointCount(0, value.length()) > MAX_VALUE_CHARS) {
                return "option " + key + ": values are at most " + MAX_VALUE_CHARS + " characters";
            }
        }
        return null;
    }

    /** An immutable copy for the game, or the shared empty map. */
    static Map<String, String> copyOf(Map<String, String> options) {
        return options.isEmpty() ? Map.of() : Map.copyOf(options);
    }
}
