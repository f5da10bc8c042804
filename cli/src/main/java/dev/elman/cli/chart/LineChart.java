package dev.elman.cli.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One panel of lines: a title, labelled axes (the y axis linear or logarithmic), one polyline and
 * legend entry per series. Points that are not finite, or not positive on a log axis, are left out
 * and break the line there rather than dragging it to an axis.
 */
public final class LineChart {
    /**
     * One colour per series, distinct for up to {@link #DISTINCT_COLOURS} series: the benchmark
     * report's peers panels draw twelve (Elman in three precisions, ONNX Runtime, oneDNN and
     * PyTorch, each at two thread counts), which eight colours drew two by two alike.
     */
    private static final int[] PALETTE = {0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd, 0x8c564b, 0x17becf,
            0x7f7f7f, 0xe377c2, 0xbcbd22, 0x393b79, 0x843c39, 0x637939, 0x7b4173};
    /** The series a panel can draw before its colours repeat. */
    static final int DISTINCT_COLOURS = PALETTE.length;
    private static final int REFERENCE_COLOR = 0x666666;

    /**
     * One line.
     *
     * @param name the legend entry
     * @param x abscissae
     * @param y ordinates, as many as {@code x}
     */
    public record Series(String name, double[] x, double[] y) {
        /**
         * @throws IllegalArgumentException when the lengths differ
         */
        public Series {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
            }
        }
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();
    private boolean legendBottomLeft;

    /**
     * A horizontal reference line (a baseline, a threshold), drawn dashed in grey across the panel.
     *
     * @param name the legend entry
     * @param y its ordinate
     */
    public record Reference(String name, double y) {
        /**
         * @throws IllegalArgumentException when y is not finite
         */
        public Reference {
            Objects.requireNonNull(name, "name");
            if (!Double.isFinite(y)) {
                throw new IllegalArgumentException("reference '" + name + "': y must be finite, got " + y);
            }
        }
    }

    /**
     * @param title the panel's title
     * @param xLabel the x axis label
     * @param yLabel the y axis label
     * @param logY whether the y axis is logarithmic (base 10)
     */
    public LineChart(String title, String xLabel, String yLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
    }

    /**
     * Adds a line.
     *
     * @param name its legend entry
     * @param x abscissae
     * @param y ordinates
     * @return this chart
     */
    public LineChart add(String name, double[] x, double[] y) {
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /**
     * Adds a horizontal reference line; it counts towards the y range (unless it cannot sit on a
     * log axis).
     *
     * @param name its legend entry
     * @param y its ordinate
     * @return this chart
     */
    public LineChart reference(String name, double y) {
        references.add(new Reference(name, y));
        return this;
    }

    /**
     * Puts the legend in the bottom-left corner of the plot instead of the top-right, for lines
     * that start high on the left and fall (a decay on a log axis).
     *
     * @return this chart
     */
    public LineChart legendBottomLeft() {
        legendBottomLeft = true;
        return this;
    }

    /** @return the reference lines, in the order added */
    public List<Reference> references() {
        return List.copyOf(references);
    }

    /** @return the lines, in the order added */
    public List<Series> series() {
        return List.copyOf(series);
    }

    void draw(Canvas canvas, double left, double top, double width, double height) {
        double plotLeft = left + 70;
        double plotTop = top + 34;
        double plotWidth = width - 70 - 18;
        double plotHeight = height - 34 - 50;
        canvas.text(left + width / 2, top + 20, title, 14, Canvas.Anchor.MIDDLE, true, false);
        canvas.rectangle(plotLeft, plotTop, plotWidth, plotHeight, 0x444444, 0xffffff);

        double[] xRange = range(false, true);
        double[] yRange = range(logY, false);
        Axis xAxis = Axis.linear(xRange[0], xRange[1]);
        Axis yAxis = logY ? Axis.logarithmic(yRange[0], yRange[1]) : Axis.linear(yRange[0], yRange[1]);

        for (double tick : xAxis.ticks()) {
            double px = plotLeft + xAxis.fraction(tick) * plotWidth;
            canvas.line(px, plotTop, px, plotTop + plotHeight, 0xdddddd, 1, true);
            canvas.text(px, plotTop + plotHeight + 16, xAxis.label(tick), 11, Canvas.Anchor.MIDDLE, false, false);
        }
        for (double tick : yAxis.ticks()) {
            double py = plotTop + (1 - yAxis.fraction(tick)) * plotHeight;
            canvas.line(plotLeft, py, plotLeft + plotWidth, py, 0xdddddd, 1, true);
            canvas.text(plotLeft - 6, py + 4, yAxis.label(tick), 11, Canvas.Anchor.END, false, false);
        }
        canvas.rectangle(plotLeft, plotTop, plotWidth, 0, 0x444444, 0xffffff);
        canvas.text(plotLeft + plotWidth / 2, top + height - 12, xLabel, 12, Canvas.Anchor.MIDDLE, false, false);
        canvas.text(left + 16, plotTop + plotHeight / 2, yLabel, 12, Canvas.Anchor.MIDDLE, false, true);

        for (Reference reference : references) {
            if (!logY || reference.y() > 0) {
                double py = plotTop + (1 - clamp(yAxis.fraction(reference.y()))) * plotHeight;
                canvas.line(plotLeft, py, plotLeft + plotWidth, py, REFERENCE_COLOR, 1.5, true);
            }
        }
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            int color = PALETTE[s % PALETTE.length];
            double[] xs = new double[line.x().length];
            double[] ys = new double[line.x().length];
            int count = 0;
            for (int i = 0; i <= line.x().length; i++) {
                boolean usable = i < line.x().length && usable(line.x()[i], line.y()[i]);
                if (usable) {
                    xs[count] = plotLeft + clamp(xAxis.fraction(line.x()[i])) * plotWidth;
                    ys[count] = plotTop + (1 - clamp(yAxis.fraction(line.y()[i]))) * plotHeight;
                    count++;
                } else if (count > 0) {
                    canvas.polyline(xs, ys, count, color, 2);
                    count = 0;
                }
            }
        }
        drawLegend(canvas, plotLeft, plotTop, plotWidth, plotHeight);
    }

    private void drawLegend(Canvas canvas, double plotLeft, double plotTop, double plotWidth, double plotHeight) {
        int entries = series.size() + references.size();
        if (entries == 0) {
            return;
        }
        int longest = 0;
        for (Series line : series) {
            longest = Math.max(longest, line.name().length());
        }
        for (Reference reference : references) {
            longest = Math.max(longest, reference.name().length());
        }
        double boxWidth = 34 + longest * 6.6;
        double boxHeight = 8 + 16 * entries;
        double x = legendBottomLeft ? plotLeft + 8 : plotLeft + plotWidth - boxWidth - 8;
        double y = legendBottomLeft ? plotTop + plotHeight - boxHeight - 8 : plotTop + 8;
        canvas.rectangle(x, y, boxWidth, boxHeight, 0xbbbbbb, 0xffffff);
        for (int s = 0; s < series.size(); s++) {
            double rowY = y + 14 + 16 * s;
            canvas.line(x + 6, rowY - 4, x + 26, rowY - 4, PALETTE[s % PALETTE.length], 2.5, false);
            canvas.text(x + 30, rowY, series.get(s).name(), 11, Canvas.Anchor.START, false, false);
        }
        for (int r = 0; r < references.size(); r++) {
            double rowY = y + 14 + 16 * (series.size() + r);
            canvas.line(x + 6, rowY - 4, x + 26, rowY - 4, REFERENCE_COLOR, 1.5, true);
            canvas.text(x + 30, rowY, references.get(r).name(), 11, Canvas.Anchor.START, false, false);
        }
    }

    private boolean usable(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
    }

    private double[] range(boolean logarithmic, boolean ofX) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series line : series) {
            for (int i = 0; i < line.x().length; i++) {
                if (usable(line.x()[i], line.y()[i])) {
                    double value = ofX ? line.x()[i] : line.y()[i];
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                }
            }
        }
        if (!ofX) {
            for (Reference reference : references) {
                if (!logarithmic || reference.y() > 0) {
                    min = Math.min(min, reference.y());
                    max = Math.max(max, reference.y());
                }
            }
        }
        if (min > max) {
            return logarithmic ? new double[] {0.1, 1} : new double[] {0, 1};
        }
        return new double[] {min, max};
    }

    private static double clamp(double fraction) {
        return Math.max(-0.02, Math.min(1.02, fraction));
    }

    /** Tick positions and labels for one axis. */
    private record Axis(double low, double high, boolean logarithmic, double step, int decimals) {
        static Axis linear(double min, double max) {
            if (max - min <= Math.abs(max) * 1e-12) {
                double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
                min -= pad;
                max += pad;
            }
            double rough = (max - min) / 5;
            double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
            double normalised = rough / magnitude;
            double step = (normalised < 1.5 ? 1 : normalised < 3.5 ? 2 : normalised < 7.5 ? 5 : 10) * magnitude;
            int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
            return new Axis(Math.floor(min / step) * step, Math.ceil(max / step) * step, false, step, decimals);
        }

        static Axis logarithmic(double min, double max) {
            double low = Math.floor(Math.log10(min));
            double high = Math.ceil(Math.log10(max));
            if (high <= low) {
                high = low + 1;
            }
            double step = Math.max(1, Math.ceil((high - low) / 8));
            return new Axis(low, high, true, step, 0);
        }

        double fraction(double value) {
            double position = logarithmic ? Math.log10(value) : value;
            return (position - low) / (high - low);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            for (double t = low; t <= high + step * 1e-9; t += step) {
                ticks.add(logarithmic ? Math.pow(10, t) : t);
            }
            return ticks;
        }

        String label(double tick) {
            if (logarithmic) {
                int exponent = (int) Math.round(Math.log10(tick));
                return exponent == 0 ? "1" : exponent == 1 ? "10" : "1e" + exponent;
            }
            return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(tick) < step * 1e-9 ? 0.0 : tick);
        }
    }
}
