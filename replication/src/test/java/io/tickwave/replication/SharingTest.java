package io.tickwave.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SharingTest {
    private final Replicator replicator = new Replicator(TestWorld.SCHEMA);
    private final ReplicatedState state = replicator.state();

    @Test
    void shouldEncodeOnceASnapshotWhenEveryoneSeesEverythingFromTheSameBaseline() {
        Random random = new Random(11);
        int[] ships = new int[20];
        for (int i = 0; i < ships.length; i++) {
            ships[i] = state.create(TestWorld.SHIP);
        }
        TestViewer[] viewers = new TestViewer[50];
        for (int p = 0; p < viewers.length; p++) {
            viewers[p] = new TestViewer(replicator, p + 1);
        }
        for (long tick = 1; tick <= 20; tick++) {
            for (int ship : ships) {
                state.setFloat(ship, TestWorld.SHIP_X, random.nextDouble() * 2000);
            }
            long sharedBefore = replicator.encodingsShared();
            replicator.beginSnapshot(tick);
            Encoding first = null;
            for (TestViewer viewer : viewers) {
                viewer.receive(replicator, tick);
                if (first == null) {
                    first = viewer.last;
                }
                assertSame(first, viewer.last, "one encoding for the room at tick " + tick);
                assertEquals(0, viewer.last.shareIndex());
                assertTrue(Views.same(Views.server(replicator, viewer.playerId), viewer.state));
            }
            replicator.endSnapshot();
            assertEquals(viewers.length - 1, replicator.encodingsShared() - sharedBefore);
        }
    }

    @Test
    void shouldGiveViewersAtDifferentBaselinesDifferentEncodingsNumberedInOrderOfFirstUse() {
        int ship = state.create(TestWorld.SHIP);
        TestViewer a = new TestViewer(replicator, 1);
        TestViewer b = new TestViewer(replicator, 2);
        replicator.beginSnapshot(1);
        a.receive(replicator, 1);
        b.receive(replicator, 1);
        replicator.endSnapshot();
        state.setFloat(ship, TestWorld.SHIP_X, 5);
        replicator.beginSnapshot(2);
        a.receive(replicator, 2); // b misses this one
        replicator.endSnapshot();
        state.setFloat(ship, TestWorld.SHIP_X, 9);
        replicator.beginSnapshot(3);
        Encoding fromTwo = replicator.encode(1, 2, false);
        int firstIndex = fromTwo.shareIndex();
        Encoding fromOne = replicator.encode(2, 1, false);
        assertEquals(0, firstIndex);
        assertEquals(1, fromOne.shareIndex());
        assertNotEquals(fromTwo.baselineTick(), fromOne.baselineTick());
        Encoding late = replicator.encode(2, 1, false); // the same viewer and baseline again: the same encoding
        assertEquals(1, late.shareIndex());
        replicator.endSnapshot();
    }
}
