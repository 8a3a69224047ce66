package io.tickwave.arena.sim;

import java.util.Arrays;
import java.util.List;

/**
 * The ships of a world bucketed by square cells, so that a bullet tests only the ships near it
 * instead of all of them: what keeps a world of a thousand ships and thousands of bullets cheap.
 *
 * <p>It answers exactly what a scan of every ship in join order would: the first ship in join order
 * that the bullet reaches. Within a cell ships are kept in join order, and a query over several cells
 * takes the lowest join index it finds.
 *
 * <p>Owned by its {@link ArenaWorld}, on that world's thread. {@link #rebuild} allocates only when
 * there are more ships than ever before.
 */
final class ShipGrid {

    private final double cellSize;
    private final int columns;
    private final int rows;
    /** Per cell, where its ships start in {@link #order}; one more entry for the end. */
    private final int[] cellStart;
    private final int[] cellFill;
    /** Ship indices (join order), cell by cell. */
    private int[] order = new int[64];

    ShipGrid(double width, double height, double cellSize) {
        this.cellSize = cellSize;
        this.columns = Math.max(1, (int) Math.ceil(width / cellSize));
        this.rows = Math.max(1, (int) Math.ceil(height / cellSize));
        this.cellStart = new int[columns * rows + 1];
        this.cellFill = new int[columns * rows];
    }

    private int column(double x) {
        int c = (int) Math.floor(x / cellSize);
        return c < 0 ? 0 : Math.min(c, columns - 1);
    }

    private int row(double y) {
        int r = (int) Math.floor(y / cellSize);
        return r < 0 ? 0 : Math.min(r, rows - 1);
    }

    /** Buckets the ships where they are now. Positions outside the map fall into the border cells. */
    void rebuild(List<Ship> ships) {
        int n = ships.size();
        if (order.length < n) {
            order = new int[Math.max(n, order.length * 2)];
        }
        Arrays.fill(cellStart, 0);
        for (int i = 0; i < n; i++) {
            Ship s = ships.get(i);
            cellStart[row(s.y) * columns + column(s.x) + 1]++;
        }
        for (int c = 0; c < cellFill.length; c++) {
            cellStart[c + 1] += cellStart[c];
            cellFill[c] = cellStart[c];
        }
        for (int i = 0; i < n; i++) {
            Ship s = ships.get(i);
            order[cellFill[row(s.y) * columns + column(s.x)]++] = i;
        }
    }

    /**
     * The index (in {@code ships}, as last rebuilt) of the first ship in join order that is alive, not
     * {@code ownerId}'s, and within {@code reach} of {@code (x, y)}; -1 when there is none.
     */
    int firstReached(List<Ship> ships, double x, double y, double reach, int ownerId) {
        int best = Integer.MAX_VALUE;
        int c0 = column(x - reach);
        int c1 = column(x + reach);
        int r1 = row(y + reach);
        double reach2 = reach * reach;
        for (int r = row(y - reach); r <= r1; r++) {
            for (int c = c0; c <= c1; c++) {
                int cell = r * columns + c;
                for (int k = cellStart[cell], end = cellStart[cell + 1]; k < end; k++) {
                    int index = order[k];
                    if (index >= best) {
                        break; // join order within a cell: the rest come later
                    }
                    Ship target = ships.get(index);
                    if (!target.alive || target.playerId == ownerId) {
                        continue;
                    }
                    double dx = target.x - x;
                    double dy = target.y - y;
                    if (dx * dx + dy * dy <= reach2) {
                        best = index;
                        break;
                    }
                }
            }
        }
        return best == Integer.MAX_VALUE ? -1 : best;
    }
}
