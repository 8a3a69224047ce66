package io.tickwave.bots;

import java.net.URI;
import java.time.Duration;

/**
 * How every bot of a swarm behaves. Immutable; any thread.
 *
 * @param url          the server's WebSocket endpoint, e.g. {@code ws://127.0.0.1:8080/ws}
 * @param inputRateHz  inputs per second per bot, sent on a fixed schedule (0: none)
 * @param pingInterval time between two pings of one bot (zero: no pings)
 * @param behaviour    what the inputs ask for
 * @param slowFraction share of bots (0..1) that stop reading their socket {@code slowAfter} after joining
 * @param slowAfter    how long a slow bot reads normally before it stops
 * @param ioThreads    selector threads ({@link BotLane}s) that carry all the bots
 * @param protocolVersion 2 (this server) or 1 (the previous build: per-snapshot acks, no tick in inputs)
 * @param namePrefix   display names are {@code prefix-N}
 * @param seed         seeds every bot's randomness (phase, wander directions)
 * @param stateDecoding which bots decode the replicated state, and whether all of them check it
 * @param matchmaker   a cluster node's {@code http://host:port} whose {@code POST /matchmake} gives each bot
 *                     its seat (and a new one after a rematch), or null: every bot connects to {@code url}
 * @param game         the game asked of the matchmaker ({@code "game"}), or null for any
 */
record SwarmSettings(URI url, int inputRateHz, Duration pingInterval, Behaviour behaviour, double slowFraction,
                     Duration slowAfter, int ioThreads, String namePrefix, long seed, int protocolVersion,
                     StateDecoding stateDecoding, URI matchmaker, String game) {

    SwarmSettings {
        if (inputRateHz < 0 || inputRateHz > 100) {
            throw new IllegalArgumentException("input rate must be 0..100 per second (the server allows ~120 messages/s in total), got " + inputRateHz);
        }
        if (slowFraction < 0 || slowFraction > 1) {
            throw new IllegalArgumentException("slow fraction must be 0..1, got " + slowFraction);
        }
        if (protocolVersion != 1 && protocolVersion != 2) {
            throw new IllegalArgumentException("protocol version must be 1 or 2, got " + protocolVersion);
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("io threads must be at least 1");
        }
        if (stateDecoding == null) {
            throw new IllegalArgumentException("state decoding must be given");
        }
    }

    /** Without a matchmaker: every bot connects to {@code url}. */
    SwarmSettings(URI url, int inputRateHz, Duration pingInterval, Behaviour behaviour, double slowFraction,
                  Duration slowAfter, int ioThreads, String namePrefix, long seed, int protocolVersion) {
        this(url, inputRateHz, pingInterval, behaviour, slowFraction, slowAfter, ioThreads, namePrefix, seed,
                protocolVersion, StateDecoding.DEFAULT, null, null);
    }

    static SwarmSettings defaults(URI url) {
        return new SwarmSettings(url, 20, Duration.ofSeconds(1), Behaviour.WANDER, 0, Duration.ofSeconds(5),
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), "bot", 42, 2, StateDecoding.DEFAULT, null, null);
    }

    SwarmSettings withInputRate(int hz) {
        return new SwarmSettings(url, hz, pingInterval, behaviour, slowFraction, slowAfter, ioThreads, namePrefix, seed, protocolVersion, stateDecoding, matchmaker, game);
    }

    SwarmSettings withBehaviour(Behaviour b) {
        return new SwarmSettings(url, inputRateHz, pingInterval, b, slowFraction, slowAfter, ioThreads, namePrefix, seed, protocolVersion, stateDecoding, matchmaker, game);
    }

    SwarmSettings withSlow(double fraction, Duration after) {
        return new SwarmSettings(url, inputRateHz, pingInterval, behaviour, fraction, after, ioThreads, namePrefix, seed, protocolVersion, stateDecoding, matchmaker, game);
    }

    SwarmSettings withIoThreads(int n) {
        return new SwarmSettings(url, inputRateHz, pingInterval, behaviour, slowFraction, slowAfter, n, namePrefix, seed, protocolVersion, stateDecoding, matchmaker, game);
    }

    SwarmSettings withPing(Duration interval) {
        return new SwarmSettings(url, inputRateHz, interval, behaviour, slowFraction, slowAfter, ioThreads, namePrefix, seed, protocolVersion, stateDecoding, matchmaker, game);
    }

    SwarmSettings withProtocolVersion(int version) {
        return new SwarmSettings(url, inputRateHz, pingInterval, behaviour, slowFraction, slowAfter, ioThreads, namePrefix, seed, version, stateDecoding, matchmaker, game);
    }

    SwarmSettings withStateDecoding(StateDecoding decoding) {
        return new SwarmSettings(url, inputRateHz, pingInterval, behaviour, slowFraction, slowAfter, ioThreads, namePrefix, seed, protocolVersion, decoding, matchmaker, game);
    }

    /** Every bot gets its seat from {@code matchmaker}'s {@code POST /matchmake}, for {@code game} (null: any). */
    SwarmSettings withMatchmaker(URI matchmaker, String game) {
        return new SwarmSettings(url, inputRateHz, pingInterval, behaviour, slowFraction, slowAfter, ioThreads, namePrefix, seed, protocolVersion, stateDecoding, matchmaker, game);
    }

    /** Whether bot number {@code index} (0-based) is one of the slow ones: spread evenly, exactly the fraction. */
    boolean isSlow(int index) {
        return Math.floor((index + 1) * slowFraction) > Math.floor(index * slowFraction);
    }
}
