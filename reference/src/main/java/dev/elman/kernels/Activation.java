package dev.elman.kernels;

import java.util.Locale;

/**
 * The non-linearity φ of a recurrent layer, {@code h = φ(z)}: one of the {@link Kind kinds} with
 * its parameters α and β. Immutable, with value semantics ({@link #equals}, {@link #hashCode}).
 *
 * <p>Backward passes never store the pre-activation {@code z}: the derivative is recovered from the
 * output {@code h} alone ({@link #derivativeFromOutput}), which every activation here allows. That
 * is why some parameter values are refused: where two pre-activations with different derivatives
 * give the same output (a leaky relu or elu with α &lt; 0 folds the negative half onto the
 * positive one), {@code h} no longer tells which derivative applies.
 *
 * <p>The kinds and their formulas are ONNX's {@code RNN} activations (the names in brackets);
 * where ONNX's text and its operator differ at a single point, the operator (and ONNX Runtime) is
 * followed:
 * <table>
 *   <caption>The kinds</caption>
 *   <tr><th>kind</th><th>φ(z)</th><th>φ'(z) from h</th></tr>
 *   <tr><td>{@link #TANH} (Tanh)</td><td>{@code tanh z}</td><td>{@code 1 − h²}</td></tr>
 *   <tr><td>{@link #RELU} (Relu)</td><td>{@code max(0, z)}</td><td>{@code [h > 0]}</td></tr>
 *   <tr><td>{@link #IDENTITY}</td><td>{@code z}</td><td>{@code 1}</td></tr>
 *   <tr><td>{@link #SIGMOID} (Sigmoid)</td><td>{@code 1/(1 + e^−z)}</td><td>{@code h(1 − h)}</td></tr>
 *   <tr><td>{@link #affine} (Affine)</td><td>{@code αz + β}</td><td>{@code α}</td></tr>
 *   <tr><td>{@link #leakyRelu} (LeakyRelu), α ≥ 0</td><td>{@code z ≥ 0 ? z : αz}</td><td>{@code h > 0 ? 1 : α}</td></tr>
 *   <tr><td>{@link #thresholdedRelu} (ThresholdedRelu)</td><td>{@code z > α ? z : 0}</td><td>{@code [h ≠ 0]}</td></tr>
 *   <tr><td>{@link #scaledTanh} (ScaledTanh)</td><td>{@code α·tanh(βz)}</td><td>{@code αβ(1 − (h/α)²)} (0 when α = 0)</td></tr>
 *   <tr><td>{@link #hardSigmoid} (HardSigmoid)</td><td>{@code min(max(αz + β, 0), 1)}</td><td>{@code 0 < h < 1 ? α : 0}</td></tr>
 *   <tr><td>{@link #elu} (Elu), α ≥ 0</td><td>{@code z ≥ 0 ? z : α(e^z − 1)}</td><td>{@code h > 0 ? 1 : h + α}</td></tr>
 *   <tr><td>{@link #SOFTSIGN} (Softsign)</td><td>{@code z/(1 + |z|)}</td><td>{@code (1 − |h|)²}</td></tr>
 *   <tr><td>{@link #SOFTPLUS} (Softplus)</td><td>{@code log(1 + e^z)}</td><td>{@code 1 − e^−h}</td></tr>
 * </table>
 * At a kink the derivative is the one-sided value the table gives (relu's is 0 at {@code z = 0},
 * as in PyTorch); a thresholded relu's jump at {@code z = α} contributes nothing, as in every
 * framework. Kinds without parameters have α = β = 0; kinds with one parameter have β = 0.
 *
 * <p>Every φ here is monotone on the set where its derivative is not zero, which is what lets a
 * layer that clips its pre-activation recover "clipped" from {@code h} too (see
 * {@link RecurrentWeights#clippedHigh()}).
 */
public final class Activation {

    /** The families of activations; {@link #parameters()} says how many of α, β each takes. */
    public enum Kind {
        /** {@code tanh z}. */
        TANH("tanh", 0),
        /** {@code max(0, z)}. */
        RELU("relu", 0),
        /** {@code z}. */
        IDENTITY("identity", 0),
        /** {@code 1/(1 + e^−z)}. */
        SIGMOID("sigmoid", 0),
        /** {@code αz + β}. */
        AFFINE("affine", 2),
        /** {@code z ≥ 0 ? z : αz}. */
        LEAKY_RELU("leaky_relu", 1),
        /** {@code z > α ? z : 0}. */
        THRESHOLDED_RELU("thresholded_relu", 1),
        /** {@code α·tanh(βz)}. */
        SCALED_TANH("scaled_tanh", 2),
        /** {@code min(max(αz + β, 0), 1)}. */
        HARD_SIGMOID("hard_sigmoid", 2),
        /** {@code z ≥ 0 ? z : α(e^z − 1)}. */
        ELU("elu", 1),
        /** {@code z/(1 + |z|)}. */
        SOFTSIGN("softsign", 0),
        /** {@code log(1 + e^z)}. */
        SOFTPLUS("softplus", 0);

        private final String label;
        private final int parameters;

        Kind(String label, int parameters) {
            this.label = label;
            this.parameters = parameters;
        }

        /** @return the lower-case name of the kind, as {@link Activation#label()} starts */
        public String label() {
            return label;
        }

        /** @return how many parameters the kind takes: 0 (none), 1 (α) or 2 (α, β) */
        public int parameters() {
            return parameters;
        }
    }

    /** {@code φ(z) = tanh z}, {@code φ'(z) = 1 − h²}. */
    public static final Activation TANH = new Activation(Kind.TANH, 0f, 0f);
    /**
     * {@code φ(z) = max(0, z)}, {@code φ'(z) = [h > 0]}. At {@code z = 0} the derivative is taken
     * as 0, as in PyTorch.
     */
    public static final Activation RELU = new Activation(Kind.RELU, 0f, 0f);
    /** {@code φ(z) = z}, {@code φ'(z) = 1}: the linear RNN. */
    public static final Activation IDENTITY = new Activation(Kind.IDENTITY, 0f, 0f);
    /** {@code φ(z) = 1/(1 + e^−z)}, {@code φ'(z) = h(1 − h)}. */
    public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0f, 0f);
    /** {@code φ(z) = z/(1 + |z|)}, {@code φ'(z) = (1 − |h|)²}. */
    public static final Activation SOFTSIGN = new Activation(Kind.SOFTSIGN, 0f, 0f);
    /** {@code φ(z) = log(1 + e^z)}, {@code φ'(z) = σ(z) = 1 − e^−h}. */
    public static final Activation SOFTPLUS = new Activation(Kind.SOFTPLUS, 0f, 0f);

    private static final String ACCEPTED = "tanh, relu, identity, sigmoid, softsign, softplus, affine(alpha, beta),"
            + " leaky_relu(alpha), thresholded_relu(alpha), scaled_tanh(alpha, beta), hard_sigmoid(alpha, beta),"
            + " elu(alpha)";

    private final Kind kind;
    private final float alpha;
    private final float beta;

    private Activation(Kind kind, float alpha, float beta) {
        this.kind = kind;
        // −0 and +0 are one parameter value: one label, one equals.
        this.alpha = alpha + 0f;
        this.beta = beta + 0f;
    }

    /**
     * {@code φ(z) = αz + β} (ONNX's Affine), {@code φ'(z) = α}.
     *
     * @param alpha α, finite
     * @param beta β, finite
     * @return the activation
     * @throws IllegalArgumentException when a parameter is not finite
     */
    public static Activation affine(float alpha, float beta) {
        return new Activation(Kind.AFFINE, finite(Kind.AFFINE, "alpha", alpha), finite(Kind.AFFINE, "beta", beta));
    }

    /**
     * {@code φ(z) = z} for {@code z ≥ 0}, else {@code αz} (ONNX's LeakyRelu; ONNX Runtime's default
     * α is 0.01); {@code φ'} is 1 where {@code h > 0}, else α.
     *
     * @param alpha α, finite and at least 0: a negative α maps both halves to positive outputs, so
     *     the derivative could not be recovered from {@code h}
     * @return the activation
     * @throws IllegalArgumentException when α is not finite or negative
     */
    public static Activation leakyRelu(float alpha) {
        return new Activation(Kind.LEAKY_RELU, notNegative(Kind.LEAKY_RELU, alpha), 0f);
    }

    /**
     * {@code φ(z) = z} for {@code z > α}, else 0 (ONNX's ThresholdedRelu; its default α is 1);
     * {@code φ'} is 1 where {@code h ≠ 0}, else 0. Any finite α: the outputs of the two branches
     * only meet at 0, where the derivative is 0 on the branch that reaches it.
     *
     * @param alpha α, the threshold, finite
     * @return the activation
     * @throws IllegalArgumentException when α is not finite
     */
    public static Activation thresholdedRelu(float alpha) {
        return new Activation(Kind.THRESHOLDED_RELU, finite(Kind.THRESHOLDED_RELU, "alpha", alpha), 0f);
    }

    /**
     * {@code φ(z) = α·tanh(βz)} (ONNX's ScaledTanh), {@code φ'(z) = αβ(1 − (h/α)²)}.
     *
     * @param alpha α, finite (α = 0 is the constant 0, whose derivative is 0)
     * @param beta β, finite
     * @return the activation
     * @throws IllegalArgumentException when a parameter is not finite
     */
    public static Activation scaledTanh(float alpha, float beta) {
        return new Activation(Kind.SCALED_TANH, finite(Kind.SCALED_TANH, "alpha", alpha),
                finite(Kind.SCALED_TANH, "beta", beta));
    }

    /**
     * {@code φ(z) = min(max(αz + β, 0), 1)} (ONNX's HardSigmoid; its defaults are α = 0.2,
     * β = 0.5); {@code φ'} is α where {@code 0 < h < 1}, else 0.
     *
     * @param alpha α, finite
     * @param beta β, finite
     * @return the activation
     * @throws IllegalArgumentException when a parameter is not finite
     */
    public static Activation hardSigmoid(float alpha, float beta) {
        return new Activation(Kind.HARD_SIGMOID, finite(Kind.HARD_SIGMOID, "alpha", alpha),
                finite(Kind.HARD_SIGMOID, "beta", beta));
    }

    /**
     * {@code φ(z) = z} for {@code z ≥ 0}, else {@code α(e^z − 1)} (ONNX's Elu; its default α is 1);
     * {@code φ'} is 1 where {@code h > 0}, else {@code h + α}.
     *
     * @param alpha α, finite and at least 0: with a negative α the negative half's outputs are
     *     positive too, so the derivative could not be recovered from {@code h}
     * @return the activation
     * @throws IllegalArgumentException when α is not finite or negative
     */
    public static Activation elu(float alpha) {
        return new Activation(Kind.ELU, notNegative(Kind.ELU, alpha), 0f);
    }

    /** @return the family */
    public Kind kind() {
        return kind;
    }

    /** @return α, or 0 for a kind without parameters */
    public float alpha() {
        return alpha;
    }

    /** @return β, or 0 for a kind with fewer than two parameters */
    public float beta() {
        return beta;
    }

    /**
     * Applies φ in double precision, the formulas of the class table. NaN stays NaN.
     *
     * @param z the pre-activation
     * @return {@code φ(z)}
     */
    public double apply(double z) {
        double a = alpha;
        double b = beta;
        return switch (kind) {
            case TANH -> Math.tanh(z);
            // Math.max keeps NaN, so a NaN input is never laundered into 0.
            case RELU -> Math.max(0.0, z);
            case IDENTITY -> z;
            // Two forms, so that neither exp overflows and small values keep their relative accuracy.
            case SIGMOID -> z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
            case AFFINE -> a * z + b;
            case LEAKY_RELU -> z >= 0 ? z : a * z;
            // Written so that NaN (for which every comparison is false) takes the branch that keeps it.
            case THRESHOLDED_RELU -> z <= a ? 0.0 : z;
            case SCALED_TANH -> a * Math.tanh(b * z);
            case HARD_SIGMOID -> Math.min(Math.max(a * z + b, 0.0), 1.0);
            case ELU -> z >= 0 ? z : a * Math.expm1(z);
            case SOFTSIGN -> z / (1.0 + Math.abs(z));
            // log(1 + e^z) = max(z, 0) + log(1 + e^−|z|): no overflow, and log1p keeps small results exact.
            case SOFTPLUS -> Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
        };
    }

    /**
     * The derivative {@code φ'(z)} expressed through the output {@code h = φ(z)}, in double.
     *
     * @param h an output of {@link #apply}
     * @return {@code φ'(z)} where {@code φ(z) = h}
     */
    public double derivativeFromOutput(double h) {
        double a = alpha;
        return switch (kind) {
            case TANH -> 1.0 - h * h;
            case RELU -> h > 0.0 ? 1.0 : 0.0;
            case IDENTITY -> 1.0;
            case SIGMOID -> h * (1.0 - h);
            case AFFINE -> a;
            case LEAKY_RELU -> h > 0.0 ? 1.0 : a;
            case THRESHOLDED_RELU -> h != 0.0 ? 1.0 : 0.0;
            case SCALED_TANH -> a == 0.0 ? 0.0 : a * beta * (1.0 - (h / a) * (h / a));
            case HARD_SIGMOID -> h > 0.0 && h < 1.0 ? a : 0.0;
            case ELU -> h > 0.0 ? 1.0 : h + a;
            case SOFTSIGN -> (1.0 - Math.abs(h)) * (1.0 - Math.abs(h));
            // σ(z) = 1 − e^−h, through expm1 so that small h keeps its relative accuracy.
            case SOFTPLUS -> -Math.expm1(-h);
        };
    }

    /**
     * The stable text form used on command lines and in files: the kind's name, followed by its
     * parameters in brackets for kinds that take any, each as {@link Float#toString(float)} writes
     * it (the shortest text that reads back to the same float), e.g. {@code tanh},
     * {@code leaky_relu(0.01)}, {@code hard_sigmoid(0.2,0.5)}. {@link #parse} reads it back to an
     * equal activation.
     *
     * @return the label
     */
    public String label() {
        return switch (kind.parameters()) {
            case 0 -> kind.label();
            case 1 -> kind.label() + "(" + alpha + ")";
            default -> kind.label() + "(" + alpha + "," + beta + ")";
        };
    }

    /**
     * Parses a label as written by {@link #label()}, ignoring case and white space around the
     * name and the parameters; parameters are decimal floats ({@code 0.01}, {@code 1e-3}).
     *
     * @param text e.g. {@code tanh}, {@code " ReLU "}, {@code elu(1.0)}, {@code affine(2, -1)}
     * @return the activation
     * @throws IllegalArgumentException naming the text and the accepted forms when the name is
     *     unknown, the number of parameters is not the kind's, a parameter is not a number, or a
     *     value is one the kind refuses
     */
    public static Activation parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("unknown activation 'null': expected one of " + ACCEPTED);
        }
        String trimmed = text.trim();
        int open = trimmed.indexOf('(');
        String name = (open < 0 ? trimmed : trimmed.substring(0, open)).trim().toLowerCase(Locale.ROOT);
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.label().equals(name)) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("unknown activation '" + text + "': expected one of " + ACCEPTED);
        }
        float[] values = parameters(text, kind, trimmed, open);
        try {
            return switch (kind) {
                case TANH -> TANH;
                case RELU -> RELU;
                case IDENTITY -> IDENTITY;
                case SIGMOID -> SIGMOID;
                case SOFTSIGN -> SOFTSIGN;
                case SOFTPLUS -> SOFTPLUS;
                case AFFINE -> affine(values[0], values[1]);
                case LEAKY_RELU -> leakyRelu(values[0]);
                case THRESHOLDED_RELU -> thresholdedRelu(values[0]);
                case SCALED_TANH -> scaledTanh(values[0], values[1]);
                case HARD_SIGMOID -> hardSigmoid(values[0], values[1]);
                case ELU -> elu(values[0]);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("activation '" + text + "': " + e.getMessage(), e);
        }
    }

    private static float[] parameters(String text, Kind kind, String trimmed, int open) {
        String expected = kind.parameters() == 0 ? kind.label() + " (no parameters)"
                : kind.parameters() == 1 ? kind.label() + "(alpha)" : kind.label() + "(alpha, beta)";
        if (open < 0) {
            if (kind.parameters() == 0) {
                return new float[0];
            }
            throw new IllegalArgumentException("activation '" + text + "' needs its parameters: expected " + expected);
        }
        if (!trimmed.endsWith(")")) {
            throw new IllegalArgumentException("activation '" + text + "' does not end with ')': expected " + expected);
        }
        String inside = trimmed.substring(open + 1, trimmed.length() - 1);
        String[] parts = inside.isBlank() ? new String[0] : inside.split(",", -1);
        if (parts.length != kind.parameters()) {
            throw new IllegalArgumentException("activation '" + text + "' has " + parts.length + " parameter"
                    + (parts.length == 1 ? "" : "s") + ": expected " + expected);
        }
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            // Float.parseFloat also reads hexadecimal, "NaN" and a trailing 'f'; a label never has
            // them, and refusing them keeps one spelling per value.
            if (!part.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
                throw new IllegalArgumentException("activation '" + text + "': parameter " + (i + 1) + " '" + part
                        + "' is not a decimal number: expected " + expected);
            }
            values[i] = Float.parseFloat(part);
        }
        return values;
    }

    private static float finite(Kind kind, String name, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(kind.label() + " " + name + " must be finite, got " + value);
        }
        return value;
    }

    private static float notNegative(Kind kind, float alpha) {
        finite(kind, "alpha", alpha);
        if (alpha < 0) {
            throw new IllegalArgumentException(kind.label() + " alpha must be at least 0, got " + alpha
                    + ": with a negative alpha both halves give positive outputs, and the derivative the backward"
                    + " pass recovers from the output would be ambiguous");
        }
        return alpha;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Activation a && kind == a.kind && Float.floatToIntBits(alpha) == Float.floatToIntBits(a.alpha)
                && Float.floatToIntBits(beta) == Float.floatToIntBits(a.beta);
    }

    @Override
    public int hashCode() {
        return (kind.ordinal() * 31 + Float.floatToIntBits(alpha)) * 31 + Float.floatToIntBits(beta);
    }

    /** @return {@link #label()} */
    @Override
    public String toString() {
        return label();
    }
}
