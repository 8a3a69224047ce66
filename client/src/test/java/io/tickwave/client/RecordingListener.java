package io.tickwave.client;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.tickwave.protocol.Welcome;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.ReplicaClient;

/**
 * Writes down what a client hears, as lines ("welcome 3 resumed=false", "closed 1009 false", …), and
 * what the replicated state shows of each walker; tests wait for lines. Written on the client's event
 * thread, read on the test's.
 */
final class RecordingListener implements TickwaveListener {

    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<Welcome> welcomes = new CopyOnWriteArrayList<>();
    final List<byte[]> events = new CopyOnWriteArrayList<>();
    /** "tick ack walkerX" of each snapshot, the walker being this player's, read in the callback. */
    final List<long[]> states = new CopyOnWriteArrayList<>();
    volatile int myPlayerId;

    @Override
    public void onWelcome(Welcome welcome) {
        myPlayerId = welcome.getPlayerId();
        welcomes.add(welcome);
        lines.add("welcome " + welcome.getPlayerId() + " resumed=" + welcome.getResumed());
    }

    @Override
    public void onJoinRefused(int errorCode, String message) {
        lines.add("refused " + TickwaveException.errorName(errorCode));
    }

    @Override
    public void onState(StateUpdate update) {
        ReplicaClient replica = update.replica();
        long x = Long.MIN_VALUE;
        if (replica != null) {
            for (int i = 0; i < replica.entityCount(); i++) {
                // Walker: player_id is field 0, x field 1 (walker_replicated.proto, in field-number order).
                if (replica.typeAt(i).name().endsWith("Walker") && replica.qAt(i, 0) == myPlayerId) {
                    x = Math.round(replica.typeAt(i).fieldAt(1).dequantize(replica.qAt(i, 1)));
                }
            }
        }
        states.add(new long[] {update.tick(), Integer.toUnsignedLong(update.ackInputSeq()), x});
    }

    @Override
    public void onEntityAdded(int id, EntityType type, ReplicaClient state) {
        lines.add("added " + type.name());
    }

    @Override
    public void onEvent(long tick, byte[] payload) {
        events.add(payload);
    }

    @Override
    public void onChat(int playerId, String name, String text) {
        lines.add("chat " + name + ": " + text);
    }

    @Override
    public void onError(int errorCode, String message) {
        lines.add("error " + TickwaveException.errorName(errorCode));
    }

    @Override
    public void onDecodeError(String problem) {
        lines.add("decode error " + problem);
    }

    @Override
    public void onRtt(long rttNanos) {
        lines.add("rtt");
    }

    @Override
    public void onClosed(int code, String reason, boolean willReconnect) {
        lines.add("closed " + code + " " + willReconnect);
    }

    @Override
    public void onReconnecting(int attempt, long delayMillis) {
        lines.add("reconnecting " + attempt);
    }

    boolean has(String line) {
        return lines.contains(line);
    }

    /** Waits (up to 10 s) until a line matches. */
    void awaitLine(Predicate<String> wanted) {
        awaitTrue(() -> lines.stream().anyMatch(wanted), "a line as wanted");
    }

    void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what + "; heard " + lines);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
