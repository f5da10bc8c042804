package dev.elman.reference;

import dev.elman.kernels.Activation;
import dev.elman.testing.Activations;
import dev.elman.testing.Trials;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Carried-in state and carried-in gradient compose: a span cut in two, with the state handed
 * forward and the gradient handed back across the cut, is the same computation as the whole span.
 * In the double core both orders add the same terms in the same order, so equality is exact.
 */
class ChainedSpanTest {

    static LongStream seeds() {
        return Trials.seeds("chained", 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aSpanCutInTwoEqualsTheWholeSpan(long seed) {
        Random random = new Random(seed);
        Activation activation = Activations.random(random);
        double clip = Activations.clip(random);
        int firstSteps = 1 + random.nextInt(4);
        int secondSteps = 1 + random.nextInt(4);
        int batch = 1 + random.nextInt(3);
        int inputSize = 1 + random.nextInt(5);
        int hiddenSize = 1 + random.nextInt(5);
        boolean reverse = random.nextBoolean();
        boolean withLengths = random.nextBoolean();
        int steps = firstSteps + secondSteps;
        DoubleSpanCase whole = new DoubleSpanCase(activation, clip, steps, batch, inputSize, hiddenSize, reverse, true, true,
                true, true, withLengths, 1.0, random.nextLong());
        double[] h = whole.forward();
        DoubleSpanCase.Gradients expected = whole.backward(h);

        int stateCount = batch * hiddenSize;
        Part first = new Part(whole, 0, firstSteps);
        Part second = new Part(whole, firstSteps, secondSteps);
        Part walkedFirst = reverse ? second : first;
        Part walkedSecond = reverse ? first : second;

        walkedFirst.forward(whole, whole.h0);
        walkedSecond.forward(whole, walkedFirst.finalState(whole));
        double[] chained = new double[h.length];
        System.arraycopy(first.h, 0, chained, 0, first.h.length);
        System.arraycopy(second.h, 0, chained, first.h.length, second.h.length);
        assertArrayEquals(h, chained, 0.0, whole + ": forward");

        double[] dWx = new double[whole.wx.length];
        double[] dWh = new double[whole.wh.length];
        double[] db = new double[hiddenSize];
        double[] carry = whole.carriedIn.clone();
        walkedSecond.backward(whole, walkedFirst.finalState(whole), carry, dWx, dWh, db);
        walkedFirst.backward(whole, whole.h0, carry, dWx, dWh, db);
        double[] dx = new double[whole.x.length];
        System.arraycopy(first.dx, 0, dx, 0, first.dx.length);
        System.arraycopy(second.dx, 0, dx, first.dx.length, second.dx.length);

        assertArrayEquals(expected.dWx, dWx, 0.0, whole + ": dWx");
        assertArrayEquals(expected.dWh, dWh, 0.0, whole + ": dWh");
        assertArrayEquals(expected.db, db, 0.0, whole + ": db");
        assertArrayEquals(expected.dx, dx, 0.0, whole + ": dx");
        assertArrayEquals(expected.dh0, Arrays.copyOf(carry, stateCount), 0.0, whole + ": dh0");
    }

    /** Steps {@code [start, start + steps)} of the whole span, as a span of their own. */
    private static final class Part {
        final int steps;
        final double[] x;
        final double[] above;
        final int[] lengths;
        double[] h;
        double[] dx;

        Part(DoubleSpanCase whole, int start, int steps) {
            this.steps = steps;
            int xRow = whole.batch * whole.inputSize;
            int hRow = whole.batch * whole.hiddenSize;
            x = Arrays.copyOfRange(whole.x, start * xRow, (start + steps) * xRow);
            above = Arrays.copyOfRange(whole.above, start * hRow, (start + steps) * hRow);
            if (whole.lengths == null) {
                lengths = null;
            } else {
                lengths = new int[whole.batch];
                for (int n = 0; n < whole.batch; n++) {
                    lengths[n] = Math.max(0, Math.min(steps, whole.lengths[n] - start));
                }
            }
        }

        void forward(DoubleSpanCase whole, double[] h0) {
            h = new double[steps * whole.batch * whole.hiddenSize];
            ReferenceRecurrence.forward(whole.activation, whole.clip, whole.inputSize, whole.hiddenSize, whole.wx, whole.wh,
                    whole.b, steps, whole.batch, whole.reverse, x, h0, h, lengths);
        }

        double[] finalState(DoubleSpanCase whole) {
            int last = whole.reverse ? 0 : steps - 1;
            int stateCount = whole.batch * whole.hiddenSize;
            return Arrays.copyOfRange(h, last * stateCount, (last + 1) * stateCount);
        }

        void backward(DoubleSpanCase whole, double[] h0, double[] carry, double[] dWx, double[] dWh, double[] db) {
            dx = new double[x.length];
            ReferenceRecurrence.backward(whole.activation, whole.clippedLow(), whole.clippedHigh(), whole.inputSize,
                    whole.hiddenSize, whole.wx, whole.wh,
                    steps, whole.batch, whole.reverse, x, h0, h, lengths, above, carry,
                    new double[whole.batch * whole.hiddenSize], dWx, dWh, db, dx);
        }
    }
}
