package dev.elman.simd;

import dev.elman.kernels.Activation;

/**
 * The one tolerance rule for comparing {@link VectorKernels} with the double-precision reference,
 * element by element:
 * <pre>
 *   |simd − reference| ≤ λ·σ + u·|reference| + λ·η
 * </pre>
 * with {@code u = 2⁻²⁴} (float32 unit roundoff: the reference rounds its double result once),
 * {@code η = 2⁻¹⁴⁹} (the absolute error of a rounding among the subnormals), {@code λ = 8}, and
 * {@code σ} the error scale of that element from a first-order rounding-error analysis of the
 * float32 computation, propagated through the recurrence:
 *
 * <h2>Where σ comes from</h2>
 * <ul>
 *   <li><b>A reduction of length n</b> ({@code z = b + Σ_j Wx_ij x_j + Σ_k Wh_ik h_k}, each
 *       gradient sum, each product of the head) is computed with at most {@code n + 3} roundings,
 *       each of relative size at most {@code u} of a partial sum, and every partial sum is at most
 *       {@code A = Σ|terms|}. Each rounding is an error bounded by {@code u·A}.</li>
 *   <li><b>Storing</b> a value in float adds one rounding, bounded by {@code u·|value|}; the
 *       activation adds its own error beyond that rounding ({@link #activationError}: for tanh
 *       {@code VectorTanh.MAX_ABSOLUTE_ERROR}, measured over all floats; for the kinds computed
 *       through it or in double, derived in {@code VectorActivation}); {@code φ'} and the product
 *       {@code φ'·g} add {@code k·u·|dz|}, {@code k} the roundings of that kind's derivative
 *       ({@link #derivativeRoundings}: 2 for most).</li>
 *   <li><b>Propagation</b>: an error {@code e_k} in an input of a sum {@code Σ_k w_k v_k} reaches
 *       the sum as {@code w_k·e_k}; an error in {@code z} reaches {@code h = φ(z)} times
 *       {@code φ'(z)} ({@code 1 − h²} for tanh; at a kink the larger one-sided slope, so 1 for
 *       relu; see {@link #slope}). The recurrence carries the errors of {@code h_{t−1}} into
 *       {@code h_t} through {@code Wh}, and those of {@code dz_t} into {@code dL/dh_{t−1}} through
 *       {@code Whᵀ}, step after step. A clip is 1-Lipschitz, so it carries errors no further than
 *       φ does; backward, both implementations get the same {@code h} and so agree exactly on
 *       which steps were clipped (derivative 0).</li>
 *   <li><b>A jump</b> (thresholded relu at {@code z = α}) is not a rounding: where the reference's
 *       {@code z} is within its own tolerance {@code λσ_z} of the threshold, the SIMD pass may
 *       land on the other side, and the output differs by the jump {@code |α|}. That element's
 *       σ² then gains {@code (|α|/λ)²}, so its tolerance covers the jump, and the recurrence
 *       carries it on as any error.</li>
 * </ul>
 * {@code σ² = Σ (coefficient·bound)²} over all these elementary errors. Under the standard
 * probabilistic model of rounding (errors independent, mean zero: Higham &amp; Mary, SIAM J. Sci.
 * Comput. 41(5), 2019) Hoeffding's inequality gives {@code P(|error| > λσ) ≤ 2·exp(−λ²/2)}, which
 * is 2.5e-14 per element at {@code λ = 8}; a build compares about 10⁸ elements. The worst-case
 * bound ({@code Σ|coefficient|·bound}) would be useless here: through 64 steps of a saturated or
 * expanding recurrence it grows like {@code ‖|Wh|‖^T}, far faster than any real error, while
 * float32 errors in a chaotic recurrence (weight scale 3 is past the edge of chaos for tanh) really
 * do grow like the recurrence's own tangent dynamics, which the propagation above follows.
 *
 * <p>Approximation, stated plainly: the propagation adds the variances of the errors of different
 * units ({@code Σ_k w_k²σ_k²}) as if they were independent, although they share history; with
 * weights of random sign that is their expected size, but in a long span through a small layer they
 * can line up along the recurrence's dominant directions, and then the real spread is larger. So the
 * 2.5e-14 above holds for the model, not as a proof. Observed, as the largest error/tolerance
 * ratio over all elements (printed by every run of {@code MatchesReferenceTest}): about 0.3 in the
 * normal build's 3 × 1,000 cases; 0.78 over 3 × 10,000 cases ({@code -Delman.test.tries=10000
 * -Delman.test.seed=7}), at {@code dh0} of a 47-step tanh span with H = 17, and 0.72 at {@code dx}
 * with H = 4. Since the cases draw every activation kind and a clip (which changed every case's
 * shape draws): at most 0.60 in the normal build (at {@code dx} of a 55-step relu span, weight
 * scale 1.9), the new kinds at most 0.28; and over 2 × 4,000 cases with {@code -Delman.test.seed=7}
 * one element beyond the rule, ratio 1.16 at {@code dx} of a 40-step relu span with H = 22 at
 * weight scale 2.73 (an expanding recurrence, gradients of 10⁴): the alignment described above.
 * Nothing in the rule was adjusted to make tests pass.
 */
final class Tolerance {
    /** float32 unit roundoff. */
    static final double U = 0x1p-24;
    /** Hoeffding multiplier: 2·exp(−λ²/2) = 2.5e-14 per element. */
    static final double LAMBDA = 8.0;
    /** Absolute error of one rounding among the subnormals. */
    static final double ETA = 0x1p-149;
    /** Extra roundings in a reduction beyond one per term (start value, split accumulators, final add). */
    private static final int EXTRA_ROUNDINGS = 3;

    private Tolerance() {
    }

    /** The rule itself: the tolerance for one element of error scale {@code σ²} and reference value. */
    static double of(double sigmaSquared, double reference) {
        return LAMBDA * Math.sqrt(sigmaSquared) + U * Math.abs(reference) + LAMBDA * ETA;
    }

    /** σ² of {@code n} roundings each at most {@code u·A}, plus subnormal absolute rounding. */
    static double reduction(int n, double sumOfMagnitudes) {
        double perRounding = U * sumOfMagnitudes + ETA;
        return (n + EXTRA_ROUNDINGS) * perRounding * perRounding;
    }

    /** σ² of one rounding of {@code value}. */
    static double rounding(double value) {
        double e = U * Math.abs(value) + ETA;
        return e * e;
    }

    /**
     * The activation's own error at an output {@code h}, on top of the one rounding of storing it
     * (the derivations are in {@code VectorActivation}'s class comment).
     */
    static double activationError(Activation activation, double h) {
        double tanh = VectorTanh.MAX_ABSOLUTE_ERROR;
        return switch (activation.kind()) {
            case TANH -> tanh;
            // ½(1 + tanh̃(z/2)): half the tanh error; z/2 is exact, the final fma is the stored rounding.
            case SIGMOID -> 0.5 * tanh;
            // α·tanh̃(βz): tanh's error and the rounding of βz (which moves tanh by ≤ 0.45u), times |α|.
            case SCALED_TANH -> Math.abs(activation.alpha()) * (tanh + 0.45 * U);
            // z/(1 + |z|): the rounding of the denominator is a relative u of the result.
            case SOFTSIGN -> U * Math.abs(h);
            // In double (expm1, exp, log1p within an ulp each, two or three operations), then rounded.
            case ELU, SOFTPLUS -> 0x1p-50 * Math.abs(h);
            default -> 0.0;
        };
    }

    /**
     * {@code |φ'(z)|} at the reference output, by which an error in {@code z} reaches {@code h}:
     * the derivative for smooth kinds; at kinks the larger one-sided slope, since the two passes'
     * {@code z} may lie on either side (1 for relu and identity, as always).
     */
    static double slope(Activation activation, double h) {
        double a = activation.alpha();
        return switch (activation.kind()) {
            case TANH, SIGMOID, SCALED_TANH, SOFTSIGN, SOFTPLUS -> Math.abs(activation.derivativeFromOutput(h));
            case AFFINE, HARD_SIGMOID -> Math.abs(a);
            case LEAKY_RELU, ELU -> Math.max(1.0, a);
            default -> 1.0;
        };
    }

    /**
     * How many roundings the SIMD derivative and the product {@code φ'·g} add to {@code dz}, each
     * at most {@code u·|dz|}: 2 for most kinds (e.g. tanh's {@code fma(−h, h, 1)} and the product);
     * softsign's {@code (1 − |h|)²} 4 (the difference, twice its error in the square, the square,
     * the product); scaled tanh's {@code (α − h)(α + h)·(β/α)} 6 (two sums, two products, the
     * rounded constant, the product with g).
     */
    static int derivativeRoundings(Activation activation) {
        return switch (activation.kind()) {
            case SOFTSIGN -> 4;
            case SCALED_TANH -> 6;
            default -> 2;
        };
    }

    /**
     * Tolerances of a forward span's output {@code h}, laid out {@code [T][B][H]} from 0.
     *
     * @param h the reference's output (at {@code c.hOffset})
     */
    static double[] forward(SpanCase c, float[] h) {
        int hidden = c.hiddenSize;
        int input = c.inputSize;
        double[] variance = new double[c.hCount()];
        double[] tolerance = new double[c.hCount()];
        int n = input + hidden + (c.b == null ? 0 : 1);
        boolean jumps = c.activation.kind() == Activation.Kind.THRESHOLDED_RELU;
        double jump = c.activation.alpha();
        for (int s = 0; s < c.steps; s++) {
            int t = c.reverse ? c.steps - 1 - s : s;
            int previous = s == 0 ? -1 : (c.reverse ? t + 1 : t - 1);
            for (int b = 0; b < c.batch; b++) {
                int row = (t * c.batch + b) * hidden;
                int previousRow = previous < 0 ? -1 : (previous * c.batch + b) * hidden;
                for (int i = 0; i < hidden; i++) {
                    if (c.padding(t, b)) {
                        variance[row + i] = previousRow < 0 ? 0.0 : variance[previousRow + i];
                        continue;
                    }
                    double magnitude = c.b == null ? 0.0 : Math.abs(c.b[i]);
                    double z = c.b == null ? 0.0 : c.b[i];
                    for (int j = 0; j < input; j++) {
                        double term = (double) c.wx[i * input + j] * c.at(c.x, c.xOffset, t, b, j, input);
                        magnitude += Math.abs(term);
                        z += term;
                    }
                    double propagated = 0.0;
                    for (int k = 0; k < hidden; k++) {
                        double w = c.wh[i * hidden + k];
                        double hk;
                        if (previousRow < 0) {
                            hk = c.h0 == null ? 0.0 : c.h0[b * hidden + k];
                        } else {
                            hk = h[c.hOffset + previousRow + k];
                            propagated += w * w * variance[previousRow + k];
                        }
                        magnitude += Math.abs(w * hk);
                        z += w * hk;
                    }
                    double out = h[c.hOffset + row + i];
                    double slope = slope(c.activation, out);
                    double zVariance = reduction(n, magnitude) + propagated;
                    double phiError = activationError(c.activation, out);
                    variance[row + i] = slope * slope * zVariance + phiError * phiError + rounding(out);
                    if (jumps) {
                        // z here is rebuilt from the reference's float outputs, so its own
                        // distance from the reference's double z (one rounding per term) widens
                        // the band it is tested in.
                        double clipped = c.clip > 0 ? Math.min(Math.max(z, -c.clip), c.clip) : z;
                        double band = LAMBDA * Math.sqrt(zVariance) + U * magnitude;
                        if (Math.abs(clipped - jump) <= band) {
                            variance[row + i] += (jump / LAMBDA) * (jump / LAMBDA);
                        }
                    }
                }
            }
        }
        for (int i = 0; i < tolerance.length; i++) {
            tolerance[i] = of(variance[i], h[c.hOffset + i]);
        }
        return tolerance;
    }

    /** Tolerances of every backward output, computed from the reference's values. */
    static final class Backward {
        double[] dWx;
        double[] dWh;
        double[] db;
        double[] dx;
        double[] dh0;
    }

    /**
     * Tolerances of a backward span's outputs. The model re-walks the reference's recursion in
     * double to know each {@code dz} and carried gradient with its σ².
     *
     * @param h the forward output both implementations are given (at {@code c.hOffset})
     * @param expected the reference's outputs (final accumulator values; dx at {@code c.dxOffset})
     */
    static Backward backward(SpanCase c, float[] h, float[] dWx, float[] dWh, float[] db, float[] dx, float[] dh0) {
        int hidden = c.hiddenSize;
        int input = c.inputSize;
        int state = c.stateCount();
        int rows = c.steps * c.batch;
        double[] dz = new double[c.hCount()];
        double[] dzVariance = new double[c.hCount()];
        double[] carry = new double[state];
        double[] carryVariance = new double[state];
        double[] nextCarry = new double[state];
        double[] nextVariance = new double[state];
        if (c.dhLast != null) {
            for (int i = 0; i < state; i++) {
                carry[i] = c.dhLast[i];
            }
        }
        for (int s = c.steps - 1; s >= 0; s--) {
            int t = c.reverse ? c.steps - 1 - s : s;
            for (int b = 0; b < c.batch; b++) {
                int row = (t * c.batch + b) * hidden;
                for (int i = 0; i < hidden; i++) {
                    int at = b * hidden + i;
                    double g = carry[at];
                    double gVariance = carryVariance[at];
                    if (c.dh != null) {
                        g += c.dh[c.dhOffset + row + i];
                        gVariance += rounding(g);
                    }
                    carry[at] = g;
                    carryVariance[at] = gVariance;
                    if (c.padding(t, b)) {
                        continue;
                    }
                    double out = h[c.hOffset + row + i];
                    double slope = c.clipped(out) ? 0.0 : c.activation.derivativeFromOutput(out);
                    dz[row + i] = slope * g;
                    dzVariance[row + i] = slope * slope * gVariance
                            + derivativeRoundings(c.activation) * rounding(dz[row + i]);
                }
            }
            for (int b = 0; b < c.batch; b++) {
                int row = (t * c.batch + b) * hidden;
                for (int k = 0; k < hidden; k++) {
                    int at = b * hidden + k;
                    if (c.padding(t, b)) {
                        nextCarry[at] = carry[at];
                        nextVariance[at] = carryVariance[at];
                        continue;
                    }
                    double sum = 0.0;
                    double magnitude = 0.0;
                    double propagated = 0.0;
                    for (int i = 0; i < hidden; i++) {
                        double w = c.wh[i * hidden + k];
                        sum += w * dz[row + i];
                        magnitude += Math.abs(w * dz[row + i]);
                        propagated += w * w * dzVariance[row + i];
                    }
                    nextCarry[at] = sum;
                    nextVariance[at] = reduction(hidden, magnitude) + propagated;
                }
            }
            double[] swap = carry;
            carry = nextCarry;
            nextCarry = swap;
            swap = carryVariance;
            carryVariance = nextVariance;
            nextVariance = swap;
        }

        Backward tolerance = new Backward();
        tolerance.dh0 = new double[state];
        for (int i = 0; i < state; i++) {
            tolerance.dh0[i] = of(carryVariance[i], dh0 == null ? carry[i] : dh0[i]);
        }
        if (c.b != null) {
            tolerance.db = new double[hidden];
            for (int i = 0; i < hidden; i++) {
                double magnitude = 0.0;
                double propagated = 0.0;
                for (int r = 0; r < rows; r++) {
                    magnitude += Math.abs(dz[r * hidden + i]);
                    propagated += dzVariance[r * hidden + i];
                }
                tolerance.db[i] = of(reduction(rows, magnitude) + propagated + rounding(db[i]), db[i]);
            }
        }
        tolerance.dWx = new double[hidden * input];
        for (int i = 0; i < hidden; i++) {
            for (int j = 0; j < input; j++) {
                double magnitude = 0.0;
                double propagated = 0.0;
                for (int r = 0; r < rows; r++) {
                    double xv = c.x[c.xOffset + r * input + j];
                    magnitude += Math.abs(dz[r * hidden + i] * xv);
                    propagated += xv * xv * dzVariance[r * hidden + i];
                }
                double value = dWx[i * input + j];
                tolerance.dWx[i * input + j] = of(reduction(rows, magnitude) + propagated + rounding(value), value);
            }
        }
        tolerance.dWh = new double[hidden * hidden];
        for (int i = 0; i < hidden; i++) {
            for (int k = 0; k < hidden; k++) {
                double magnitude = 0.0;
                double propagated = 0.0;
                for (int t = 0; t < c.steps; t++) {
                    int previous = c.reverse ? t + 1 : t - 1;
                    for (int b = 0; b < c.batch; b++) {
                        double hp;
                        if (previous < 0 || previous >= c.steps) {
                            hp = c.h0 == null ? 0.0 : c.h0[b * hidden + k];
                        } else {
                            hp = h[c.hOffset + (previous * c.batch + b) * hidden + k];
                        }
                        int r = (t * c.batch + b) * hidden + i;
                        magnitude += Math.abs(dz[r] * hp);
                        propagated += hp * hp * dzVariance[r];
                    }
                }
                double value = dWh[i * hidden + k];
                // Two products add into dWh (the shifted rows, then the h0 rows): two roundings.
                tolerance.dWh[i * hidden + k] = of(reduction(rows, magnitude) + propagated + 2 * rounding(value), value);
            }
        }
        if (dx != null) {
            tolerance.dx = new double[rows * input];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < input; j++) {
                    double magnitude = 0.0;
                    double propagated = 0.0;
                    for (int i = 0; i < hidden; i++) {
                        double w = c.wx[i * input + j];
                        magnitude += Math.abs(w * dz[r * hidden + i]);
                        propagated += w * w * dzVariance[r * hidden + i];
                    }
                    tolerance.dx[r * input + j] = of(reduction(hidden, magnitude) + propagated,
                            dx[c.dxOffset + r * input + j]);
                }
            }
        }
        return tolerance;
    }

    /** Tolerances of {@code y = Wy·h + by}, {@code [rows][O]} from 0. */
    static double[] headForward(HeadCase c, float[] y) {
        double[] tolerance = new double[c.rows * c.outputSize];
        int n = c.inputSize + (c.b == null ? 0 : 1);
        for (int r = 0; r < c.rows; r++) {
            for (int o = 0; o < c.outputSize; o++) {
                double magnitude = c.b == null ? 0.0 : Math.abs(c.b[o]);
                for (int f = 0; f < c.inputSize; f++) {
                    magnitude += Math.abs((double) c.w[o * c.inputSize + f] * c.h[c.hOffset + r * c.inputSize + f]);
                }
                int at = r * c.outputSize + o;
                tolerance[at] = of(reduction(n, magnitude), y[c.yOffset + at]);
            }
        }
        return tolerance;
    }

    /** Tolerances of the head's backward: {@code {dW, db (or null), dh (or null)}}. */
    static double[][] headBackward(HeadCase c, float[] dW, float[] db, float[] dh) {
        int f = c.inputSize;
        int o = c.outputSize;
        double[] dWTolerance = new double[o * f];
        for (int a = 0; a < o; a++) {
            for (int j = 0; j < f; j++) {
                double magnitude = 0.0;
                for (int r = 0; r < c.rows; r++) {
                    magnitude += Math.abs((double) c.dy[c.dyOffset + r * o + a] * c.h[c.hOffset + r * f + j]);
                }
                double value = dW[a * f + j];
                dWTolerance[a * f + j] = of(reduction(c.rows, magnitude) + rounding(value), value);
            }
        }
        double[] dbTolerance = null;
        if (db != null) {
            dbTolerance = new double[o];
            for (int a = 0; a < o; a++) {
                double magnitude = 0.0;
                for (int r = 0; r < c.rows; r++) {
                    magnitude += Math.abs(c.dy[c.dyOffset + r * o + a]);
                }
                dbTolerance[a] = of(reduction(c.rows, magnitude) + rounding(db[a]), db[a]);
            }
        }
        double[] dhTolerance = null;
        if (dh != null) {
            dhTolerance = new double[c.rows * f];
            for (int r = 0; r < c.rows; r++) {
                for (int j = 0; j < f; j++) {
                    double magnitude = 0.0;
                    for (int a = 0; a < o; a++) {
                        magnitude += Math.abs((double) c.w[a * f + j] * c.dy[c.dyOffset + r * o + a]);
                    }
                    dhTolerance[r * f + j] = of(reduction(o, magnitude), dh[c.dhOffset + r * f + j]);
                }
            }
        }
        return new double[][] {dWTolerance, dbTolerance, dhTolerance};
    }
}
