package io.tickwave.server.net;

import java.security.SecureRandom;

/**
 * Makes reconnect tokens. The {@link SecureRandom} is created and seeded when the server starts (seeding
 * may block on the system's entropy); afterwards it is only read, on IO threads at join, never on the
 * game-loop thread. Thread-safe: {@code SecureRandom} is.
 */
public final class ReconnectTokens {

    private final SecureRandom random = new SecureRandom();

    public ReconnectTokens() {
        random.nextLong(); // seeds now, at start, rather than at the first join
    }

    /** A new token; never {@link ReconnectToken#NONE_SUCH}. IO thread. */
    public ReconnectToken issue() {
        while (true) {
            ReconnectToken token = new ReconnectToken(random.nextLong(), random.nextLong());
            if (!token.equals(ReconnectToken.NONE_SUCH)) {
                return token;
            }
        }
    }
}
