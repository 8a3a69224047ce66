package io.tickwave.bots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * PNG charts drawn with java.awt in headless mode: a latency-by-percentile chart per run, and the
 * latency-versus-players curve of a capacity search. No browser, no Node.
 *
 * <p>Stateless; any thread.
 */
final class Charts {

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 640;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;
    private static final Color[] COLORS = {
        new Color(0xD6, 0x27, 0x28), new Color(0x1F, 0x77, 0xB4), new Color(0x2C, 0xA0, 0x2C),
        new Color(0x94, 0x67, 0xBD), new Color(0xFF, 0x7F, 0x0E)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** One point of a capacity search: players connected and the window's input → snapshot percentiles. */
    record CapacityPoint(int players, double p50Ms, double p99Ms, double p999Ms, boolean held) {
    }

    /**
     * Latency (ms, linear) against percentile (log scale of 1/(1-p): 0, 90, 99, 99.9, 99.99 equally
     * spaced), one line per histogram (µs).
     */
    static void percentiles(Path png, String title, Map<String, Histogram> seriesUs) throws IOException {
        long maxCount = 0;
        double maxMs = 1;
        for (Histogram h : seriesUs.values()) {
            maxCount = Math.max(maxCount, h.getTotalCount());
            if (h.getTotalCount() > 0) {
                maxMs = Math.max(maxMs, h.getMaxValue() / 1000.0);
            }
        }
        // Show as many nines as the data can support: 1,000 samples say something about p99.9 at most.
        int nines = (int) Math.max(2, Math.min(5, Math.floor(Math.log10(Math.max(1, maxCount)))));
        double xMax = nines;
        double yMax = niceCeiling(maxMs * 1.05);

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = begin(image, title, "percentile", "latency (ms)");
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= nines; i++) {
            int x = LEFT + (int) Math.round(plotW * i / xMax);
            String label = i == 0 ? "0%" : percentileLabel(i);
            grid(g, x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label, x - fm.stringWidth(label) / 2, TOP + plotH + 18);
        }
        yAxis(g, yMax, plotH);

        int s = 0;
        List<String> names = new ArrayList<>(seriesUs.keySet());
        for (String name : names) {
            Histogram h = seriesUs.get(name);
            Color color = COLORS[s % COLORS.length];
            if (h.getTotalCount() > 0) {
                Path2D.Double line = new Path2D.Double();
                boolean first = true;
                for (HistogramIterationValue v : h.percentiles(5)) {
                    double p = v.getPercentileLevelIteratedTo();
                    double xv = p >= 100 ? xMax : Math.min(xMax, Math.log10(1 / (1 - p / 100)));
                    double px = LEFT + plotW * xv / xMax;
                    double py = TOP + plotH - plotH * (v.getValueIteratedTo() / 1000.0) / yMax;
                    if (first) {
                        line.moveTo(px, py);
                        first = false;
                    } else {
                        line.lineTo(px, py);
                    }
                }
                g.setColor(color);
                g.setStroke(new BasicStroke(2.5f));
                g.draw(line);
            }
            LatencySummary l = LatencySummary.of(h);
            legend(g, s, color, String.format(Locale.ROOT, "%s   p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f ms  (n=%d)",
                    name, l.p50(), l.p99(), l.p999(), l.max(), l.count()));
            s++;
        }
        finish(g, image, png);
    }

    /** Input → snapshot p50/p99/p99.9 against players, with the SLO as a dashed line. */
    static void capacity(Path png, String title, List<CapacityPoint> points, double sloMs, int capacity) throws IOException {
        int maxPlayers = 1;
        double maxMs = sloMs * 1.2;
        for (CapacityPoint p : points) {
            maxPlayers = Math.max(maxPlayers, p.players());
            maxMs = Math.max(maxMs, p.p99Ms());
        }
        double xMax = niceCeiling(maxPlayers * 1.05);
        double yMax = niceCeiling(Math.min(maxMs, sloMs * 4) * 1.05);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = begin(image, title, "players connected", "input -> snapshot latency (ms)");
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        FontMetrics fm = g.getFontMetrics();
        double xStep = niceStep(xMax / 8);
        for (double v = 0; v <= xMax + 1e-9; v += xStep) {
            int x = LEFT + (int) Math.round(plotW * v / xMax);
            grid(g, x, TOP, x, TOP + plotH);
            String label = String.valueOf((long) v);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label, x - fm.stringWidth(label) / 2, TOP + plotH + 18);
        }
        yAxis(g, yMax, plotH);

        Stroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f);
        int sloY = TOP + plotH - (int) Math.round(plotH * sloMs / yMax);
        g.setColor(Color.BLACK);
        g.setStroke(dashed);
        g.drawLine(LEFT, sloY, LEFT + plotW, sloY);
        g.drawString(String.format(Locale.ROOT, "SLO p99 %.0f ms", sloMs), LEFT + plotW - 120, sloY - 6);
        if (capacity > 0) {
            int cx = LEFT + (int) Math.round(plotW * capacity / xMax);
            g.setColor(new Color(0x2C, 0xA0, 0x2C));
            g.drawLine(cx, TOP, cx, TOP + plotH);
            g.drawString("capacity " + capacity, cx + 6, TOP + 16);
        }
        String[] names = {"p50", "p99", "p99.9"};
        for (int s = 0; s < names.length; s++) {
            Color color = COLORS[s];
            Path2D.Double line = new Path2D.Double();
            for (int i = 0; i < points.size(); i++) {
                CapacityPoint p = points.get(i);
                double ms = s == 0 ? p.p50Ms() : s == 1 ? p.p99Ms() : p.p999Ms();
                double px = LEFT + plotW * p.players() / xMax;
                double py = TOP + plotH - plotH * Math.min(ms, yMax) / yMax;
                if (i == 0) {
                    line.moveTo(px, py);
                } else {
                    line.lineTo(px, py);
                }
                g.setColor(color);
                g.fillOval((int) px - 4, (int) py - 4, 8, 8);
            }
            g.setColor(color);
            g.setStroke(new BasicStroke(2.5f));
            g.draw(line);
            legend(g, s, color, names[s] + " input -> snapshot");
        }
        finish(g, image, png);
    }

    private static Graphics2D begin(BufferedImage image, String title, String xLabel, String yLabel) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.drawString(xLabel, LEFT + plotW / 2 - fm.stringWidth(xLabel) / 2, HEIGHT - 25);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString(yLabel, -(TOP + plotH / 2) - fm.stringWidth(yLabel) / 2, 22);
        r.dispose();
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, TOP, plotW, plotH);
        return g;
    }

    private static void yAxis(Graphics2D g, double yMax, int plotH) {
        FontMetrics fm = g.getFontMetrics();
        double step = niceStep(yMax / 8);
        for (double v = 0; v <= yMax + 1e-9; v += step) {
            int y = TOP + plotH - (int) Math.round(plotH * v / yMax);
            grid(g, LEFT, y, WIDTH - RIGHT, y);
            String label = step < 1 ? String.format(Locale.ROOT, "%.1f", v) : String.valueOf((long) v);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + 4);
        }
    }

    private static void grid(Graphics2D g, int x1, int y1, int x2, int y2) {
        g.setColor(new Color(0xE4, 0xE4, 0xE4));
        g.setStroke(new BasicStroke(1f));
        g.drawLine(x1, y1, x2, y2);
    }

    private static void legend(Graphics2D g, int row, Color color, String text) {
        int y = TOP + 20 + row * 20;
        g.setColor(new Color(255, 255, 255, 220));
        g.fillRect(LEFT + 10, y - 13, g.getFontMetrics().stringWidth(text) + 40, 18);
        g.setColor(color);
        g.setStroke(new BasicStroke(3f));
        g.drawLine(LEFT + 14, y - 4, LEFT + 34, y - 4);
        g.setColor(Color.BLACK);
        g.drawString(text, LEFT + 40, y);
    }

    private static void finish(Graphics2D g, BufferedImage image, Path png) throws IOException {
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static String percentileLabel(int nines) {
        StringBuilder sb = new StringBuilder("99");
        if (nines == 1) {
            return "90%";
        }
        if (nines > 2) {
            sb.append('.');
            sb.append("9".repeat(nines - 2));
        }
        return sb.append('%').toString();
    }

    /** The smallest of 1, 2, 5 × 10^k at or above {@code v}. */
    static double niceCeiling(double v) {
        double step = niceStep(v / 8);
        return Math.ceil(v / step) * step;
    }

    private static double niceStep(double raw) {
        if (raw <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double n = raw / magnitude;
        double nice = n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
