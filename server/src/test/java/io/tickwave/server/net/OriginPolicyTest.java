package io.tickwave.server.net;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginPolicyTest {

    private static final OriginPolicy DEFAULT = OriginPolicy.of(List.of());

    @Test
    void shouldAllowAClientThatSendsNoOrigin() {
        assertTrue(DEFAULT.allows(null, "game.example.com"));
        assertTrue(OriginPolicy.of(List.of("https://game.example.com")).allows(null, "other"));
    }

    @Test
    void shouldAllowThePagesOfTheServerItselfByDefault() {
        assertTrue(DEFAULT.allows("https://game.example.com", "game.example.com"));
        assertTrue(DEFAULT.allows("http://game.example.com:8080", "game.example.com:8080"));
        assertTrue(DEFAULT.allows("https://Game.Example.com", "game.example.com:443"));
    }

    @Test
    void shouldAllowLocalhostOnAnyPortByDefault() {
        assertTrue(DEFAULT.allows("http://localhost:5173", "game.example.com"));
        assertTrue(DEFAULT.allows("https://127.0.0.1:9999", "game.example.com"));
        assertTrue(DEFAULT.allows("http://[::1]:3000", "game.example.com"));
    }

    @Test
    void shouldRefuseForeignNullAndFileOriginsByDefault() {
        assertFalse(DEFAULT.allows("https://evil.example.net", "game.example.com"));
        assertFalse(DEFAULT.allows("http://game.example.com:8081", "game.example.com:8080"), "another port");
        assertFalse(DEFAULT.allows("null", "game.example.com"));
        assertFalse(DEFAULT.allows("file://", "game.example.com"));
        assertFalse(DEFAULT.allows("chrome-extension://abcdef", "game.example.com"));
        assertFalse(DEFAULT.allows("https://evil.example.net", null));
        assertFalse(DEFAULT.allows("https://localhost.evil.example.net", "game.example.com"));
    }

    @Test
    void shouldAllowExactlyTheListedOrigins() {
        OriginPolicy listed = OriginPolicy.of(List.of("https://game.example.com", "http://lan.example.com:8080"));
        assertTrue(listed.allows("https://game.example.com", "anything"));
        assertTrue(listed.allows("https://game.example.com:443", "anything"), "the default port written out");
        assertTrue(listed.allows("http://lan.example.com:8080", "anything"));
        assertFalse(listed.allows("http://game.example.com", "anything"), "another scheme");
        assertFalse(listed.allows("http://localhost:8080", "localhost:8080"), "a list replaces the default");
        assertFalse(listed.allows("https://lan.example.com", "anything"), "another port");
    }

    @Test
    void shouldAllowEveryOriginWithAStar() {
        OriginPolicy open = OriginPolicy.of(List.of("*"));
        assertTrue(open.allows("https://evil.example.net", "game.example.com"));
        assertTrue(open.allows("null", "game.example.com"));
    }

    @Test
    void shouldNameAnEntryThatIsNotAnOrigin() {
        assertNull(OriginPolicy.problemWith("https://game.example.com"));
        assertNull(OriginPolicy.problemWith("*"));
        assertNotNull(OriginPolicy.problemWith("game.example.com"));
        assertNotNull(OriginPolicy.problemWith("https://game.example.com/play"));
        assertNotNull(OriginPolicy.problemWith("ftp://game.example.com"));
        assertThrows(IllegalArgumentException.class, () -> OriginPolicy.of(List.of("null")));
    }
}
