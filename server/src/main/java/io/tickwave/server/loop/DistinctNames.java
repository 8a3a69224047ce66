package io.tickwave.server.loop;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps the names in one room apart: a player who asks for a name already used there gets it with the
 * first free suffix, {@code "ann (2)"}, {@code "ann (3)"}, … (docs/protocol.md, "Names"). Names count as
 * the same when they differ only in case or in Unicode compatibility forms ({@code "Ann"}, {@code "ANN"}
 * and the full-width {@code "ａｎｎ"} are all {@code "ann"}), since players could not tell those apart
 * either. The requested name is kept whole: a suffixed name is longer than the 24-character limit by
 * the suffix at most.
 *
 * <p>Threads: a pure function; the game loop calls it once per join (it allocates, which a join may).
 */
final class DistinctNames {

    private DistinctNames() {
    }

    /** {@code requested} if no name in {@code taken} is the same, else it with the first free suffix. */
    static String distinct(String requested, List<String> taken) {
        Set<String> keys = new HashSet<>();
        for (String name : taken) {
            keys.add(key(name));
        }
        if (!keys.contains(key(requested))) {
            return requested;
        }
        // At most taken.size() candidates are in use, so this ends by taken.size() + 2.
        for (int suffix = 2; ; suffix++) {
            String candidate = requested + " (" + suffix + ")";
            if (!keys.contains(key(candidate))) {
                return candidate;
            }
        }
    }

    /** What two names have in common when players would read them as the same. */
    static String key(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }
}
