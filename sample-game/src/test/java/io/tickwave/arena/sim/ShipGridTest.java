package io.tickwave.arena.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bullets' ship grid answers what a scan of every ship in join order answers. */
class ShipGridTest {

    /** The first living ship in join order, not the owner's, within reach: the rule the grid must keep. */
    private static int scan(List<Ship> ships, double x, double y, double reach, int ownerId) {
        for (int k = 0; k < ships.size(); k++) {
            Ship s = ships.get(k);
            double dx = s.x - x;
            double dy = s.y - y;
            if (s.alive && s.playerId != ownerId && dx * dx + dy * dy <= reach * reach) {
                return k;
            }
        }
        return -1;
    }

    @Test
    void shouldFindTheFirstShipInJoinOrderThatABulletReaches() {
        SplittableRandom random = new SplittableRandom(21);
        double reach = 22;
        int hits = 0;
        for (int round = 0; round < 40; round++) {
            ShipGrid grid = new ShipGrid(600, 400, 88);
            List<Ship> ships = new ArrayList<>();
            int n = 1 + random.nextInt(200);
            for (int i = 0; i < n; i++) {
                Ship s = new Ship(i + 1);
                // Crowded, with some ships on or past the border, and some dead.
                s.x = -30 + random.nextDouble() * 660;
                s.y = -30 + random.nextDouble() * 460;
                s.alive = random.nextInt(5) != 0;
                ships.add(s);
            }
            grid.rebuild(ships);
            for (int q = 0; q < 300; q++) {
                double x = -40 + random.nextDouble() * 680;
                double y = -40 + random.nextDouble() * 480;
                int owner = 1 + random.nextInt(n);
                int expected = scan(ships, x, y, reach, owner);
                assertEquals(expected, grid.firstReached(ships, x, y, reach, owner),
                        "round " + round + " query (" + x + ", " + y + ") owner " + owner);
                hits += expected >= 0 ? 1 : 0;
            }
        }
        assertTrue(hits > 1000, "most queries reach a ship, so overlapping candidates are compared: " + hits);
    }
}
