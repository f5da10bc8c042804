package dev.elman.onnx;

import dev.elman.kernels.Activation;

import java.util.Locale;

/**
 * An activation of ONNX's {@code RNN} operator as a name with its {@code alpha} and {@code beta},
 * and its Elman {@link Activation}.
 *
 * <p>Parameters follow ONNX Runtime: {@code activation_alpha} and {@code activation_beta} are
 * consumed in the order of the activations, each list only by the functions that use that
 * parameter (Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid and Elu take alpha;
 * Affine, ScaledTanh and HardSigmoid take beta); a function that finds its list used up takes
 * its default: LeakyRelu 0.01, HardSigmoid 0.2 and 0.5, Elu 1.0, and 0 for the others (ONNX
 * Runtime's defaults; ONNX's own ThresholdedRelu operator defaults to 1.0, but a model that
 * relies on the default gets what ONNX Runtime computes). Names are matched ignoring case.
 *
 * @param name the canonical ONNX spelling ({@code Tanh}, {@code LeakyRelu}, …)
 * @param alpha its alpha (0 when it takes none)
 * @param beta its beta (0 when it takes none)
 */
record OnnxActivation(String name, float alpha, float beta) {
    private static final String[] NAMES = {"Relu", "Tanh", "Sigmoid", "Affine", "LeakyRelu", "ThresholdedRelu",
            "ScaledTanh", "HardSigmoid", "Elu", "Softsign", "Softplus"};

    /** Reads the activations' parameters off the two lists, advancing each cursor by what it takes. */
    static final class Parameters {
        private final float[] alphas;
        private final float[] betas;
        private int nextAlpha;
        private int nextBeta;

        Parameters(float[] alphas, float[] betas) {
            this.alphas = alphas == null ? new float[0] : alphas;
            this.betas = betas == null ? new float[0] : betas;
        }

        OnnxActivation next(String spelled, String node) throws UnsupportedOnnxException {
            String name = canonical(spelled, node);
            boolean takesAlpha = switch (name) {
                case "Affine", "LeakyRelu", "ThresholdedRelu", "ScaledTanh", "HardSigmoid", "Elu" -> true;
                default -> false;
            };
            boolean takesBeta = switch (name) {
                case "Affine", "ScaledTanh", "HardSigmoid" -> true;
                default -> false;
            };
            float defaultAlpha = switch (name) {
                case "LeakyRelu" -> 0.01f;
                case "HardSigmoid" -> 0.2f;
                case "Elu" -> 1.0f;
                default -> 0f;
            };
            float defaultBeta = name.equals("HardSigmoid") ? 0.5f : 0f;
            float alpha = !takesAlpha ? 0f : nextAlpha < alphas.length ? alphas[nextAlpha++] : defaultAlpha;
            float beta = !takesBeta ? 0f : nextBeta < betas.length ? betas[nextBeta++] : defaultBeta;
            return new OnnxActivation(name, alpha, beta);
        }

        /** Refuses parameters left over after every activation took its own: they belong to nothing. */
        void requireUsedUp(String node) throws OnnxException {
            if (nextAlpha < alphas.length) {
                throw new OnnxException(node + ": activation_alpha has " + alphas.length
                        + " values, but the activations take " + nextAlpha);
            }
            if (nextBeta < betas.length) {
                throw new OnnxException(node + ": activation_beta has " + betas.length
                        + " values, but the activations take " + nextBeta);
            }
        }
    }

    private static String canonical(String spelled, String node) throws UnsupportedOnnxException {
        for (String n : NAMES) {
            if (n.toLowerCase(Locale.ROOT).equals(spelled.toLowerCase(Locale.ROOT))) {
                return n;
            }
        }
        throw new UnsupportedOnnxException(node + ": activation '" + spelled + "' is not one of the RNN operator's ("
                + String.join(", ", NAMES) + ")");
    }

    /**
     * The Elman activation computing this function. ONNX's Affine with α = 1 and β = 0 is Elman's
     * identity.
     *
     * @param node the node, for the message
     * @return the Elman activation
     * @throws UnsupportedOnnxException when Elman refuses the parameters: a LeakyRelu or Elu with
     *     α &lt; 0, whose derivative cannot be recovered from its output (see {@link Activation})
     */
    Activation toElman(String node) throws UnsupportedOnnxException {
        try {
            return switch (name) {
                case "Tanh" -> Activation.TANH;
                case "Relu" -> Activation.RELU;
                case "Sigmoid" -> Activation.SIGMOID;
                case "Softsign" -> Activation.SOFTSIGN;
                case "Softplus" -> Activation.SOFTPLUS;
                case "Affine" -> alpha == 1f && beta == 0f ? Activation.IDENTITY : Activation.affine(alpha, beta);
                case "LeakyRelu" -> Activation.leakyRelu(alpha);
                case "ThresholdedRelu" -> Activation.thresholdedRelu(alpha);
                case "ScaledTanh" -> Activation.scaledTanh(alpha, beta);
                case "HardSigmoid" -> Activation.hardSigmoid(alpha, beta);
                case "Elu" -> Activation.elu(alpha);
                default -> throw new UnsupportedOnnxException(node + ": activation " + this + " is not supported");
            };
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOnnxException(node + ": activation " + this + " is not supported: " + e.getMessage());
        }
    }

    /**
     * @param activation an Elman activation
     * @return the ONNX function computing it (identity is Affine with α = 1, β = 0)
     */
    static OnnxActivation of(Activation activation) {
        float a = activation.alpha();
        float b = activation.beta();
        return switch (activation.kind()) {
            case TANH -> new OnnxActivation("Tanh", 0f, 0f);
            case RELU -> new OnnxActivation("Relu", 0f, 0f);
            case IDENTITY -> new OnnxActivation("Affine", 1f, 0f);
            case SIGMOID -> new OnnxActivation("Sigmoid", 0f, 0f);
            case SOFTSIGN -> new OnnxActivation("Softsign", 0f, 0f);
            case SOFTPLUS -> new OnnxActivation("Softplus", 0f, 0f);
            case AFFINE -> new OnnxActivation("Affine", a, b);
            case LEAKY_RELU -> new OnnxActivation("LeakyRelu", a, 0f);
            case THRESHOLDED_RELU -> new OnnxActivation("ThresholdedRelu", a, 0f);
            case SCALED_TANH -> new OnnxActivation("ScaledTanh", a, b);
            case HARD_SIGMOID -> new OnnxActivation("HardSigmoid", a, b);
            case ELU -> new OnnxActivation("Elu", a, 0f);
        };
    }

    /** @return whether the function reads alpha */
    boolean takesAlpha() {
        return switch (name) {
            case "Affine", "LeakyRelu", "ThresholdedRelu", "ScaledTanh", "HardSigmoid", "Elu" -> true;
            default -> false;
        };
    }

    /** @return whether the function reads beta */
    boolean takesBeta() {
        return switch (name) {
            case "Affine", "ScaledTanh", "HardSigmoid" -> true;
            default -> false;
        };
    }

    @Override
    public String toString() {
        return name + (takesAlpha() ? "(alpha=" + alpha + (takesBeta() ? ", beta=" + beta : "") + ")" : "");
    }
}
