package dev.elman.cli.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FigureTest {
    @TempDir
    Path folder;

    @Test
    void writesMatchingSvgAndPng() throws IOException {
        LineChart loss = new LineChart("Loss", "step", "MSE", false)
                .add("tanh", new double[] {0, 1, 2, 3}, new double[] {0.2, 0.18, 0.17, 0.169})
                .add("irnn", new double[] {0, 1, 2, 3}, new double[] {0.2, 0.1, 0.05, Double.NaN});
        LineChart decay = new LineChart("Gradient decay", "lag k", "‖∂h_t/∂h_{t−k}‖", true)
                .add("tanh", new double[] {1, 2, 3}, new double[] {0.5, 0.25, 0.0})
                .add("irnn", new double[] {1, 2, 3}, new double[] {1, 1.1, 1.2});
        List<Path> files = new Figure(loss, decay).write(folder, "demo");
        if (System.getProperty("elman.chart.keep") != null) {
            Files.copy(files.get(1), Path.of(System.getProperty("elman.chart.keep")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        String svg = Files.readString(files.get(0));
        assertTrue(svg.startsWith("<svg") && svg.contains(">tanh</text>") && svg.contains(">irnn</text>")
                && svg.contains("Gradient decay") && svg.contains("<polyline"), svg);
        assertTrue(svg.contains(">1e-1</text>"), "log axis has decade labels");
        BufferedImage png = ImageIO.read(files.get(1).toFile());
        assertEquals(1120, png.getWidth());
        assertEquals(400, png.getHeight());
        int ink = countInk(png);
        assertTrue(ink > 2000, "the PNG has lines and text, got " + ink + " non-white pixels");
        try (var names = Files.list(folder)) {
            assertEquals(2, names.count(), "no temporary files are left behind");
        }
    }

    /** Every series of a panel as full as the benchmark report's peers panels has a colour of its own. */
    @Test
    void twelveSeriesHaveTwelveColours() {
        LineChart panel = new LineChart("peers", "H", "GFLOP/s", false);
        for (int s = 0; s < 12; s++) {
            panel.add("series " + s, new double[] {0, 1}, new double[] {s, s + 1});
        }
        String svg = new Figure(panel).toSvg();
        Set<String> strokes = new HashSet<>();
        Matcher matcher = Pattern.compile("<polyline fill=\"none\" stroke=\"(#[0-9a-f]{6})\"").matcher(svg);
        while (matcher.find()) {
            strokes.add(matcher.group(1));
        }
        assertEquals(12, strokes.size(), "distinct line colours in " + svg);
        assertTrue(LineChart.DISTINCT_COLOURS >= 12);
    }

    @Test
    void rejectsMismatchedSeries() {
        assertThrows(IllegalArgumentException.class,
                () -> new LineChart("t", "x", "y", false).add("bad", new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class, Figure::new);
    }

    private static int countInk(BufferedImage image) {
        int ink = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    ink++;
                }
            }
        }
        return ink;
    }
}
