package dev.elman.kernels;

import java.util.Locale;

/**
 * The non-linearity φ of a recurrent layer, {@code h = φ(z)}.
 *
 * <p>Backward passes never store the pre-activation {@code z}: the derivative is recovered from the
 * output {@code h} alone, which is why every constant here has {@link #derivativeFromOutput}.
 */
public enum Activation {
    /** {@code φ(z) = tanh z}, {@code φ'(z) = 1 − h²}. */
    TANH {
        @Override
        public double apply(double z) {
            return Math.tanh(z);
        }

        @Override
        public double derivativeFromOutput(double h) {
            return 1.0 - h * h;
        }
    },
    /**
     * {@code φ(z) = max(0, z)}, {@code φ'(z) = [h > 0]}. At {@code z = 0} the derivative is taken
     * as 0, as in PyTorch.
     */
    RELU {
        @Override
        public double apply(double z) {
            // Math.max keeps NaN, so a NaN input is never laundered into 0.
            return Math.max(0.0, z);
        }

        @Override
        public double derivativeFromOutput(double h) {
            return h > 0.0 ? 1.0 : 0.0;
        }
    },
    /** {@code φ(z) = z}, {@code φ'(z) = 1}: the linear RNN (and the IRNN's recurrence with relu off). */
    IDENTITY {
        @Override
        public double apply(double z) {
            return z;
        }

        @Override
        public double derivativeFromOutput(double h) {
            return 1.0;
        }
    };

    /**
     * Applies φ.
     *
     * @param z the pre-activation
     * @return {@code φ(z)}
     */
    public abstract double apply(double z);

    /**
     * The derivative {@code φ'(z)} expressed through the output {@code h = φ(z)}.
     *
     * @param h an output of {@link #apply}
     * @return {@code φ'(z)} where {@code φ(z) = h}
     */
    public abstract double derivativeFromOutput(double h);

    /**
     * The lower-case name used on command lines and in files ({@code tanh}, {@code relu},
     * {@code identity}).
     *
     * @return the name
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a name as written by {@link #label()}, ignoring case.
     *
     * @param name {@code tanh}, {@code relu} or {@code identity}
     * @return the activation
     * @throws IllegalArgumentException naming the accepted values when {@code name} is none of them
     */
    public static Activation parse(String name) {
        if (name != null) {
            for (Activation a : values()) {
                if (a.label().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown activation '" + name + "': expected one of tanh, relu, identity");
    }
}
