package dev.elman.engine.model;

import dev.elman.engine.testing.DoubleModel;
import dev.elman.engine.testing.RandomData;
import dev.elman.reference.ReferenceKernels;
import dev.elman.testing.Trials;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Model#gradient} of a whole model — stacked, bidirectional (both merges), head, variable
 * lengths, initial states — against central finite differences of the independent double-precision
 * oracle, for the loss {@code L = Σ G ⊙ y} with a random G: every parameter, every input and every
 * initial state.
 *
 * <p>Tolerance. The differences run in double with {@code ε = 1e-5}: truncation
 * {@code ε²/6·|L'''| ≈ 1e-11} and rounding {@code 1e-16·Σ|terms|/ε ≈ 1e-10} for these sizes, so
 * they are exact to ~1e-9. The engine stores states and gradients in float32 between layers and
 * spans (relative 6e-8 each) and recovers φ' from rounded states; through 3 layers and 8 steps of
 * contractive recurrences this moves a gradient by ~1e-6 of the largest gradient in its tensor.
 * We accept {@code |fd − analytic| ≤ 1e-4·max(1, max|analytic|)} per tensor: 100× the expected
 * error, while a missing or misplaced term moves the gradient by 1e-2 of that scale or more.
 */
class ModelGradientCheckTest {
    private static final double STEP = 1e-5;
    private static final double TOLERANCE = 1e-4;

    static LongStream seeds() {
        return Trials.seeds("model gradient", 120);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void wholeModelGradientsMatchFiniteDifferences(long seed) {
        Random random = new Random(seed);
        ModelConfig config = RandomData.config(random, 3);
        int steps = 1 + random.nextInt(6);
        int batch = 1 + random.nextInt(3);
        int[] lengths = random.nextBoolean() ? RandomData.lengths(random, steps, batch) : null;
        Model model = Model.create(config, Initialization.uniform(), random.nextLong(), new ReferenceKernels());
        float[] x = RandomData.uniform(random, steps * batch * config.inputSize(), 1.0);
        int stateCount = config.layers() * config.directions() * batch * config.hiddenSize();
        float[] h0 = random.nextBoolean() ? RandomData.uniform(random, stateCount, 0.5) : null;
        float[] g = RandomData.uniform(random, steps * batch * config.outputWidth(), 1.0);
        String name = config + " T=" + steps + " B=" + batch + " lengths=" + Arrays.toString(lengths)
                + (h0 == null ? "" : " with h0");

        SequenceBatch sequences = new SequenceBatch(x, steps, batch, config.inputSize(), lengths);
        GradientResult analytic = model.gradient(sequences, h0, g, Integer.MAX_VALUE);

        DoubleModel oracle = new DoubleModel(config, model.parameters());
        double[] x64 = DoubleModel.widen(x);
        double[] h064 = h0 == null ? new double[stateCount] : DoubleModel.widen(h0);
        ToDoubleFunction<DoubleModel> loss = m -> dot(g, m.forward(x64, steps, batch, lengths, h064).output());

        Parameters gradients = analytic.parameters().parameters();
        for (String parameter : gradients.names()) {
            double[] values = oracle.parameters.get(parameter);
            compare(name + ": d" + parameter, values, gradients.get(parameter).data(), () -> loss.applyAsDouble(oracle));
        }
        compare(name + ": dx", x64, analytic.input(), () -> loss.applyAsDouble(oracle));
        compare(name + ": dh0", h064, analytic.initialState(), () -> loss.applyAsDouble(oracle));
    }

    /** Central differences of {@code loss} over every element of {@code values}, against {@code analytic}. */
    static void compare(String what, double[] values, float[] analytic, java.util.function.DoubleSupplier loss) {
        double scale = 1;
        for (float a : analytic) {
            scale = Math.max(scale, Math.abs(a));
        }
        for (int i = 0; i < values.length; i++) {
            double saved = values[i];
            values[i] = saved + STEP;
            double plus = loss.getAsDouble();
            values[i] = saved - STEP;
            double minus = loss.getAsDouble();
            values[i] = saved;
            double fd = (plus - minus) / (2 * STEP);
            if (!(Math.abs(fd - analytic[i]) <= TOLERANCE * scale)) {
                fail(what + "[" + i + "]: finite difference " + fd + ", engine " + analytic[i]
                        + " (tolerance " + TOLERANCE + " × " + scale + ")");
            }
        }
    }

    private static double dot(float[] g, double[] y) {
        double sum = 0;
        for (int i = 0; i < g.length; i++) {
            sum += g[i] * y[i];
        }
        return sum;
    }
}
