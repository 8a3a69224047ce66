package io.tickwave.server.loop;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the loop's idle strategy parks for, on a fixed clock. */
class TickDeadlineIdleStrategyTest {

    private static final long SPIN_NS = 100_000;

    private final List<Long> parks = new ArrayList<>();
    private long nowNs;
    private long deadlineNs;
    private final TickDeadlineIdleStrategy idle =
            new TickDeadlineIdleStrategy(() -> nowNs, () -> deadlineNs, SPIN_NS, parks::add);

    @Test
    void shouldParkUntilTheSpinMarginBeforeTheDeadline() {
        nowNs = 5_000_000;
        deadlineNs = 15_000_000;
        idle.idle(0);
        assertEquals(List.of(10_000_000L - SPIN_NS), parks);
    }

    @Test
    void shouldNotParkAfterACycleThatDidWork() {
        deadlineNs = 10_000_000;
        idle.idle(3);
        assertEquals(List.of(), parks);
    }

    @Test
    void shouldSpinWithoutParkingInsideTheMarginOrPastTheDeadline() {
        deadlineNs = 1_000_000;
        nowNs = deadlineNs - SPIN_NS;
        idle.idle(0);
        nowNs = deadlineNs + 5;
        idle.idle(0);
        assertEquals(List.of(), parks);
    }

    @Test
    void shouldParkTheRightAmountAcrossTheClocksWrapAround() {
        nowNs = Long.MAX_VALUE - 1_000_000;
        deadlineNs = Long.MIN_VALUE + 1_000_000; // 2 ms (and 1 ns) later, after the wrap
        idle.idle(0);
        assertEquals(List.of(2_000_001L - SPIN_NS), parks);
    }

    @Test
    void shouldRefuseANegativeSpinMargin() {
        assertThrows(IllegalArgumentException.class,
                () -> new TickDeadlineIdleStrategy(() -> 0, () -> 0, -1, parks::add));
    }
}
