package dev.eekbp.agent.chart;

/** An RGB image in memory with the few drawing operations the charts need. */
final class Raster {
    private final int width;
    private final int height;
    private final int[] rgb;

    Raster(int width, int height, int background) {
        this.width = width;
        this.height = height;
        this.rgb = new int[width * height];
        java.util.Arrays.fill(rgb, background);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    int get(int x, int y) {
        return rgb[y * width + x];
    }

    void set(int x, int y, int color) {
        if (x >= 0 && y >= 0 && x < width && y < height) {
            rgb[y * width + x] = color;
        }
    }

    void fill(int x, int y, int w, int h, int color) {
        for (int j = Math.max(0, y); j < Math.min(height, y + h); j++) {
            for (int i = Math.max(0, x); i < Math.min(width, x + w); i++) {
                rgb[j * width + i] = color;
            }
        }
    }

    /** A line {@code thick} pixels wide (Bresenham, a square brush). */
    void line(int x0, int y0, int x1, int y1, int color, int thick) {
        int dx = Math.abs(x1 - x0);
        int dy = -Math.abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1;
        int sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        int half = thick / 2;
        while (true) {
            fill(x0 - half, y0 - half, thick, thick, color);
            if (x0 == x1 && y0 == y1) {
                return;
            }
            int e2 = 2 * err;
            if (e2 >= dy) {
                err += dy;
                x0 += sx;
            }
            if (e2 <= dx) {
                err += dx;
                y0 += sy;
            }
        }
    }

    /** Text with its top-left corner at (x, y), glyphs {@code scale} times 5x7 pixels. */
    void text(int x, int y, String s, int color, int scale) {
        for (int c = 0; c < s.length(); c++) {
            byte[] g = Font5x7.glyph(s.charAt(c));
            for (int row = 0; row < Font5x7.HEIGHT; row++) {
                for (int col = 0; col < Font5x7.WIDTH; col++) {
                    if ((g[row] >> (Font5x7.WIDTH - 1 - col) & 1) != 0) {
                        fill(x + col * scale, y + row * scale, scale, scale, color);
                    }
                }
            }
            x += Font5x7.ADVANCE * scale;
        }
    }

    static int textWidth(String s, int scale) {
        return s.length() * Font5x7.ADVANCE * scale;
    }
}
