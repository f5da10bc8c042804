package dev.elman.reference;

import dev.elman.kernels.Activation;
import dev.elman.testing.Uniform;

import java.util.Random;

/**
 * One random recurrent span in double precision, with the loss the gradient tests differentiate:
 * {@code L = Σ_t G_t·h_t + C·h_final}, so that {@code dL/dh_t = G_t} from above and
 * {@code dL/dh_final = C} arrives as the carried-in gradient.
 *
 * <p>Not the SIMD tests' {@code dev.elman.simd.SpanCase}, on purpose: finite differences want
 * small shapes (T ≤ 6, B ≤ 3, I and H ≤ 7), exact double values perturbed in place and the
 * package-private double core ({@link ReferenceRecurrence}); the SIMD comparison wants float
 * arrays at random offsets among sentinels and shapes around the vector width. What both draw
 * the same way, the values, comes from {@link Uniform}.
 */
final class DoubleSpanCase {
    final Activation activation;
    /** The bound of the pre-activation, or 0 for none. */
    final double clip;
    final int steps;
    final int batch;
    final int inputSize;
    final int hiddenSize;
    final boolean reverse;
    final double[] wx;
    final double[] wh;
    final double[] b;          // null without bias
    final double[] x;
    final double[] h0;         // always materialised; passed as null when !withH0
    final boolean withH0;
    final double[] above;      // G, or null
    final double[] carriedIn;  // C, or null
    final int[] lengths;       // or null

    DoubleSpanCase(Activation activation, double clip, int steps, int batch, int inputSize, int hiddenSize,
                   boolean reverse, boolean bias, boolean withH0, boolean withAbove, boolean withCarriedIn,
                   boolean withLengths, double weightScale, long seed) {
        Random random = new Random(seed);
        this.activation = activation;
        this.clip = clip;
        this.steps = steps;
        this.batch = batch;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.reverse = reverse;
        double wxScale = weightScale / Math.sqrt(inputSize);
        double whScale = weightScale / Math.sqrt(hiddenSize);
        this.wx = Uniform.doubles(random, hiddenSize * inputSize, wxScale);
        this.wh = Uniform.doubles(random, hiddenSize * hiddenSize, whScale);
        this.b = bias ? Uniform.doubles(random, hiddenSize, 0.5) : null;
        this.x = Uniform.doubles(random, steps * batch * inputSize, 1.0);
        this.withH0 = withH0;
        this.h0 = withH0 ? Uniform.doubles(random, batch * hiddenSize, 0.9) : new double[batch * hiddenSize];
        this.above = withAbove ? Uniform.doubles(random, steps * batch * hiddenSize, 1.0) : null;
        this.carriedIn = withCarriedIn ? Uniform.doubles(random, batch * hiddenSize, 1.0) : null;
        if (withLengths) {
            lengths = new int[batch];
            for (int n = 0; n < batch; n++) {
                lengths[n] = random.nextInt(steps + 1);
            }
        } else {
            lengths = null;
        }
    }

    /**
     * A case whose shape and options are drawn from {@code seed}: T ≤ 6, B ≤ 3, I and H ≤ 7 (1 one
     * time in five), every option on or off at random, weights scaled by 0.2 … 1.5 over √n.
     */
    static DoubleSpanCase random(Activation activation, boolean withAbove, long seed) {
        return random(activation, 0.0, withAbove, seed);
    }

    /** {@link #random(Activation, boolean, long)} with a clip (0 for none). */
    static DoubleSpanCase random(Activation activation, double clip, boolean withAbove, long seed) {
        Random random = new Random(seed);
        return new DoubleSpanCase(activation, clip, 1 + random.nextInt(6), 1 + random.nextInt(3), size(random),
                size(random), random.nextBoolean(), random.nextBoolean(), random.nextBoolean(), withAbove,
                !withAbove || random.nextBoolean(), random.nextBoolean(), 0.2 + 1.3 * random.nextDouble(),
                random.nextLong());
    }

    private static int size(Random random) {
        return random.nextInt(5) == 0 ? 1 : 1 + random.nextInt(7);
    }

    double[] forward() {
        double[] h = new double[steps * batch * hiddenSize];
        ReferenceRecurrence.forward(activation, clip, inputSize, hiddenSize, wx, wh, b, steps, batch, reverse, x,
                withH0 ? h0 : null, h, lengths);
        return h;
    }

    /** Forward with h0 always passed, so finite differences can perturb it even when it is zero. */
    double[] forwardForDifferences() {
        double[] h = new double[steps * batch * hiddenSize];
        ReferenceRecurrence.forward(activation, clip, inputSize, hiddenSize, wx, wh, b, steps, batch, reverse, x, h0,
                h, lengths);
        return h;
    }

    double loss(double[] h) {
        double loss = 0;
        if (above != null) {
            for (int i = 0; i < h.length; i++) {
                loss += above[i] * h[i];
            }
        }
        if (carriedIn != null) {
            int last = reverse ? 0 : steps - 1;
            int offset = last * batch * hiddenSize;
            for (int i = 0; i < batch * hiddenSize; i++) {
                loss += carriedIn[i] * h[offset + i];
            }
        }
        return loss;
    }

    /** The backward pass's outputs. */
    Gradients backward(double[] h) {
        Gradients g = new Gradients();
        g.dWx = new double[wx.length];
        g.dWh = new double[wh.length];
        g.db = b == null ? null : new double[b.length];
        g.dx = new double[x.length];
        g.dh0 = carriedIn == null ? new double[batch * hiddenSize] : carriedIn.clone();
        ReferenceRecurrence.backward(activation, clippedLow(), clippedHigh(), inputSize, hiddenSize, wx, wh, steps,
                batch, reverse, x,
                withH0 ? h0 : null, h, lengths, above, g.dh0, new double[batch * hiddenSize],
                g.dWx, g.dWh, g.db, g.dx);
        return g;
    }

    /** @return φ(−clip) in double, the output of a step clipped below (this double core is not rounded), or NaN */
    double clippedLow() {
        return clip > 0 ? activation.apply(-clip) : Double.NaN;
    }

    /** @return φ(clip) in double, or NaN without a clip */
    double clippedHigh() {
        return clip > 0 ? activation.apply(clip) : Double.NaN;
    }

    @Override
    public String toString() {
        return activation + (clip > 0 ? " clip=" + (float) clip : "") + " T=" + steps + " B=" + batch + " I=" + inputSize + " H=" + hiddenSize
                + (reverse ? " reverse" : " forward") + (b == null ? " no-bias" : " bias")
                + (withH0 ? " h0" : "") + (above != null ? " dh" : "") + (carriedIn != null ? " dhLast" : "")
                + (lengths != null ? " lengths=" + java.util.Arrays.toString(lengths) : "");
    }

    static final class Gradients {
        double[] dWx;
        double[] dWh;
        double[] db;
        double[] dx;
        double[] dh0;
    }
}
