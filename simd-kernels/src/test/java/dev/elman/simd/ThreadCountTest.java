package dev.elman.simd;

import dev.elman.kernels.Activation;
import dev.elman.kernels.HeadGradients;
import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Team;
import dev.elman.kernels.WeightPrecision;
import dev.elman.kernels.Workspace;
import dev.elman.testing.Activations;
import dev.elman.testing.Trials;
import dev.elman.testing.Uniform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Property: a forward and a backward pass shared with 2, 3 or 4 threads give the one-thread result
 * bit for bit: every state, {@code dWx}, {@code dWh}, {@code db}, {@code dx} and {@code dh0}, on
 * shapes that reach the batch split (B ≥ 8) and the row split (small B, H ≥ 256), with padding,
 * both directions, carried-in state, hidden sizes around the column blocks and odd group counts.
 */
class ThreadCountTest {
    private static final RecurrentKernels SIMD = new VectorKernels();
    private static final int[] HIDDEN = {1, 17, 63, 64, 65, 100, 128, 129, 200, 256, 257, 300, 320, 384, 448, 512,
            513, 576, 640};

    record Shape(long seed, int steps, int batch, int inputSize, int hiddenSize, Activation activation, float clip,
                 boolean reverse, boolean bias, boolean padded, boolean withH0) {
        @Override
        public String toString() {
            return activation + (clip > 0 ? " clip=" + clip : "") + " T=" + steps + " B=" + batch + " I=" + inputSize + " H=" + hiddenSize
                    + (reverse ? " reverse" : " forward") + (bias ? " bias" : "") + (padded ? " lengths" : "")
                    + (withH0 ? " h0" : "") + " split(2)="
                    + SpanSplit.choose(2, steps, batch, inputSize, hiddenSize);
        }
    }

    static Stream<Shape> shapes() {
        return Trials.seeds("thread count", Trials.tries(60)).mapToObj(seed -> {
            Random random = new Random(seed);
            // The activation and clip have a stream of their own, apart from the shape draws.
            Random phi = new Random(seed * 0x2545F4914F6CDD1DL + 0x632BE59BD9B4E019L);
            Activation activation = phi.nextBoolean() ? Activations.CLASSIC.get(phi.nextInt(3)) : Activations.random(phi);
            float clip = Activations.clip(phi);
            int hidden = HIDDEN[random.nextInt(HIDDEN.length)];
            int batch = random.nextBoolean() ? 1 + random.nextInt(7) : 8 + random.nextInt(33);
            int input = 1 + random.nextInt(130);
            // One step a quarter of the time: a streaming step's span, whose projection is shared by hidden units.
            int steps = random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(12);
            return new Shape(seed, steps, batch, input, hidden, activation, clip, random.nextBoolean(),
                    random.nextInt(4) != 0, random.nextInt(3) == 0, random.nextBoolean());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void everyThreadCountGivesTheOneThreadResult(Shape shape) {
        Result one = run(shape, Team.SOLO);
        for (int threads = 2; threads <= 4; threads++) {
            Result many = run(shape, new ThreadTeamForTests(threads));
            String at = shape + ", " + threads + " threads: ";
            assertArrayEquals(one.h, many.h, at + "h");
            assertArrayEquals(one.dWx, many.dWx, at + "dWx");
            assertArrayEquals(one.dWh, many.dWh, at + "dWh");
            assertArrayEquals(one.db, many.db, at + "db");
            assertArrayEquals(one.dx, many.dx, at + "dx");
            assertArrayEquals(one.dh0, many.dh0, at + "dh0");
        }
    }

    /** The shapes above reach every split: the property is not vacuous. */
    @Test
    void theShapesReachEverySplit() {
        long batch = shapes().filter(s -> SpanSplit.choose(2, s.steps, s.batch, s.inputSize, s.hiddenSize)
                == SpanSplit.BATCH).count();
        long rows = shapes().filter(s -> SpanSplit.choose(2, s.steps, s.batch, s.inputSize, s.hiddenSize)
                == SpanSplit.ROWS).count();
        // Spans of fewer rows (T·B) than two participants' 6-row tiles share their input projection
        // by hidden units instead of by rows (a streaming step has one row).
        long fewRows = shapes().filter(s -> SpanSplit.choose(2, s.steps, s.batch, s.inputSize, s.hiddenSize)
                != SpanSplit.NONE && s.steps * s.batch < 2 * RegisterTiles.WIDE_ROWS).count();
        assertEquals(true, batch >= 5, "batch splits: " + batch);
        assertEquals(true, rows >= 5, "row splits: " + rows);
        assertEquals(true, fewRows + streamingSteps().count() >= 5,
                "splits whose projection is shared by hidden units: " + fewRows + " + " + streamingSteps().count());
    }

    /**
     * Streaming steps (T = 1) and other spans of few rows at sizes the row and batch splits take:
     * their input projection is shared by hidden units, not by rows.
     */
    static Stream<Shape> streamingSteps() {
        Activation tanh = Activations.CLASSIC.get(0);
        return Stream.of(
                new Shape(1, 1, 1, 1024, 1024, tanh, 0, false, true, false, true),
                new Shape(2, 1, 1, 300, 640, tanh, 0, true, true, false, true),
                new Shape(3, 1, 1, 513, 513, Activations.CLASSIC.get(1), 0, false, false, false, false),
                new Shape(4, 2, 3, 700, 576, tanh, 0, false, true, true, true),
                new Shape(5, 1, 9, 1100, 600, tanh, 0, false, true, false, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamingSteps")
    void streamingStepsGiveTheOneThreadResult(Shape shape) {
        assertEquals(true, SpanSplit.choose(2, shape.steps, shape.batch, shape.inputSize, shape.hiddenSize)
                != SpanSplit.NONE, shape + " is split");
        everyThreadCountGivesTheOneThreadResult(shape);
    }

    /**
     * A span longer than a forward block ({@link VectorKernels#FORWARD_BLOCK_BYTES} of states) is
     * computed block by block; it equals the same steps taken one call at a time, bit for bit,
     * forward and reverse, alone and with 2 threads (both splits).
     */
    @ParameterizedTest(name = "B={0} H={1} reverse={2} threads={3}")
    @org.junit.jupiter.params.provider.CsvSource({"32,512,false,1", "32,512,true,2", "3,1024,false,2", "40,384,true,1"})
    void longSpansInBlocksEqualOneStepAtATime(int batch, int hidden, boolean reverse, int threads) {
        int input = 24;
        int stateCount = batch * hidden;
        int steps = (int) (3 * VectorKernels.FORWARD_BLOCK_BYTES / (4L * stateCount)) + 5;
        assertEquals(true, VectorKernels.blockSteps(steps, batch, hidden) < steps, "the span is blocked");
        Random random = new Random(batch * 31L + hidden);
        RecurrentWeights weights = SIMD.newRecurrentWeights(input, hidden, Activation.TANH, true);
        weights.load(Uniform.floats(random, hidden * input, 1.0 / Math.sqrt(input)),
                Uniform.floats(random, hidden * hidden, 1.0 / Math.sqrt(hidden)), Uniform.floats(random, hidden, 0.5));
        float[] x = Uniform.floats(random, steps * batch * input, 1.0);
        float[] h0 = Uniform.floats(random, stateCount, 0.9);
        Team team = threads == 1 ? Team.SOLO : new ThreadTeamForTests(threads);
        float[] whole = new float[steps * stateCount];
        SIMD.forward(weights, SIMD.newWorkspace(input, hidden, steps, batch, team), steps, batch, reverse, x, 0, h0,
                whole, 0, null);
        float[] stepped = new float[steps * stateCount];
        Workspace one = SIMD.newWorkspace(input, hidden, 1, batch);
        float[] state = h0.clone();
        float[] xStep = new float[batch * input];
        float[] hStep = new float[stateCount];
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            System.arraycopy(x, t * batch * input, xStep, 0, xStep.length);
            SIMD.forward(weights, one, 1, batch, false, xStep, 0, state, hStep, 0, null);
            System.arraycopy(hStep, 0, stepped, t * stateCount, stateCount);
            System.arraycopy(hStep, 0, state, 0, stateCount);
        }
        assertArrayEquals(stepped, whole);
    }

    record HeadShape(long seed, int rows, int inputSize, int outputSize, boolean bias, boolean wantDh) {
        @Override
        public String toString() {
            return "rows=" + rows + " F=" + inputSize + " O=" + outputSize + (bias ? " bias" : "") + (wantDh ? " dh" : "")
                    + " shared(2)=" + HeadPass.shares(2, rows, inputSize, outputSize);
        }
    }

    static Stream<HeadShape> headShapes() {
        return Trials.seeds("head thread count", Trials.tries(40)).mapToObj(seed -> {
            Random random = new Random(seed);
            int rows = random.nextBoolean() ? 1 + random.nextInt(30) : 12 + random.nextInt(600);
            int inputSize = HIDDEN[random.nextInt(HIDDEN.length)];
            int outputSize = random.nextBoolean() ? 1 + random.nextInt(20) : 60 + random.nextInt(200);
            return new HeadShape(seed, rows, inputSize, outputSize, random.nextInt(4) != 0, random.nextInt(4) != 0);
        });
    }

    /**
     * The head's forward and backward shared with 2, 3 or 4 threads (rows of Y and dH, output
     * units of dWy, column blocks of dby) give the one-thread values bit for bit.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("headShapes")
    void theHeadGivesTheOneThreadResult(HeadShape shape) {
        float[][] one = head(shape, Team.SOLO);
        for (int threads = 2; threads <= 4; threads++) {
            float[][] many = head(shape, new ThreadTeamForTests(threads));
            String at = shape + ", " + threads + " threads: ";
            assertArrayEquals(one[0], many[0], at + "y");
            assertArrayEquals(one[1], many[1], at + "dWy");
            assertArrayEquals(one[2], many[2], at + "dby");
            assertArrayEquals(one[3], many[3], at + "dh");
        }
    }

    @Test
    void theHeadShapesReachTheSharedPass() {
        long shared = headShapes().filter(s -> HeadPass.shares(2, s.rows, s.inputSize, s.outputSize)).count();
        assertEquals(true, shared >= 5, "shared head passes: " + shared);
    }

    private static float[][] head(HeadShape s, Team team) {
        Random random = new Random(s.seed ^ 0x2545F4914F6CDD1DL);
        HeadWeights weights = SIMD.newHeadWeights(s.inputSize, s.outputSize, s.bias);
        weights.load(Uniform.floats(random, s.outputSize * s.inputSize, 1.0 / Math.sqrt(s.inputSize)),
                s.bias ? Uniform.floats(random, s.outputSize, 0.5) : null);
        float[] h = Uniform.floats(random, s.rows * s.inputSize, 1.0);
        float[] dy = Uniform.floats(random, s.rows * s.outputSize, 1.0);
        Workspace workspace = SIMD.newWorkspace(1, 1, 1, 1, team);
        float[] y = new float[s.rows * s.outputSize];
        SIMD.headForward(weights, workspace, s.rows, h, 0, y, 0);
        HeadGradients gradients = HeadGradients.of(weights);
        float[] dh = s.wantDh ? new float[h.length] : null;
        SIMD.headBackward(weights, workspace, s.rows, h, 0, dy, 0, gradients, dh, 0);
        return new float[][] {y, gradients.dW().clone(), s.bias ? gradients.db().clone() : new float[0],
            dh == null ? new float[0] : dh};
    }

    /** Shapes of both splits and streaming steps, for the reduced precisions' forward passes. */
    static Stream<Shape> reducedShapes() {
        return Stream.concat(shapes().limit(Math.max(1, Trials.tries(60) / 2)), streamingSteps());
    }

    /**
     * Forward passes over bf16 and int8 weights shared with 2, 3 or 4 threads give the one-thread
     * states bit for bit: the split passes' reduced products (widened blocks per participant,
     * single rows and column shares in registers) keep each element's one chain.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("reducedShapes")
    void reducedPrecisionForwardGivesTheOneThreadResult(Shape shape) {
        for (WeightPrecision precision : new WeightPrecision[] {WeightPrecision.BF16, WeightPrecision.INT8}) {
            float[] one = forward(shape, Team.SOLO, precision);
            for (int threads = 2; threads <= 4; threads++) {
                assertArrayEquals(one, forward(shape, new ThreadTeamForTests(threads), precision),
                        shape + ", " + precision.label() + ", " + threads + " threads: h");
            }
        }
    }

    private static float[] forward(Shape s, Team team, WeightPrecision precision) {
        Random random = new Random(s.seed ^ 0x5DEECE66DL);
        int stateCount = s.batch * s.hiddenSize;
        RecurrentWeights weights = SIMD.newRecurrentWeights(s.inputSize, s.hiddenSize, s.activation, s.clip, s.bias,
                precision);
        weights.load(Uniform.floats(random, s.hiddenSize * s.inputSize, 1.0 / Math.sqrt(s.inputSize)),
                Uniform.floats(random, s.hiddenSize * s.hiddenSize, 1.2 / Math.sqrt(s.hiddenSize)),
                s.bias ? Uniform.floats(random, s.hiddenSize, 0.5) : null);
        float[] x = Uniform.floats(random, s.steps * s.batch * s.inputSize, 1.0);
        float[] h0 = s.withH0 ? Uniform.floats(random, stateCount, 0.9) : null;
        int[] lengths = null;
        if (s.padded) {
            lengths = new int[s.batch];
            for (int n = 0; n < s.batch; n++) {
                lengths[n] = random.nextInt(s.steps + 1);
            }
        }
        float[] h = new float[s.steps * stateCount];
        SIMD.forward(weights, SIMD.newWorkspace(s.inputSize, s.hiddenSize, s.steps, s.batch, team), s.steps, s.batch,
                s.reverse, x, 0, h0, h, 0, lengths);
        return h;
    }

    private record Result(float[] h, float[] dWx, float[] dWh, float[] db, float[] dx, float[] dh0) {
    }

    private static Result run(Shape s, Team team) {
        Random random = new Random(s.seed ^ 0x5DEECE66DL);
        int stateCount = s.batch * s.hiddenSize;
        RecurrentWeights weights = SIMD.newRecurrentWeights(s.inputSize, s.hiddenSize, s.activation, s.clip, s.bias);
        float[] wx = Uniform.floats(random, s.hiddenSize * s.inputSize, 1.0 / Math.sqrt(s.inputSize));
        float[] wh = Uniform.floats(random, s.hiddenSize * s.hiddenSize, 1.2 / Math.sqrt(s.hiddenSize));
        float[] b = s.bias ? Uniform.floats(random, s.hiddenSize, 0.5) : null;
        weights.load(wx, wh, b);
        float[] x = Uniform.floats(random, s.steps * s.batch * s.inputSize, 1.0);
        float[] h0 = s.withH0 ? Uniform.floats(random, stateCount, 0.9) : null;
        int[] lengths = null;
        if (s.padded) {
            lengths = new int[s.batch];
            for (int n = 0; n < s.batch; n++) {
                lengths[n] = random.nextInt(s.steps + 1);
            }
        }
        float[] dh = Uniform.floats(random, s.steps * stateCount, 1.0);
        float[] dhLast = random.nextBoolean() ? Uniform.floats(random, stateCount, 1.0) : null;
        Workspace workspace = SIMD.newWorkspace(s.inputSize, s.hiddenSize, s.steps, s.batch, team);
        float[] h = new float[s.steps * stateCount];
        SIMD.forward(weights, workspace, s.steps, s.batch, s.reverse, x, 0, h0, h, 0, lengths);
        RecurrentGradients gradients = new RecurrentGradients(s.inputSize, s.hiddenSize, s.bias);
        float[] dx = new float[x.length];
        float[] dh0 = new float[stateCount];
        SIMD.backward(weights, workspace, s.steps, s.batch, s.reverse, x, 0, h0, h, 0, lengths, dh, 0, dhLast,
                gradients, dx, 0, dh0);
        return new Result(h, gradients.dWx().clone(), gradients.dWh().clone(),
                s.bias ? gradients.db().clone() : new float[0], dx, dh0);
    }
}
