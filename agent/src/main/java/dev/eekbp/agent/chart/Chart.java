package dev.eekbp.agent.chart;

import java.util.List;
import java.util.Locale;

/**
 * Draws one figure: bars per mode (median, whisker = range) when there is
 * one offered rate, else one line per mode over the rates.
 */
final class Chart {
    static final int WIDTH = 960;
    static final int HEIGHT = 540;
    private static final int WHITE = 0xFFFFFF;
    private static final int BLACK = 0x000000;
    private static final int GRID = 0xDDDDDD;
    private static final int[] PALETTE = {0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2,
        0x7F7F7F, 0xBCBD22, 0x17BECF};
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 80;

    private Chart() {
    }

    static Raster draw(String title, List<ChartSeries> series) {
        Raster r = new Raster(WIDTH, HEIGHT, WHITE);
        boolean vsRate = !series.isEmpty() && series.get(0).rates().length > 1;
        int plotRight = vsRate ? WIDTH - 200 : WIDTH - RIGHT;
        r.text(LEFT, 20, title, BLACK, 2);
        double max = 0;
        for (ChartSeries s : series) {
            for (int i = 0; i < s.median().length; i++) {
                max = Math.max(max, finite(s.hi()[i], finite(s.median()[i], 0)));
            }
        }
        double top = niceCeiling(max);
        int y0 = HEIGHT - BOTTOM;
        int plotH = y0 - TOP;
        for (int t = 0; t <= 5; t++) {
            int y = y0 - plotH * t / 5;
            r.line(LEFT, y, plotRight, y, GRID, 1);
            String label = label(top * t / 5);
            r.text(LEFT - 8 - Raster.textWidth(label, 1), y - 3, label, BLACK, 1);
        }
        r.line(LEFT, TOP, LEFT, y0, BLACK, 1);
        r.line(LEFT, y0, plotRight, y0, BLACK, 1);
        if (vsRate) {
            lines(r, series, top, plotRight, y0, plotH);
        } else {
            bars(r, series, top, plotRight, y0, plotH);
        }
        return r;
    }

    private static void bars(Raster r, List<ChartSeries> series, double top, int plotRight, int y0, int plotH) {
        int n = series.size();
        int slot = (plotRight - LEFT) / Math.max(1, n);
        int barW = Math.max(4, slot * 3 / 5);
        for (int i = 0; i < n; i++) {
            ChartSeries s = series.get(i);
            int cx = LEFT + slot * i + slot / 2;
            int color = PALETTE[i % PALETTE.length];
            double v = s.median()[0];
            if (Double.isFinite(v)) {
                int h = (int) Math.round(plotH * v / top);
                r.fill(cx - barW / 2, y0 - h, barW, h, color);
                whisker(r, cx, s.lo()[0], s.hi()[0], top, y0, plotH);
                String lbl = label(v);
                r.text(cx - Raster.textWidth(lbl, 1) / 2, y0 - h - 12, lbl, BLACK, 1);
            } else {
                r.text(cx - Raster.textWidth("n/a", 1) / 2, y0 - 12, "n/a", BLACK, 1);
            }
            // long mode names alternate between two rows
            int ly = y0 + 10 + (i % 2) * 14;
            r.text(cx - Raster.textWidth(s.mode(), 1) / 2, ly, s.mode(), BLACK, 1);
        }
        String x = "mode" + (series.isEmpty() || series.get(0).rates()[0] == 0 ? " (idle)"
                : " at " + series.get(0).rates()[0] + " round trips/s");
        r.text((LEFT + plotRight - Raster.textWidth(x, 1)) / 2, HEIGHT - 30, x, BLACK, 1);
    }

    private static void lines(Raster r, List<ChartSeries> series, double top, int plotRight, int y0, int plotH) {
        int[] rates = series.get(0).rates();
        int n = rates.length;
        int step = (plotRight - LEFT) / n;
        for (int k = 0; k < n; k++) {
            int x = LEFT + step * k + step / 2;
            String lbl = Integer.toString(rates[k]);
            r.text(x - Raster.textWidth(lbl, 1) / 2, y0 + 10, lbl, BLACK, 1);
        }
        String x = "offered rate (round trips/s)";
        r.text((LEFT + plotRight - Raster.textWidth(x, 1)) / 2, HEIGHT - 30, x, BLACK, 1);
        for (int i = 0; i < series.size(); i++) {
            ChartSeries s = series.get(i);
            int color = PALETTE[i % PALETTE.length];
            int px = -1;
            int py = -1;
            for (int k = 0; k < n; k++) {
                double v = s.median()[k];
                if (!Double.isFinite(v)) {
                    px = -1;
                    continue;
                }
                int cx = LEFT + step * k + step / 2;
                int cy = y0 - (int) Math.round(plotH * v / top);
                if (px >= 0) {
                    r.line(px, py, cx, cy, color, 2);
                }
                r.fill(cx - 3, cy - 3, 7, 7, color);
                whisker(r, cx, s.lo()[k], s.hi()[k], top, y0, plotH);
                px = cx;
                py = cy;
            }
            int ly = TOP + i * 18;
            r.fill(plotRight + 20, ly, 12, 12, color);
            r.text(plotRight + 38, ly + 3, s.mode() + (s.hasData() ? "" : " n/a"), BLACK, 1);
        }
    }

    private static void whisker(Raster r, int cx, double lo, double hi, double top, int y0, int plotH) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo == hi) {
            return;
        }
        int a = y0 - (int) Math.round(plotH * lo / top);
        int b = y0 - (int) Math.round(plotH * hi / top);
        r.line(cx, a, cx, b, BLACK, 1);
        r.line(cx - 4, a, cx + 4, a, BLACK, 1);
        r.line(cx - 4, b, cx + 4, b, BLACK, 1);
    }

    private static double finite(double v, double otherwise) {
        return Double.isFinite(v) ? v : otherwise;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}; 1 for nothing to show. */
    static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    static String label(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1000 || a == Math.rint(a)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        String g = String.format(Locale.ROOT, "%.2g", v);
        return g.contains("e") ? g : g.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
