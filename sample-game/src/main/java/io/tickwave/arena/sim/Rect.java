package io.tickwave.arena.sim;

/** An axis-aligned rectangle: top-left corner {@code (x, y)}, size {@code w × h}. Immutable. */
public record Rect(double x, double y, double w, double h) {

    public double right() {
        return x + w;
    }

    public double bottom() {
        return y + h;
    }

    /** True when the point lies inside or on the edge. */
    public boolean contains(double px, double py) {
        return px >= x && px <= right() && py >= y && py <= bottom();
    }
}
