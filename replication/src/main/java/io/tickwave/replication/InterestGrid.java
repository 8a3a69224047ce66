package io.tickwave.replication;

import java.util.Arrays;

/**
 * A uniform grid of square cells over the committed positions of the positioned entities, rebuilt
 * at every snapshot: O(entities) to rebuild (a hash of occupied cells, then a counting sort of the
 * entities by cell), and a query costs the cells overlapping the view circle plus the entities in
 * them. Only occupied cells exist, so the world needs no bounds.
 *
 * <p><b>Thread:</b> the game-loop thread only. Allocation-free once its arrays have grown to the
 * room's largest entity count.
 */
final class InterestGrid {
    private double cellSize = 1;
    private int count;

    // entries as added (ascending id), then ordered by cell
    private int[] addedId = new int[64];
    private int[] addedSlot = new int[64];
    private double[] addedX = new double[64];
    private double[] addedY = new double[64];
    private int[] addedVisibleTo = new int[64];
    private int[] addedCell = new int[64];

    private int[] id = new int[64];
    private int[] slot = new int[64];
    private double[] x = new double[64];
    private double[] y = new double[64];
    private int[] visibleTo = new int[64];

    // occupied cells
    private int cellCount;
    private int[] cellStart = new int[65];
    private int[] cellFill = new int[64];

    // open-addressing table: cell key -> cell index, valid where stamp == generation
    private long[] tableKey = new long[128];
    private int[] tableCell = new int[128];
    private int[] tableStamp = new int[128];
    private int generation;

    void begin(double cellSize, int maxEntries) {
        this.cellSize = cellSize;
        this.count = 0;
        this.cellCount = 0;
        if (addedId.length < maxEntries) {
            int size = Math.max(maxEntries, addedId.length * 2);
            addedId = new int[size];
            addedSlot = new int[size];
            addedX = new double[size];
            addedY = new double[size];
            addedVisibleTo = new int[size];
            addedCell = new int[size];
            id = new int[size];
            slot = new int[size];
            x = new double[size];
            y = new double[size];
            visibleTo = new int[size];
            cellStart = new int[size + 1];
            cellFill = new int[size];
        }
        if (tableKey.length < 2 * maxEntries) {
            int size = Integer.highestOneBit(Math.max(2 * maxEntries, 64) - 1) << 1;
            tableKey = new long[size];
            tableCell = new int[size];
            tableStamp = new int[size];
            generation = 0;
        }
        generation++;
        if (generation == Integer.MAX_VALUE) {
            Arrays.fill(tableStamp, 0);
            generation = 1;
        }
    }

    /** Adds an entity; entities must come in ascending id so that each cell lists its ids ascending. */
    void add(int entityId, int entitySlot, double ex, double ey, int onlyVisibleTo) {
        int i = count++;
        addedId[i] = entityId;
        addedSlot[i] = entitySlot;
        addedX[i] = ex;
        addedY[i] = ey;
        addedVisibleTo[i] = onlyVisibleTo;
        addedCell[i] = cellOf(key(cellCoordinate(ex), cellCoordinate(ey)), true);
    }

    void finish() {
        int cells = cellCount;
        int[] start = cellStart;
        int[] fill = cellFill;
        int sum = 0;
        for (int c = 0; c < cells; c++) {
            int n = fill[c];
            start[c] = sum;
            fill[c] = sum;
            sum += n;
        }
        start[cells] = sum;
        for (int i = 0; i < count; i++) {
            int at = fill[addedCell[i]]++;
            id[at] = addedId[i];
            slot[at] = addedSlot[i];
            x[at] = addedX[i];
            y[at] = addedY[i];
            visibleTo[at] = addedVisibleTo[i];
        }
    }

    int size() {
        return count;
    }

    /**
     * Writes {@code (id << 32) | slot} of every entity within {@code radius} of {@code (vx, vy)}
     * visible to {@code playerId} into {@code out} (which must hold {@link #size()} longs), unsorted;
     * returns how many.
     */
    int query(double vx, double vy, double radius, int playerId, long[] out) {
        long cx0 = cellCoordinate(vx - radius);
        long cx1 = cellCoordinate(vx + radius);
        long cy0 = cellCoordinate(vy - radius);
        long cy1 = cellCoordinate(vy + radius);
        double r2 = radius * radius;
        int n = 0;
        double span = (double) (cx1 - cx0 + 1) * (double) (cy1 - cy0 + 1);
        if (span >= cellCount) {
            return collect(0, count, vx, vy, r2, playerId, out, 0);
        }
        for (long cx = cx0; cx <= cx1; cx++) {
            for (long cy = cy0; cy <= cy1; cy++) {
                int c = cellOf(key(cx, cy), false);
                if (c >= 0) {
                    n = collect(cellStart[c], cellStart[c + 1], vx, vy, r2, playerId, out, n);
                }
            }
        }
        return n;
    }

    private int collect(int from, int to, double vx, double vy, double r2, int playerId, long[] out, int n) {
        for (int i = from; i < to; i++) {
            double dx = x[i] - vx;
            double dy = y[i] - vy;
            int only = visibleTo[i];
            if (dx * dx + dy * dy <= r2 && (only == 0 || only == playerId)) {
                out[n++] = ((long) id[i] << 32) | slot[i];
            }
        }
        return n;
    }

    private long cellCoordinate(double v) {
        double c = Math.floor(v / cellSize);
        // far-away or non-finite positions share the outermost cells instead of overflowing
        if (c > Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        if (c < Integer.MIN_VALUE) {
            return Integer.MIN_VALUE;
        }
        return c != c ? 0 : (long) c;
    }

    private static long key(long cx, long cy) {
        return (cx << 32) ^ (cy & 0xFFFF_FFFFL);
    }

    private int cellOf(long key, boolean insert) {
        int mask = tableKey.length - 1;
        long h = key * 0x9E3779B97F4A7C15L;
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (true) {
            if (tableStamp[i] != generation) {
                if (!insert) {
                    return -1;
                }
                tableStamp[i] = generation;
                tableKey[i] = key;
                int c = cellCount++;
                tableCell[i] = c;
                cellFill[c] = 1;
                return c;
            }
            if (tableKey[i] == key) {
                int c = tableCell[i];
                if (insert) {
                    cellFill[c]++;
                }
                return c;
            }
            i = (i + 1) & mask;
        }
    }
}
