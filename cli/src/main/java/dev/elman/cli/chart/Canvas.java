package dev.elman.cli.chart;

/**
 * The few drawing operations a chart needs, so one layout renders to both SVG and PNG.
 * Coordinates are pixels from the top-left corner.
 */
interface Canvas {
    /** Text anchoring along the baseline. */
    enum Anchor { START, MIDDLE, END }

    void line(double x1, double y1, double x2, double y2, int rgb, double width, boolean dashed);

    void polyline(double[] xs, double[] ys, int count, int rgb, double width);

    void rectangle(double x, double y, double width, double height, int strokeRgb, int fillRgb);

    void text(double x, double y, String text, double size, Anchor anchor, boolean bold, boolean vertical);
}
