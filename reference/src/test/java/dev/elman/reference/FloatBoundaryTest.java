package dev.elman.reference;

import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Workspace;
import dev.elman.testing.Activations;
import dev.elman.testing.Trials;
import dev.elman.testing.Uniform;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The float API of {@link ReferenceKernels} is the double core with one rounding at the boundary:
 * offsets, null arguments, overwriting and accumulating all behave as the contract says.
 */
class FloatBoundaryTest {
    private final ReferenceKernels kernels = new ReferenceKernels();

    static LongStream boundarySeeds() {
        return Trials.seeds("float-boundary", 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("boundarySeeds")
    void floatPassesAreTheDoubleCoreRoundedOnce(long seed) {
        Random random = new Random(seed);
        Activation activation = Activations.random(random);
        float clip = Activations.clip(random);
        int steps = 1 + random.nextInt(5);
        int batch = 1 + random.nextInt(3);
        int inputSize = 1 + random.nextInt(6);
        int hiddenSize = 1 + random.nextInt(6);
        boolean reverse = random.nextBoolean();
        boolean bias = random.nextBoolean();
        boolean withH0 = random.nextBoolean();
        boolean withDh = random.nextBoolean();
        boolean withDhLast = random.nextBoolean();
        boolean withLengths = random.nextBoolean();
        int offset = random.nextInt(5);
        int xCount = steps * batch * inputSize;
        int hCount = steps * batch * hiddenSize;
        int stateCount = batch * hiddenSize;
        float[] wx = Uniform.floats(random, hiddenSize * inputSize, 1 / Math.sqrt(inputSize));
        float[] wh = Uniform.floats(random, hiddenSize * hiddenSize, 1 / Math.sqrt(hiddenSize));
        float[] b = bias ? Uniform.floats(random, hiddenSize, 0.5) : null;
        float[] x = Uniform.floats(random, offset + xCount, 1);
        float[] h0 = withH0 ? Uniform.floats(random, stateCount, 1) : null;
        float[] dh = withDh ? Uniform.floats(random, offset + hCount, 1) : null;
        float[] dhLast = withDhLast ? Uniform.floats(random, stateCount, 1) : null;
        int[] lengths = null;
        if (withLengths) {
            lengths = new int[batch];
            for (int n = 0; n < batch; n++) {
                lengths[n] = random.nextInt(steps + 1);
            }
        }

        RecurrentWeights weights = kernels.newRecurrentWeights(inputSize, hiddenSize, activation, clip, bias);
        weights.load(wx, wh, b);
        Workspace workspace = kernels.newWorkspace(inputSize, hiddenSize, steps, batch);
        float[] h = new float[offset + hCount];
        kernels.forward(weights, workspace, steps, batch, reverse, x, offset, h0, h, offset, lengths);

        double[] h64 = new double[hCount];
        ReferenceRecurrence.forward(activation, clip, inputSize, hiddenSize, widen(wx, 0, wx.length),
                widen(wh, 0, wh.length), b == null ? null : widen(b, 0, hiddenSize), steps, batch, reverse,
                widen(x, offset, xCount), h0 == null ? null : widen(h0, 0, stateCount), h64, lengths);
        for (int i = 0; i < hCount; i++) {
            assertEquals((float) h64[i], h[offset + i], "h[" + i + "]");
        }

        RecurrentGradients gradients = RecurrentGradients.of(weights);
        float[] startWx = Uniform.floats(random, wx.length, 1);
        System.arraycopy(startWx, 0, gradients.dWx(), 0, wx.length);
        float[] dx = Uniform.floats(random, offset + xCount, 1); // overwritten, so garbage beforehand
        float[] dh0 = Uniform.floats(random, stateCount, 1);
        kernels.backward(weights, workspace, steps, batch, reverse, x, offset, h0, h, offset, lengths,
                dh, offset, dhLast, gradients, dx, offset, dh0);

        double[] dWx = new double[wx.length];
        double[] dWh = new double[wh.length];
        double[] db = bias ? new double[hiddenSize] : null;
        double[] dx64 = new double[xCount];
        double[] carry = dhLast == null ? new double[stateCount] : widen(dhLast, 0, stateCount);
        // The float pass compares h with the clipped outputs rounded to float, as the contract says.
        ReferenceRecurrence.backward(activation, weights.clippedLow(), weights.clippedHigh(), inputSize, hiddenSize,
                widen(wx, 0, wx.length),
                widen(wh, 0, wh.length), steps, batch, reverse, widen(x, offset, xCount),
                h0 == null ? null : widen(h0, 0, stateCount), widen(h, offset, hCount), lengths,
                dh == null ? null : widen(dh, offset, hCount), carry, new double[stateCount], dWx, dWh, db, dx64);
        for (int i = 0; i < wx.length; i++) {
            assertEquals((float) (startWx[i] + dWx[i]), gradients.dWx()[i], "dWx[" + i + "] accumulates");
        }
        for (int i = 0; i < wh.length; i++) {
            assertEquals((float) dWh[i], gradients.dWh()[i], "dWh[" + i + "]");
        }
        if (bias) {
            for (int i = 0; i < hiddenSize; i++) {
                assertEquals((float) db[i], gradients.db()[i], "db[" + i + "]");
            }
        }
        for (int i = 0; i < xCount; i++) {
            assertEquals((float) dx64[i], dx[offset + i], "dx[" + i + "] is overwritten");
        }
        for (int i = 0; i < stateCount; i++) {
            assertEquals((float) carry[i], dh0[i], "dh0[" + i + "] is overwritten");
        }
    }

    static LongStream seeds() {
        return Trials.seeds("float-misc", 50);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void regionsOutsideTheSpanAreNeverWritten(long seed) {
        Random random = new Random(seed);
        int offset = 1 + random.nextInt(4);
        int steps = 3;
        int batch = 2;
        int size = 4;
        RecurrentWeights weights = kernels.newRecurrentWeights(size, size, Activation.TANH, true);
        weights.load(Uniform.floats(random, size * size, 0.5), Uniform.floats(random, size * size, 0.5),
                Uniform.floats(random, size, 0.5));
        Workspace workspace = kernels.newWorkspace(size, size, steps, batch);
        int count = steps * batch * size;
        float[] x = Uniform.floats(random, offset + count + offset, 1);
        float[] h = new float[offset + count + offset];
        java.util.Arrays.fill(h, 7f);
        kernels.forward(weights, workspace, steps, batch, false, x, offset, null, h, offset, null);
        float[] dx = new float[offset + count + offset];
        java.util.Arrays.fill(dx, 7f);
        kernels.backward(weights, workspace, steps, batch, false, x, offset, null, h, offset, null,
                Uniform.floats(random, count, 1), 0, null, RecurrentGradients.of(weights), dx, offset, null);
        for (int i = 0; i < offset; i++) {
            assertEquals(7f, h[i]);
            assertEquals(7f, h[h.length - 1 - i]);
            assertEquals(7f, dx[i]);
            assertEquals(7f, dx[dx.length - 1 - i]);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void loadSnapshotsTheWeights(long seed) {
        Random random = new Random(seed);
        RecurrentWeights weights = kernels.newRecurrentWeights(3, 3, Activation.TANH, false);
        float[] wx = Uniform.floats(random, 9, 1);
        float[] wh = Uniform.floats(random, 9, 1);
        weights.load(wx, wh, null);
        Workspace workspace = kernels.newWorkspace(3, 3, 2, 1);
        float[] x = Uniform.floats(random, 6, 1);
        float[] before = new float[6];
        kernels.forward(weights, workspace, 2, 1, false, x, 0, null, before, 0, null);
        wx[0] += 1f;
        wh[4] -= 1f;
        float[] after = new float[6];
        kernels.forward(weights, workspace, 2, 1, false, x, 0, null, after, 0, null);
        assertArrayEquals(before, after, 0f);
    }

    static double[] widen(float[] values, int offset, int count) {
        double[] wide = new double[count];
        for (int i = 0; i < count; i++) {
            wide[i] = values[offset + i];
        }
        return wide;
    }
}
