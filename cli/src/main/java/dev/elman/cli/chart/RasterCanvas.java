package dev.elman.cli.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/** Draws onto an anti-aliased {@link BufferedImage} with Java 2D (headless). */
final class RasterCanvas implements Canvas {
    private final BufferedImage image;
    private final Graphics2D graphics;

    RasterCanvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        graphics = image.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        graphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, width, height);
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, int rgb, double width, boolean dashed) {
        graphics.setColor(new Color(rgb));
        graphics.setStroke(dashed
                ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f}, 0f)
                : new BasicStroke((float) width));
        graphics.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(double[] xs, double[] ys, int count, int rgb, double width) {
        if (count == 0) {
            return;
        }
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xs[0], ys[0]);
        for (int i = 1; i < count; i++) {
            path.lineTo(xs[i], ys[i]);
        }
        graphics.setColor(new Color(rgb));
        graphics.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        graphics.draw(path);
    }

    @Override
    public void rectangle(double x, double y, double width, double height, int strokeRgb, int fillRgb) {
        Rectangle2D.Double rectangle = new Rectangle2D.Double(x, y, width, height);
        graphics.setColor(new Color(fillRgb));
        graphics.fill(rectangle);
        graphics.setColor(new Color(strokeRgb));
        graphics.setStroke(new BasicStroke(1f));
        graphics.draw(rectangle);
    }

    @Override
    public void text(double x, double y, String text, double size, Anchor anchor, boolean bold, boolean vertical) {
        graphics.setColor(new Color(0x222222));
        graphics.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, (int) Math.round(size)));
        double width = graphics.getFontMetrics().stringWidth(text);
        double shift = switch (anchor) {
            case START -> 0;
            case MIDDLE -> -width / 2;
            case END -> -width;
        };
        if (vertical) {
            AffineTransform saved = graphics.getTransform();
            graphics.rotate(-Math.PI / 2, x, y);
            graphics.drawString(text, (float) (x + shift), (float) y);
            graphics.setTransform(saved);
        } else {
            graphics.drawString(text, (float) (x + shift), (float) y);
        }
    }

    BufferedImage finish() {
        graphics.dispose();
        return image;
    }
}
