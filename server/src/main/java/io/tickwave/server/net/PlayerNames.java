package io.tickwave.server.net;

import java.util.Locale;
import java.util.Set;

/**
 * What a player's name may be, checked at {@code join} (docs/protocol.md): 1 to {@link #MAX_CHARS}
 * characters after trimming, that other players can see and tell apart on one line.
 *
 * <ul>
 *   <li>no control or invisible format characters (zero-width spaces, direction overrides);</li>
 *   <li>no unassigned, private-use or surrogate code points, which render as boxes or not at all;</li>
 *   <li>at least one visible character, and none of the blank-looking ones at either end: spaces of any
 *       kind and the letters that render as nothing ({@code U+2800} braille blank, the Hangul fillers
 *       {@code U+115F}, {@code U+1160}, {@code U+3164}, {@code U+FFA0}), so "ann" and "ann⠀" differ visibly;</li>
 *   <li>no "zalgo": at most {@link #MAX_MARKS_IN_A_ROW} combining marks in a row, and marks at most half
 *       of the name (scripts such as Devanagari or Thai stay well within both);</li>
 *   <li>none of the few glyphs that are far wider than a letter (the Arabic ligatures {@code U+FDFA},
 *       {@code U+FDFB}, {@code U+FDFD}, the two- and three-em dashes, {@code U+A9C5}) nor cuneiform
 *       signs, whose glyphs are many letters wide.</li>
 * </ul>
 *
 * <p>Threads: a pure function, safe on any thread.
 */
public final class PlayerNames {

    public static final int MAX_CHARS = 24;
    static final int MAX_MARKS_IN_A_ROW = 2;
    private static final Set<Integer> BLANK_LETTERS = Set.of(0x2800, 0x115F, 0x1160, 0x3164, 0xFFA0);
    private static final Set<Integer> OVER_WIDE = Set.of(0xFDFA, 0xFDFB, 0xFDFD, 0x2E3A, 0x2E3B, 0xA9C5);

    private PlayerNames() {
    }

    /** Why {@code name} (already trimmed) is refused, for the {@code BAD_NAME} error; null when it is fine. */
    public static String problemWith(String name) {
        int length = name.codePointCount(0, name.length());
        if (length == 0 || length > MAX_CHARS) {
            return "name must be 1 to " + MAX_CHARS + " characters";
        }
        int marks = 0;
        int marksInARow = 0;
        boolean visible = false;
        int[] codePoints = name.codePoints().toArray();
        for (int codePoint : codePoints) {
            int type = Character.getType(codePoint);
            if (Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE || type == Character.SURROGATE) {
                return "name must be printable characters (U+" + hex(codePoint) + " is not)";
            }
            if (OVER_WIDE.contains(codePoint) || Character.UnicodeScript.of(codePoint) == Character.UnicodeScript.CUNEIFORM) {
                return "name has a character too wide to show (U+" + hex(codePoint) + ")";
            }
            if (isMark(type)) {
                marks++;
                if (++marksInARow > MAX_MARKS_IN_A_ROW) {
                    return "name has more than " + MAX_MARKS_IN_A_ROW + " combining marks in a row";
                }
            } else {
                marksInARow = 0;
                visible |= !isBlank(codePoint);
            }
        }
        if (!visible) {
            return "name has no visible character";
        }
        if (marks * 2 > length) {
            return "name is mostly combining marks";
        }
        if (isBlank(codePoints[0]) || isBlank(codePoints[codePoints.length - 1])) {
            return "name may not start or end with a blank character";
        }
        return null;
    }

    private static boolean isMark(int type) {
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    /** Spaces of every kind, and letters that render as nothing. */
    private static boolean isBlank(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || BLANK_LETTERS.contains(codePoint);
    }

    private static String hex(int codePoint) {
        return String.format(Locale.ROOT, "%04X", codePoint);
    }
}
