package io.tickwave.server.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlayerNamesTest {

    private static void assertRefused(String name, String because) {
        String problem = PlayerNames.problemWith(name);
        assertTrue(problem != null && problem.contains(because), name + " → " + problem);
    }

    @Test
    void shouldAcceptOrdinaryNamesInManyScripts() {
        for (String name : new String[]{"ann", "Zoë", "José María", "Łukasz", "Дмитрий", "张伟", "さくら", "김민준",
            "नमस्ते", "สวัสดี", "محمد", "Nguyễn", "x".repeat(24), "ann ⠁"}) {
            assertNull(PlayerNames.problemWith(name), name);
        }
    }

    @Test
    void shouldRefuseTooLongAndControlCharacters() {
        assertRefused("", "1 to 24");
        assertRefused("x".repeat(25), "1 to 24");
        assertRefused("a\u0007b", "printable");
        assertRefused("a\u202Eb", "printable");
        assertRefused("a\u200Bb", "printable");
        assertRefused("a\uE000b", "printable");
    }

    @Test
    void shouldRefuseNamesWithNoVisibleCharacter() {
        assertRefused("\u2800", "no visible character");
        assertRefused("\u2800\u2800\u2800", "no visible character");
        assertRefused("\u3164", "no visible character");
        assertRefused("\u115F", "no visible character");
        assertRefused("\u1160\uFFA0", "no visible character");
        assertRefused("\u00A0\u3000\u2003", "no visible character");
        assertRefused("\u0301\u0301", "no visible character");
    }

    @Test
    void shouldRefuseBlankPaddingThatMakesANameLookLikeAnother() {
        assertRefused("ann\u2800", "start or end with a blank");
        assertRefused("\u3164ann", "start or end with a blank");
        assertRefused("ann\u00A0", "start or end with a blank");
    }

    @Test
    void shouldRefuseZalgo() {
        assertRefused("Z\u0351\u0352\u0353algo", "combining marks in a row");
        assertRefused("a\u0301b\u0301c\u0301\u0302", "mostly combining marks");
        assertNull(PlayerNames.problemWith("Bee\u0301\u0302"), "two marks in a row are fine");
        assertNull(PlayerNames.problemWith("श्री"), "a mark for every other letter is fine");
    }

    @Test
    void shouldRefuseOverWideCharacters() {
        assertRefused("\uFDFD", "too wide");
        assertRefused("a\uFDFAb", "too wide");
        assertRefused("a\u2E3B", "too wide");
        assertRefused(new String(Character.toChars(0x1242B)), "too wide");
        assertRefused(new String(Character.toChars(0x12219)), "too wide");
    }
}
