package dev.elman.cli.chart;

import dev.elman.engine.io.AtomicFileWriter;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One or more {@link LineChart} panels side by side, written as SVG (vector, for documents) and
 * PNG (raster, for anything else). Both come from the same layout. Files are replaced through
 * {@link AtomicFileWriter}, so a reader never sees half a chart.
 */
public final class Figure {
    private static final int PANEL_WIDTH = 560;
    private static final int PANEL_HEIGHT = 400;

    private final List<LineChart> panels;

    /**
     * @param panels the panels, left to right; at least one
     */
    public Figure(LineChart... panels) {
        if (panels.length == 0) {
            throw new IllegalArgumentException("a figure needs at least one panel");
        }
        this.panels = List.of(panels);
    }

    /** @return the figure as an SVG document */
    public String toSvg() {
        SvgCanvas canvas = new SvgCanvas(width(), PANEL_HEIGHT);
        draw(canvas);
        return canvas.finish();
    }

    /**
     * Writes {@code <base>.svg} and {@code <base>.png}.
     *
     * @param directory the folder, created if missing
     * @param baseName the file name without extension
     * @return the two paths, SVG first
     * @throws IOException when a file cannot be written
     */
    public List<Path> write(Path directory, String baseName) throws IOException {
        Files.createDirectories(directory);
        Path svg = directory.resolve(baseName + ".svg");
        Path png = directory.resolve(baseName + ".png");
        AtomicFileWriter.writeText(svg, toSvg());
        RasterCanvas canvas = new RasterCanvas(width(), PANEL_HEIGHT);
        draw(canvas);
        AtomicFileWriter.writeStream(png, out -> {
            if (!ImageIO.write(canvas.finish(), "png", out)) {
                throw new IOException("no PNG writer in this JVM");
            }
        });
        return List.of(svg, png);
    }

    private int width() {
        return PANEL_WIDTH * panels.size();
    }

    private void draw(Canvas canvas) {
        for (int p = 0; p < panels.size(); p++) {
            panels.get(p).draw(canvas, p * PANEL_WIDTH, 0, PANEL_WIDTH, PANEL_HEIGHT);
        }
    }
}
