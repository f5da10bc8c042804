package dev.elman.simd;

import dev.elman.kernels.Activation;
import dev.elman.kernels.WeightPrecision;
import dev.elman.testing.Activations;
import dev.elman.testing.Uniform;

import java.util.Arrays;
import java.util.Random;

/**
 * One random recurrent span with everything a forward and a backward call take, in float, placed
 * at random offsets inside larger arrays (the rest filled with a sentinel so that writes outside
 * a region are seen).
 *
 * <p>Shapes: T in 1 … 64, B in 1 … 9, I and H in 1 … 130, half of the sizes drawn from those
 * around multiples of the vector length (1, 7, 15, 16, 17, 31, 32, 33, 63, 65, 127, 129). Spans
 * whose work {@code T·B·H·(I+H)} exceeds {@value #LARGE_WORK} are shortened nine times in ten,
 * so large shapes stay a minority and the suite stays fast. Weight scale log-uniform in
 * 0.01 … 3 (linear to saturated tanh), over {@code √fan-in}. The activation is tanh, relu or
 * identity half the time and any kind ({@link Activations#random}) otherwise; the layer clips half
 * the time ({@link Activations#clip}).
 *
 * <p>{@link #atProductionShape} draws the larger batches and hidden sizes of training and the
 * benchmarks (B up to 48, H from 64), which reach register tiles the small shapes never do.
 *
 * <p>The reference's finite-difference checks draw their own small double-precision spans
 * ({@code dev.elman.reference.DoubleSpanCase}); values in both come from {@link Uniform}.
 */
final class SpanCase {
    static final int[] EDGE_SIZES = {1, 7, 15, 16, 17, 31, 32, 33, 63, 65, 127, 129};
    static final float SENTINEL = -12345.678f;
    private static final long LARGE_WORK = 1_000_000;
    /** Batches whose cuts ({@link TilePlan}) use every row tile, and the benchmarked 32. */
    private static final int[] PRODUCTION_BATCHES = {12, 13, 16, 18, 23, 24, 31, 32, 33, 36, 47, 48};
    /** Hidden sizes around whole column groups (64 floats with AVX-512) and the depth block of 128. */
    private static final int[] PRODUCTION_HIDDEN = {64, 65, 100, 127, 128, 129, 192, 196};

    final Activation activation;
    /** The layer's clip bound, 0 for none. */
    final float clip;
    /** What a clipped step writes, {@code (float) φ(∓clip)} (the contract's values); NaN without a clip. */
    final float clippedLow;
    final float clippedHigh;
    final int steps;
    final int batch;
    final int inputSize;
    final int hiddenSize;
    final boolean reverse;
    final double weightScale;
    /**
     * The weights the layer computes with: for a reduced {@link #precision}, {@link #wxLoaded} and
     * {@link #whLoaded} as {@link WeightPrecision#round} gives them (so the tolerance, which reads
     * these, is that of the computation actually done).
     */
    final float[] wx;
    final float[] wh;
    /** How the layer stores its weights; {@link WeightPrecision#F32} unless made by {@link #withPrecision}. */
    final WeightPrecision precision;
    /** The weights handed to {@code load}: {@link #wx}, {@link #wh} themselves for f32. */
    final float[] wxLoaded;
    final float[] whLoaded;
    final float[] b;        // null without bias
    final float[] x;
    final int xOffset;
    final float[] h0;       // null: zeros
    final int[] lengths;    // null: all T
    final int hOffset;
    final float[] dh;       // null: zeros
    final int dhOffset;
    final float[] dhLast;   // null: zeros
    final boolean wantDx;
    final int dxOffset;
    final boolean wantDh0;
    /** Initial contents of the gradient accumulators (backward adds to them). */
    final float[] dWx0;
    final float[] dWh0;
    final float[] db0;

    private SpanCase(long seed, boolean productionShape) {
        Random random = new Random(seed);
        // The activation and clip have a stream of their own, so the shape draws below do not
        // depend on how they are drawn.
        Random phi = new Random(seed * 0x2545F4914F6CDD1DL + 0x632BE59BD9B4E019L);
        activation = phi.nextBoolean() ? Activations.CLASSIC.get(phi.nextInt(3)) : Activations.random(phi);
        clip = Activations.clip(phi);
        clippedLow = clip > 0 ? (float) activation.apply(-clip) : Float.NaN;
        clippedHigh = clip > 0 ? (float) activation.apply(clip) : Float.NaN;
        int t;
        if (productionShape) {
            // Few steps: which tiles and epilogues a shape reaches does not depend on T, and the
            // reference's cost grows with it.
            t = 2 + random.nextInt(2);
            batch = random.nextBoolean() ? PRODUCTION_BATCHES[random.nextInt(PRODUCTION_BATCHES.length)]
                    : 10 + random.nextInt(39);
            // The input size only sets the projection's depth, whose tiles small shapes reach.
            inputSize = 1 + random.nextInt(40);
            hiddenSize = random.nextBoolean() ? PRODUCTION_HIDDEN[random.nextInt(PRODUCTION_HIDDEN.length)]
                    : 64 + random.nextInt(133);
        } else {
            t = 1 + random.nextInt(64);
            batch = 1 + random.nextInt(9);
            inputSize = size(random);
            hiddenSize = size(random);
            long perStep = (long) batch * hiddenSize * (inputSize + hiddenSize);
            if ((long) t * perStep > LARGE_WORK && random.nextInt(10) != 0) {
                t = (int) Math.max(1, Math.min(t, LARGE_WORK / perStep));
            }
        }
        steps = t;
        reverse = random.nextBoolean();
        weightScale = 0.01 * Math.pow(300.0, random.nextDouble());
        wx = Uniform.floats(random, hiddenSize * inputSize, weightScale / Math.sqrt(inputSize));
        wh = Uniform.floats(random, hiddenSize * hiddenSize, weightScale / Math.sqrt(hiddenSize));
        precision = WeightPrecision.F32;
        wxLoaded = wx;
        whLoaded = wh;
        b = random.nextInt(4) == 0 ? null : Uniform.floats(random, hiddenSize, 0.5);
        int xCount = steps * batch * inputSize;
        int hCount = steps * batch * hiddenSize;
        int stateCount = batch * hiddenSize;
        xOffset = random.nextInt(20);
        x = embed(random, Uniform.floats(random, xCount, 1.0), xOffset);
        h0 = random.nextBoolean() ? Uniform.floats(random, stateCount, 0.9) : null;
        if (random.nextInt(3) == 0) {
            lengths = new int[batch];
            for (int n = 0; n < batch; n++) {
                lengths[n] = random.nextInt(4) == 0 ? steps : random.nextInt(steps + 1);
            }
        } else {
            lengths = null;
        }
        hOffset = random.nextInt(20);
        dhOffset = random.nextInt(20);
        dh = random.nextInt(5) == 0 ? null : embed(random, Uniform.floats(random, hCount, 1.0), dhOffset);
        dhLast = random.nextBoolean() ? Uniform.floats(random, stateCount, 1.0) : null;
        wantDx = random.nextInt(4) != 0;
        dxOffset = random.nextInt(20);
        wantDh0 = random.nextInt(4) != 0;
        dWx0 = Uniform.floats(random, wx.length, 1.0);
        dWh0 = Uniform.floats(random, wh.length, 1.0);
        db0 = b == null ? null : Uniform.floats(random, hiddenSize, 1.0);
    }

    /** A copy with other weights and precision; every other field is shared (none is written). */
    private SpanCase(SpanCase other, WeightPrecision precision, float[] wxLoaded, float[] whLoaded, float[] wx,
                     float[] wh) {
        activation = other.activation;
        clip = other.clip;
        clippedLow = other.clippedLow;
        clippedHigh = other.clippedHigh;
        steps = other.steps;
        batch = other.batch;
        inputSize = other.inputSize;
        hiddenSize = other.hiddenSize;
        reverse = other.reverse;
        weightScale = other.weightScale;
        this.precision = precision;
        this.wxLoaded = wxLoaded;
        this.whLoaded = whLoaded;
        this.wx = wx;
        this.wh = wh;
        b = other.b;
        x = other.x;
        xOffset = other.xOffset;
        h0 = other.h0;
        lengths = other.lengths;
        hOffset = other.hOffset;
        dh = other.dh;
        dhOffset = other.dhOffset;
        dhLast = other.dhLast;
        wantDx = other.wantDx;
        dxOffset = other.dxOffset;
        wantDh0 = other.wantDh0;
        dWx0 = other.dWx0;
        dWh0 = other.dWh0;
        db0 = other.db0;
    }

    /**
     * This span with its weights stored in {@code precision}: the same weights are loaded, and the
     * layer computes with their rounding.
     */
    SpanCase withPrecision(WeightPrecision precision) {
        float[] roundedWx = new float[wxLoaded.length];
        float[] roundedWh = new float[whLoaded.length];
        precision.round(wxLoaded, hiddenSize, inputSize, roundedWx);
        precision.round(whLoaded, hiddenSize, hiddenSize, roundedWh);
        return new SpanCase(this, precision, wxLoaded, whLoaded, roundedWx, roundedWh);
    }

    /** This span as an f32 layer loaded with the weights this one computes with (its rounded ones). */
    SpanCase onRoundedWeights() {
        return new SpanCase(this, WeightPrecision.F32, wx, wh, wx, wh);
    }

    static SpanCase random(long seed) {
        return new SpanCase(seed, false);
    }

    /**
     * A span at the shapes the benchmarks and training run, which {@link #random} does not reach:
     * B from 10 to 48 (the benchmarked 32 and batches whose cuts use each row tile often), H
     * from 64 to 196 (whole column groups of 4 vectors and more, and the sizes around the depth
     * block of 128), T 2 or 3, I up to 40 (the step's tiles do not depend on them, the reference's
     * cost does); everything else as in {@link #random}.
     *
     * <p>Kernel paths: from B = 12 the recurrent step, its backward and the input projection run
     * in the 6-row register tile, with φ (forward) or φ′ (backward) fused over each tile; the rows
     * left over go through the 5-row tiles, and the 4-row tiles where {@link TilePlan} needs them
     * (13 rows: 5 + 4 + 4); H above 128 cuts the step's depth into
     * blocks, so the epilogue runs after the last block only; H not a multiple of 64 adds the
     * 1-vector tail tiles, masked where H is not a multiple of the vector length. The tests name
     * the tiles each case ran ({@link TileCensus}).
     */
    static SpanCase atProductionShape(long seed) {
        return new SpanCase(seed, true);
    }

    /** Half the time a size around a multiple of the vector length, else uniform in 1 … 130. */
    static int size(Random random) {
        return random.nextBoolean() ? EDGE_SIZES[random.nextInt(EDGE_SIZES.length)] : 1 + random.nextInt(130);
    }

    /** {@code values} at {@code offset} in an array with a few sentinels before and after. */
    static float[] embed(Random random, float[] values, int offset) {
        float[] array = new float[offset + values.length + random.nextInt(20)];
        Arrays.fill(array, SENTINEL);
        System.arraycopy(values, 0, array, offset, values.length);
        return array;
    }

    /** An output array for {@code count} floats at {@code offset}, every element a sentinel. */
    static float[] output(int offset, int count, int slack) {
        float[] array = new float[offset + count + slack];
        Arrays.fill(array, SENTINEL);
        return array;
    }

    int xCount() {
        return steps * batch * inputSize;
    }

    int hCount() {
        return steps * batch * hiddenSize;
    }

    int stateCount() {
        return batch * hiddenSize;
    }

    /** Reads element {@code (t, n, i)} of a time-major array of width {@code width} at {@code offset}. */
    float at(float[] array, int offset, int t, int n, int i, int width) {
        return array[offset + (t * batch + n) * width + i];
    }

    boolean padding(int t, int n) {
        return lengths != null && t >= lengths[n];
    }

    /** @return whether an output is one the contract marks as clipped */
    boolean clipped(double h) {
        return h == clippedLow || h == clippedHigh;
    }

    @Override
    public String toString() {
        return (precision == WeightPrecision.F32 ? "" : precision.label() + " ") + activation
                + (clip > 0 ? " clip=" + clip : "") + " T=" + steps + " B=" + batch + " I=" + inputSize + " H=" + hiddenSize
                + (reverse ? " reverse" : " forward") + String.format(" scale=%.3g", weightScale)
                + (b == null ? " no-bias" : " bias") + (h0 != null ? " h0" : "") + (dh != null ? " dh" : "")
                + (dhLast != null ? " dhLast" : "") + (wantDx ? " dx" : "") + (wantDh0 ? " dh0" : "")
                + (lengths != null ? " lengths=" + Arrays.toString(lengths) : "");
    }
}
