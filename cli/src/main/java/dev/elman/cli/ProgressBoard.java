package dev.elman.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Live progress of one or more concurrent jobs (one row each): step, loss, steps per second and
 * ETA. On a terminal the rows are redrawn in place at most ten times a second; otherwise (a pipe, a
 * file, CI) each row prints a plain line at every tenth of its work, so logs stay short and
 * readable. Rows may be updated from different threads.
 */
public final class ProgressBoard {
    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final String[] names;
    private final long[] totals;
    private final String[] lines;
    private final long[] lastPlainTenth;
    private final long start = System.nanoTime();
    private long lastRedraw;
    private boolean drawn;

    /**
     * @param out where to draw
     * @param terminal whether {@code out} is an interactive terminal (see {@link #isTerminal()})
     * @param names one label per row
     * @param totals the total steps of each row
     */
    public ProgressBoard(PrintStream out, boolean terminal, String[] names, long[] totals) {
        if (names.length != totals.length) {
            throw new IllegalArgumentException(names.length + " names but " + totals.length + " totals");
        }
        this.out = out;
        this.terminal = terminal;
        this.names = names.clone();
        this.totals = totals.clone();
        this.lines = new String[names.length];
        this.lastPlainTenth = new long[names.length];
        java.util.Arrays.fill(lastPlainTenth, -1);
        for (int i = 0; i < names.length; i++) {
            lines[i] = format(i, 0, Double.NaN, 0);
        }
    }

    /**
     * Whether standard output is an interactive terminal.
     *
     * @return true when progress can be redrawn in place
     */
    public static boolean isTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal() && System.getenv("TERM") != null
                && !"dumb".equals(System.getenv("TERM"));
    }

    /**
     * Records progress of one row.
     *
     * @param row the row
     * @param step steps done
     * @param loss the latest loss (NaN when unknown)
     * @param stepsPerSecond the recent rate
     */
    public synchronized void update(int row, long step, double loss, double stepsPerSecond) {
        lines[row] = format(row, step, loss, stepsPerSecond);
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastRedraw >= REDRAW_NANOS || step >= totals[row]) {
                redraw();
                lastRedraw = now;
            }
        } else {
            long tenth = totals[row] == 0 ? 10 : step * 10 / totals[row];
            if (tenth > lastPlainTenth[row]) {
                lastPlainTenth[row] = tenth;
                out.println(lines[row]);
                out.flush();
            }
        }
    }

    /** Draws the final state of every row and leaves the cursor below them. */
    public synchronized void finish() {
        if (terminal) {
            redraw();
        }
        out.flush();
    }

    private void redraw() {
        StringBuilder text = new StringBuilder();
        if (drawn) {
            text.append("\033[").append(lines.length).append('A');
        }
        for (String line : lines) {
            text.append('\r').append(line).append("\033[K\n");
        }
        out.print(text);
        out.flush();
        drawn = true;
    }

    private String format(int row, long step, double loss, double stepsPerSecond) {
        long total = totals[row];
        double fraction = total == 0 ? 1 : Math.min(1, (double) step / total);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        String bar = terminal
                ? "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] "
                : "";
        String eta = stepsPerSecond > 0 && step < total ? clock((total - step) / stepsPerSecond) : step >= total ? "done" : "--";
        // Java's Formatter has no '*' width: the count's width (that of the total) goes into the pattern.
        String pattern = "%-6s %s%" + Long.toString(total).length() + "d/%d  loss %-9s %7.1f steps/s  %s %s";
        return String.format(Locale.ROOT, pattern, names[row], bar, step, total,
                Double.isNaN(loss) ? "--" : String.format(Locale.ROOT, "%.4f", loss), stepsPerSecond,
                step >= total ? "elapsed" : "ETA", step >= total ? clock((System.nanoTime() - start) / 1e9) : eta);
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
