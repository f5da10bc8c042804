package dev.elman.engine.model;

import dev.elman.kernels.Activation;
import dev.elman.kernels.WeightPrecision;
import dev.elman.reference.ReferenceKernels;
import dev.elman.testing.Trials;
import dev.elman.testing.Uniform;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a reduced inference precision costs, bounded: the outputs, final states and every layer's
 * states of {@code model.withInferencePrecision(p)} differ from the float32 model's by no more than
 * the rounding of the weights can cause, propagated through the network.
 *
 * <h2>The bound</h2>
 * Let {@code ΔW = Ŵ − W} be the rounding of a recurrent matrix, bounded elementwise by
 * {@link WeightPrecision#bound()}: {@code |ΔW_ij| ≤ E(W)_ij = rel·|W_ij| + abs·max_k |W_ik|}.
 * For a 1-Lipschitz φ (tanh, relu; a clip is 1-Lipschitz too), with {@code h_t = φ(Wx·x_t +
 * Wh·h_{t−1} + b)} and {@code ĥ_t} the same on {@code Ŵx, Ŵh} and inputs {@code x̂_t}:
 * <pre>
 * |ĥ_t − h_t| ≤ |Ŵx·x̂_t − Wx·x_t| + |Ŵh·ĥ_{t−1} − Wh·h_{t−1}|
 *            ≤ E(Wx)|x_t| + |Ŵx||x̂_t − x_t| + E(Wh)|h_{t−1}| + |Ŵh||ĥ_{t−1} − h_{t−1}|
 * </pre>
 * componentwise ({@code Ŵx x̂ − Wx x = ΔWx x + Ŵx (x̂ − x)}, likewise for {@code Wh}), starting from
 * 0 at the (equal) initial state and run in the direction's own order. Layer by layer: a layer's
 * input error {@code |x̂ − x|} is the error of the layer below's features (a concatenation of its
 * directions' errors, or their sum for a summed merge). The head is float32 in both models, so it
 * adds {@code |Wy|·|ĥ − h|}.
 *
 * <h2>Rounding of the computation</h2>
 * Both models run on the {@link ReferenceKernels}, which compute in double and round each state and
 * output to float32 once, so the computation's own error is a few float32 ulps, not the kernels'
 * summation order. The bound covers it explicitly: at every state, merge sum and output it adds
 * {@value #ROUNDING}{@code ·(|v| + |v̂|)}, float32's half-ulp {@code 2⁻²⁴} of each model's
 * computed value {@code v} (widened by {@code 2⁻²²} for the value before rounding being up to
 * {@code 1/(1 − 2⁻²⁴)} larger); and {@value #DOUBLE_SLACK}{@code ·(Σ|W||x| + Σ|W||h| + |b| + 1)}
 * for the double arithmetic of each pre-activation (sums of at most 2⁷ terms, error below
 * {@code 2⁷·2⁻⁵³} of the sum of magnitudes, and φ in double to within a few double ulps, for each
 * of the two models). The same terms go into the next step, layer and the head like the weight
 * error does, and the states a layer reads ({@code |h_{t−1}|}) are taken as the computed float32
 * states widened by the same factor.
 *
 * <p>The bound is not vacuous: the weights are scaled so that {@code |Ŵh|} shrinks (row sums about
 * ½), the bound stays below 0.1, and where the rounding shows in the outputs (nearly every
 * case) it is within {@value #MAX_LOOSENESS} times the largest deviation of its case (2 to 60
 * times in a normal build).
 */
class PrecisionErrorBoundTest {
    /** Float32's rounding of one computed value, relative, widened: see the class comment. */
    private static final double ROUNDING = 0x1p-24 * (1 + 0x1p-22);
    /** The double arithmetic of one pre-activation of both models, relative to its magnitudes. */
    private static final double DOUBLE_SLACK = 0x1p-40;
    /**
     * How loose the bound may be against the largest deviation seen over a whole case: the cases
     * of a normal build range from 2 to 60 times, so this keeps the bound honest with a margin.
     */
    private static final double MAX_LOOSENESS = 1e3;

    private final ReferenceKernels reference = new ReferenceKernels();

    static Stream<Arguments> cases() {
        return Stream.of(WeightPrecision.BF16, WeightPrecision.INT8).flatMap(precision ->
                Trials.seeds("precision-error-bound", Trials.tries(60)).mapToObj(seed -> Arguments.of(precision, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void reducedOutputsStayWithinThePropagatedRoundingBound(WeightPrecision precision, long seed) {
        Check check = run(precision, seed);
        assertTrue(check.largestBound < 0.1, check.name + ": the bound " + check.largestBound + " says little");
    }

    /**
     * The bound says something: over the property's cases, the rounding shows in the outputs
     * (cases whose clip or relu hides every change aside, at least three in four), and where it
     * shows the bound is within {@value #MAX_LOOSENESS} times the largest deviation, and within 100
     * times in the median case.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("precisions")
    void theBoundIsCloseToTheObservedDeviation(WeightPrecision precision) {
        long[] seeds = Trials.seeds("precision-error-bound", Trials.tries(60)).toArray();
        double[] looseness = new double[seeds.length];
        int shown = 0;
        for (long seed : seeds) {
            Check check = run(precision, seed);
            if (check.largestDeviation > 0) {
                looseness[shown++] = check.largestBound / check.largestDeviation;
                assertTrue(looseness[shown - 1] <= MAX_LOOSENESS, check.name + ": the bound " + check.largestBound
                        + " is more than " + MAX_LOOSENESS + " times the largest deviation " + check.largestDeviation);
            }
        }
        assertTrue(4 * shown >= 3 * seeds.length, precision.label() + ": the rounding showed in only " + shown + " of "
                + seeds.length + " cases");
        double[] sorted = java.util.Arrays.copyOf(looseness, shown);
        java.util.Arrays.sort(sorted);
        assertTrue(sorted[shown / 2] <= 100, precision.label() + ": the median case's bound is " + sorted[shown / 2]
                + " times its largest deviation");
    }

    static Stream<WeightPrecision> precisions() {
        return Stream.of(WeightPrecision.BF16, WeightPrecision.INT8);
    }

    /** One random case: both models' outputs, final states and states checked against the bound. */
    private Check run(WeightPrecision precision, long seed) {
        Random random = new Random(seed);
        ModelConfig config = config(random);
        int steps = 1 + random.nextInt(12);
        int batch = 1 + random.nextInt(3);
        Model model = Model.create(config, Initialization.uniform(), random.nextLong(), reference);
        scaleWeights(model, random);
        Model reduced = model.withInferencePrecision(precision);
        float[] x = Uniform.floats(random, steps * batch * config.inputSize(), 1.0);
        Check check = new Check(precision.label() + " " + config + " T=" + steps + " B=" + batch);

        SequenceBatch inputs = new SequenceBatch(x, steps, batch, config.inputSize());
        ForwardResult exact = model.forward(inputs);
        ForwardResult rounded = reduced.forward(inputs);
        Bound bound = new Bound(model, precision, x, steps, batch, states(model, x, steps, batch),
                states(reduced, x, steps, batch));
        for (int k = 0; k < bound.stateBounds.length; k++) {
            check.within("states of layer·direction " + k, bound.exactStates[k], bound.roundedStates[k],
                    bound.stateBounds[k]);
        }
        check.within("output", exact.output(), rounded.output(), bound.outputBound);
        check.within("final states", exact.finalStates(), rounded.finalStates(), bound.finalStateBound(steps, batch));
        return check;
    }

    /** Stacked and bidirectional models of tanh and relu (1-Lipschitz), sizes 1 to 24. */
    private static ModelConfig config(Random random) {
        Activation[] lipschitz = {Activation.TANH, Activation.RELU};
        ModelConfig.Builder b = ModelConfig.builder()
                .inputSize(1 + random.nextInt(10))
                .hiddenSize(1 + random.nextInt(24))
                .layers(1 + random.nextInt(3))
                .bias(random.nextBoolean());
        int direction = random.nextInt(3);
        if (direction == 2) {
            b.bidirectional(true).merge(random.nextBoolean() ? Merge.CONCAT : Merge.SUM)
                    .activations(lipschitz[random.nextInt(2)], lipschitz[random.nextInt(2)]);
        } else {
            b.direction(direction == 0 ? Direction.FORWARD : Direction.REVERSE).activation(lipschitz[random.nextInt(2)]);
        }
        if (random.nextInt(4) == 0) {
            b.clip(0.5f + random.nextFloat());
        }
        if (random.nextBoolean()) {
            b.outputSize(1 + random.nextInt(5)).headBias(random.nextBoolean());
        }
        return b.build();
    }

    /**
     * Recurrent weights uniform in {@code ±1/n} (row sums of magnitudes about ½, so the error
     * recurrence shrinks), biases ±0.5, the head ±1/√F.
     */
    private static void scaleWeights(Model model, Random random) {
        ModelConfig config = model.config();
        Parameters p = model.parameters();
        for (int l = 0; l < config.layers(); l++) {
            for (int d = 0; d < config.directions(); d++) {
                boolean second = d == 1;
                fill(p.get(ParameterNames.inputWeights(l, second)).data(), random, 1.0 / config.layerInputSize(l));
                fill(p.get(ParameterNames.recurrentWeights(l, second)).data(), random, 1.0 / config.hiddenSize());
                if (config.bias()) {
                    fill(p.get(ParameterNames.bias(l, second)).data(), random, 0.5);
                }
            }
        }
        if (config.hasHead()) {
            fill(p.get(ParameterNames.HEAD_WEIGHTS).data(), random, 1 / Math.sqrt(config.featureSize()));
            if (config.headBias()) {
                fill(p.get(ParameterNames.HEAD_BIAS).data(), random, 0.5);
            }
        }
        model.loadParameters();
    }

    private static void fill(float[] target, Random random, double scale) {
        System.arraycopy(Uniform.floats(random, target.length, scale), 0, target, 0, target.length);
    }

    /** Every layer's and direction's computed states {@code [L·D][T·B·H]}, in step order. */
    private static float[][] states(Model model, float[] x, int steps, int batch) {
        ModelConfig config = model.config();
        StackRunner runner = model.newRunner(steps, batch);
        runner.reset(batch, null);
        runner.advance(steps, x, 0, null);
        float[][] states = new float[config.layers() * config.directions()][];
        for (int l = 0; l < config.layers(); l++) {
            for (int d = 0; d < config.directions(); d++) {
                states[l * config.directions() + d] = java.util.Arrays.copyOf(runner.hidden(l, d == 1),
                        steps * batch * config.hiddenSize());
            }
        }
        return states;
    }

    /** The bound of the class comment, computed in double for every state and output. */
    private static final class Bound {
        final float[][] exactStates;
        final float[][] roundedStates;
        final double[][] stateBounds;
        final double[] outputBound;
        private final ModelConfig config;

        Bound(Model model, WeightPrecision precision, float[] x, int steps, int batch, float[][] exactStates,
              float[][] roundedStates) {
            this.config = model.config();
            this.exactStates = exactStates;
            this.roundedStates = roundedStates;
            int hs = config.hiddenSize();
            int directions = config.directions();
            Parameters p = model.parameters();
            stateBounds = new double[config.layers() * directions][];
            float[] input = x;
            double[] inputBound = new double[x.length];
            float[] roundedInput = x;
            for (int l = 0; l < config.layers(); l++) {
                int in = config.layerInputSize(l);
                for (int d = 0; d < directions; d++) {
                    boolean second = d == 1;
                    float[] wx = p.get(ParameterNames.inputWeights(l, second)).data();
                    float[] wh = p.get(ParameterNames.recurrentWeights(l, second)).data();
                    float[] b = config.bias() ? p.get(ParameterNames.bias(l, second)).data() : null;
                    int k = l * directions + d;
                    stateBounds[k] = layer(precision, wx, wh, b, in, hs, steps, batch,
                            config.direction().walksBackward(d), input, inputBound, exactStates[k], roundedStates[k]);
                }
                float[][] merged = features(l, steps * batch);
                input = merged[0];
                roundedInput = merged[1];
                inputBound = featureBound(l, steps * batch, input, roundedInput);
            }
            outputBound = config.hasHead() ? head(p, steps * batch, input, inputBound) : inputBound;
        }

        /** One layer and direction: the bound of each of its states {@code [T][B][H]}. */
        private static double[] layer(WeightPrecision precision, float[] wx, float[] wh, float[] b, int in, int hs,
                                      int steps, int batch, boolean backward, float[] x, double[] xBound,
                                      float[] h, float[] hRounded) {
            double[] ex = elementBound(precision, wx, hs, in);
            double[] eh = elementBound(precision, wh, hs, hs);
            float[] wxRounded = new float[wx.length];
            float[] whRounded = new float[wh.length];
            precision.round(wx, hs, in, wxRounded);
            precision.round(wh, hs, hs, whRounded);
            double[] bound = new double[steps * batch * hs];
            for (int s = 0; s < steps; s++) {
                int t = backward ? steps - 1 - s : s;
                int previous = backward ? t + 1 : t - 1;
                boolean first = s == 0;
                for (int n = 0; n < batch; n++) {
                    int xRow = (t * batch + n) * in;
                    int hRow = (t * batch + n) * hs;
                    int pRow = (previous * batch + n) * hs;
                    for (int i = 0; i < hs; i++) {
                        double error = 0;
                        double magnitude = 1 + (b == null ? 0 : Math.abs(b[i]));
                        for (int j = 0; j < in; j++) {
                            double xj = Math.abs(x[xRow + j]);
                            error += ex[i * in + j] * xj + Math.abs(wxRounded[i * in + j]) * xBound[xRow + j];
                            magnitude += Math.abs(wx[i * in + j]) * xj;
                        }
                        if (!first) {
                            for (int j = 0; j < hs; j++) {
                                double hj = Math.abs(h[pRow + j]) * (1 + 0x1p-22);
                                error += eh[i * hs + j] * hj + Math.abs(whRounded[i * hs + j]) * bound[pRow + j];
                                magnitude += Math.abs(wh[i * hs + j]) * hj;
                            }
                        }
                        bound[hRow + i] = error + DOUBLE_SLACK * magnitude
                                + ROUNDING * (Math.abs(h[hRow + i]) + Math.abs(hRounded[hRow + i]));
                    }
                }
            }
            return bound;
        }

        /** {@code E(W)}: rel·|W_ij| + abs·max_k |W_ik| + floor, per element. */
        private static double[] elementBound(WeightPrecision precision, float[] w, int rows, int cols) {
            double relative = precision.bound()[0];
            double absolute = precision.bound()[1];
            double floor = precision.bound()[2];
            double[] e = new double[w.length];
            for (int r = 0; r < rows; r++) {
                double rowMax = 0;
                for (int j = r * cols; j < (r + 1) * cols; j++) {
                    rowMax = Math.max(rowMax, Math.abs(w[j]));
                }
                for (int j = r * cols; j < (r + 1) * cols; j++) {
                    e[j] = relative * Math.abs(w[j]) + absolute * rowMax + floor;
                }
            }
            return e;
        }

        /** Layer l's features in both models, {exact, rounded}, merged as the runner merges them (float32). */
        private float[][] features(int l, int rows) {
            int hs = config.hiddenSize();
            int width = config.featureSize();
            int k = l * config.directions();
            float[][] merged = new float[2][rows * width];
            float[][][] sources = {exactStates, roundedStates};
            for (int m = 0; m < 2; m++) {
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < hs; i++) {
                        float forward = sources[m][k][r * hs + i];
                        if (config.directions() == 1) {
                            merged[m][r * width + i] = forward;
                        } else if (config.merge() == Merge.CONCAT) {
                            merged[m][r * width + i] = forward;
                            merged[m][r * width + hs + i] = sources[m][k + 1][r * hs + i];
                        } else {
                            merged[m][r * width + i] = forward + sources[m][k + 1][r * hs + i];
                        }
                    }
                }
            }
            return merged;
        }

        /** The bound of layer l's features: its states' bounds, added (with the sum's rounding) for a summed merge. */
        private double[] featureBound(int l, int rows, float[] exact, float[] rounded) {
            int hs = config.hiddenSize();
            int width = config.featureSize();
            int k = l * config.directions();
            double[] bound = new double[rows * width];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < hs; i++) {
                    double forward = stateBounds[k][r * hs + i];
                    if (config.directions() == 1) {
                        bound[r * width + i] = forward;
                    } else if (config.merge() == Merge.CONCAT) {
                        bound[r * width + i] = forward;
                        bound[r * width + hs + i] = stateBounds[k + 1][r * hs + i];
                    } else {
                        int f = r * width + i;
                        bound[f] = forward + stateBounds[k + 1][r * hs + i]
                                + ROUNDING * (Math.abs(exact[f]) + Math.abs(rounded[f]));
                    }
                }
            }
            return bound;
        }

        /** The head, float32 in both: {@code |Wy|·|Δfeatures|} and its own rounding. */
        private double[] head(Parameters p, int rows, float[] features, double[] featureBound) {
            int width = config.featureSize();
            int outputs = config.outputSize();
            float[] wy = p.get(ParameterNames.HEAD_WEIGHTS).data();
            float[] by = config.headBias() ? p.get(ParameterNames.HEAD_BIAS).data() : null;
            double[] bound = new double[rows * outputs];
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < outputs; o++) {
                    double error = 0;
                    double magnitude = 1 + (by == null ? 0 : Math.abs(by[o]));
                    for (int f = 0; f < width; f++) {
                        error += Math.abs(wy[o * width + f]) * featureBound[r * width + f];
                        magnitude += Math.abs(wy[o * width + f] * features[r * width + f]);
                    }
                    // Both outputs' rounding: |y| + |ŷ| ≤ 2|y| + error; the magnitude bounds |y| + 1.
                    bound[r * outputs + o] = error * (1 + 2 * ROUNDING) + DOUBLE_SLACK * magnitude
                            + ROUNDING * 2 * magnitude;
                }
            }
            return bound;
        }

        /** The bound of the final states {@code [L·D][B][H]}: a forward direction's last step, a reverse one's first. */
        double[] finalStateBound(int steps, int batch) {
            int hs = config.hiddenSize();
            int stateCount = batch * hs;
            double[] bound = new double[stateBounds.length * stateCount];
            for (int k = 0; k < stateBounds.length; k++) {
                int step = config.direction().walksBackward(k % config.directions()) ? 0 : steps - 1;
                System.arraycopy(stateBounds[k], step * stateCount, bound, k * stateCount, stateCount);
            }
            return bound;
        }
    }

    /** Compares deviations with bounds and keeps the largest of each over a case. */
    private static final class Check {
        final String name;
        double largestDeviation;
        double largestBound;

        Check(String name) {
            this.name = name;
        }

        void within(String what, float[] exact, float[] rounded, double[] bound) {
            if (exact.length != bound.length || rounded.length != bound.length) {
                fail(name + ": " + what + ": " + exact.length + " and " + rounded.length + " values, " + bound.length
                        + " bounds");
            }
            for (int i = 0; i < bound.length; i++) {
                double deviation = Math.abs((double) rounded[i] - exact[i]);
                if (!(deviation <= bound[i])) {
                    fail(name + ": " + what + "[" + i + "] = " + rounded[i] + " against " + exact[i] + " in float32, off by "
                            + deviation + ", more than the bound " + bound[i]);
                }
                largestDeviation = Math.max(largestDeviation, deviation);
                largestBound = Math.max(largestBound, bound[i]);
            }
        }
    }
}
