package dev.elman.engine.model;

import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentWeights;

import java.util.Objects;

/**
 * The shape of an Elman network, immutable: input size, hidden size, stacked layers, direction,
 * activations, clip, biases and an optional output head.
 *
 * <p>Layer {@code l} reads {@link #layerInputSize(int) I_l} features per step (the input size for
 * layer 0; the features of layer {@code l − 1} above it) and computes, per direction,
 * {@code h_t = φ(clip(Wx·x_t + Wh·h_{t−1} + b))} with {@code H} units, where {@code clip} bounds
 * the pre-activation to {@code [−c, c]} when {@link #clip()} is {@code c > 0} (ONNX's
 * {@code clip}). The {@link Direction} says which way the layers read: a {@link Direction#REVERSE}
 * model from the end of the sequence; a bidirectional layer runs a second recurrence from the end
 * and {@link Merge merges} the two: concatenated ({@code 2H} features) or summed ({@code H}). Each
 * direction has its own φ ({@link #activation(boolean)}), the same in every layer. The features of the top layer
 * ({@link #featureSize()} wide) are the model's output, or feed the head
 * {@code y_t = Wy·h_t + by} when {@link #outputSize()} is set.
 *
 * <p>Build with {@link #builder()}; every setter checks its value and {@link Builder#build()} checks
 * the combination, each failure an {@link IllegalArgumentException} naming the field, what it
 * accepts and what it got.
 */
public final class ModelConfig {
    private final int inputSize;
    private final int hiddenSize;
    private final int layers;
    private final Direction direction;
    private final Merge merge;
    private final Activation activation;
    private final Activation reverseActivation;
    private final float clip;
    private final boolean bias;
    private final int outputSize;
    private final boolean headBias;

    private ModelConfig(Builder b) {
        this.inputSize = b.inputSize;
        this.hiddenSize = b.hiddenSize;
        this.layers = b.layers;
        this.direction = b.direction;
        this.merge = b.merge;
        // A unidirectional model keeps only the φ of its direction, so that equal models are equal
        // whatever the builder held for the direction they do not have.
        Activation used = b.direction == Direction.REVERSE ? b.reverseActivation : b.activation;
        this.activation = b.direction == Direction.BIDIRECTIONAL ? b.activation : used;
        this.reverseActivation = b.direction == Direction.BIDIRECTIONAL ? b.reverseActivation : used;
        this.clip = b.clip;
        this.bias = b.bias;
        this.outputSize = b.outputSize;
        this.headBias = b.headBias;
    }

    /**
     * A builder with the defaults: 1 layer, forward, tanh, no clip, biases on, no head. Input and
     * hidden size have no default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this configuration.
     *
     * @return a new builder holding these values
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.inputSize = inputSize;
        b.hiddenSize = hiddenSize;
        b.layers = layers;
        b.direction = direction;
        b.merge = merge;
        b.activation = activation;
        b.reverseActivation = reverseActivation;
        b.clip = clip;
        b.bias = bias;
        b.outputSize = outputSize;
        b.headBias = headBias;
        return b;
    }

    /** @return I, the features per step of the model's input */
    public int inputSize() {
        return inputSize;
    }

    /** @return H, the units of every recurrent layer in each direction */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** @return L, the number of stacked recurrent layers */
    public int layers() {
        return layers;
    }

    /** @return which way the layers read their sequence */
    public Direction direction() {
        return direction;
    }

    /** @return whether every layer also runs from the end of the sequence */
    public boolean bidirectional() {
        return direction == Direction.BIDIRECTIONAL;
    }

    /** @return D, 2 when bidirectional, else 1 */
    public int directions() {
        return direction.count();
    }

    /** @return how the two directions combine (only meaningful when bidirectional; CONCAT otherwise) */
    public Merge merge() {
        return merge;
    }

    /**
     * The activation of the forward direction: φ of every layer of a forward model, of the
     * forward direction of a bidirectional one. A {@link Direction#REVERSE} model has only the
     * reverse direction's, {@link #activation(boolean) activation(true)}; for it this returns the
     * same, so that {@code activation()} is always the φ of the model's first direction.
     *
     * @return φ of the first direction of every layer
     */
    public Activation activation() {
        return activation;
    }

    /**
     * The activation of one direction, the same in every layer.
     *
     * @param reverse false for the direction reading from the start, true for the one reading from
     *     the end (the only one of a {@link Direction#REVERSE} model)
     * @return φ of that direction
     * @throws IllegalArgumentException when the model has no such direction
     */
    public Activation activation(boolean reverse) {
        if (reverse ? direction == Direction.FORWARD : direction == Direction.REVERSE) {
            throw new IllegalArgumentException("activation(" + reverse + "): a " + direction.label()
                    + " model has no " + (reverse ? "reverse" : "forward") + " direction");
        }
        return reverse ? reverseActivation : activation;
    }

    /**
     * The activation of direction {@code d} of a layer, as the parameters and states index it.
     *
     * @param d 0 … D − 1
     * @return φ of that direction
     */
    public Activation directionActivation(int d) {
        return direction.walksBackward(d) ? reverseActivation : activation;
    }

    /** @return the bound of every pre-activation, {@code z ← min(max(z, −clip), clip)}, or 0 for none */
    public float clip() {
        return clip;
    }

    /** @return whether the recurrent layers have a bias {@code b} */
    public boolean bias() {
        return bias;
    }

    /** @return O, the width of the output head, or 0 when the model has none */
    public int outputSize() {
        return outputSize;
    }

    /** @return whether there is an output head */
    public boolean hasHead() {
        return outputSize > 0;
    }

    /** @return whether the head has a bias {@code by} (meaningless without a head) */
    public boolean headBias() {
        return headBias;
    }

    /**
     * The features per step a layer reads.
     *
     * @param layer 0 … L−1
     * @return I for layer 0, {@link #featureSize()} for the layers above
     * @throws IllegalArgumentException when {@code layer} is out of range
     */
    public int layerInputSize(int layer) {
        checkLayer(layer);
        return layer == 0 ? inputSize : featureSize();
    }

    /** @return F, the features per step a layer hands on: 2H for concatenated directions, else H */
    public int featureSize() {
        return bidirectional() && merge == Merge.CONCAT ? 2 * hiddenSize : hiddenSize;
    }

    /** @return W, the width of the model's output per step: O with a head, else F */
    public int outputWidth() {
        return hasHead() ? outputSize : featureSize();
    }

    /** @return the number of trainable values (every element of every parameter tensor) */
    public long parameterCount() {
        long count = 0;
        for (int l = 0; l < layers; l++) {
            count += directions() * ((long) hiddenSize * layerInputSize(l) + (long) hiddenSize * hiddenSize
                    + (bias ? hiddenSize : 0));
        }
        if (hasHead()) {
            count += (long) outputSize * featureSize() + (headBias ? outputSize : 0);
        }
        return count;
    }

    void checkLayer(int layer) {
        if (layer < 0 || layer >= layers) {
            throw new IllegalArgumentException("layer must be in 0 … " + (layers - 1) + ", got " + layer);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && inputSize == c.inputSize && hiddenSize == c.hiddenSize
                && layers == c.layers && direction == c.direction && merge == c.merge
                && activation.equals(c.activation) && reverseActivation.equals(c.reverseActivation)
                && Float.floatToIntBits(clip) == Float.floatToIntBits(c.clip) && bias == c.bias
                && outputSize == c.outputSize && headBias == c.headBias;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputSize, hiddenSize, layers, direction, merge, activation, reverseActivation, clip, bias,
                outputSize, headBias);
    }

    @Override
    public String toString() {
        return "ModelConfig[inputSize=" + inputSize + ", hiddenSize=" + hiddenSize + ", layers=" + layers
                + ", bidirectional=" + bidirectional() + (bidirectional() ? ", merge=" + merge.label() : "")
                + (direction == Direction.REVERSE ? ", direction=reverse" : "")
                + ", activation=" + activation().label()
                + (bidirectional() && !activation.equals(reverseActivation)
                        ? ", reverseActivation=" + reverseActivation.label() : "")
                + (clip > 0 ? ", clip=" + clip : "") + ", bias=" + bias
                + (hasHead() ? ", outputSize=" + outputSize + ", headBias=" + headBias : ", no head") + "]";
    }

    /** Collects the values of a {@link ModelConfig}; not thread-safe, reusable. */
    public static final class Builder {
        /** Largest number of elements of one parameter tensor or activation block a Java array holds. */
        private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

        private int inputSize;
        private int hiddenSize;
        private int layers = 1;
        private Direction direction = Direction.FORWARD;
        private Merge merge = Merge.CONCAT;
        private Activation activation = Activation.TANH;
        private Activation reverseActivation = Activation.TANH;
        private float clip;
        private boolean bias = true;
        private int outputSize;
        private boolean headBias = true;

        private Builder() {
        }

        /**
         * @param inputSize I, at least 1
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder inputSize(int inputSize) {
            this.inputSize = positive("inputSize", inputSize);
            return this;
        }

        /**
         * @param hiddenSize H, at least 1
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder hiddenSize(int hiddenSize) {
            this.hiddenSize = positive("hiddenSize", hiddenSize);
            return this;
        }

        /**
         * @param layers L, at least 1 (default 1)
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder layers(int layers) {
            this.layers = positive("layers", layers);
            return this;
        }

        /**
         * @param bidirectional whether each layer also runs from the end (default false): true is
         *     {@code direction(BIDIRECTIONAL)}, false is {@code direction(FORWARD)}
         * @return this builder
         */
        public Builder bidirectional(boolean bidirectional) {
            this.direction = bidirectional ? Direction.BIDIRECTIONAL : Direction.FORWARD;
            return this;
        }

        /**
         * @param direction which way the layers read (default FORWARD)
         * @return this builder
         * @throws IllegalArgumentException when null
         */
        public Builder direction(Direction direction) {
            if (direction == null) {
                throw new IllegalArgumentException("direction must not be null: expected forward, reverse or bidirectional");
            }
            this.direction = direction;
            return this;
        }

        /**
         * @param merge how a bidirectional layer combines its directions (default CONCAT); SUM needs
         *     {@code bidirectional(true)}
         * @return this builder
         * @throws IllegalArgumentException when null
         */
        public Builder merge(Merge merge) {
            if (merge == null) {
                throw new IllegalArgumentException("merge must not be null: expected concat or sum");
            }
            this.merge = merge;
            return this;
        }

        /**
         * @param activation φ of every direction (default tanh)
         * @return this builder
         * @throws IllegalArgumentException when null
         */
        public Builder activation(Activation activation) {
            if (activation == null) {
                throw new IllegalArgumentException("activation must not be null: expected tanh, relu or identity");
            }
            return activations(activation, activation);
        }

        /**
         * Sets φ per direction, the same in every layer; a unidirectional model uses (and its
         * configuration keeps) only the one of its direction.
         *
         * @param forward φ of the direction reading from the start (default tanh)
         * @param reverse φ of the direction reading from the end (default tanh)
         * @return this builder
         * @throws IllegalArgumentException when either is null
         */
        public Builder activations(Activation forward, Activation reverse) {
            if (forward == null || reverse == null) {
                throw new IllegalArgumentException((forward == null ? "forward" : "reverse")
                        + " activation must not be null: expected an Activation such as tanh, relu or identity");
            }
            this.activation = forward;
            this.reverseActivation = reverse;
            return this;
        }

        /**
         * Bounds every pre-activation to {@code [−clip, clip]} before φ (ONNX's {@code clip}).
         *
         * @param clip 0 for none (the default), else positive and finite
         * @return this builder
         * @throws IllegalArgumentException when negative, NaN or infinite
         */
        public Builder clip(float clip) {
            this.clip = RecurrentWeights.checkClip(clip);
            return this;
        }

        /**
         * @param bias whether the recurrent layers have a bias (default true)
         * @return this builder
         */
        public Builder bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /**
         * Adds an output head {@code y = Wy·h + by} of the given width, or removes it with 0.
         *
         * @param outputSize O, at least 1, or 0 for no head (the default)
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder outputSize(int outputSize) {
            if (outputSize < 0) {
                throw new IllegalArgumentException("outputSize must be at least 1 (or 0 for no head), got " + outputSize);
            }
            this.outputSize = outputSize;
            return this;
        }

        /**
         * @param headBias whether the head has a bias (default true)
         * @return this builder
         */
        public Builder headBias(boolean headBias) {
            this.headBias = headBias;
            return this;
        }

        /**
         * Checks the combination and makes the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException when a required size is missing, SUM is asked of a
         *     unidirectional model, or a parameter tensor would not fit in a Java array
         */
        public ModelConfig build() {
            if (inputSize == 0) {
                throw new IllegalArgumentException("inputSize was not set: expected at least 1");
            }
            if (hiddenSize == 0) {
                throw new IllegalArgumentException("hiddenSize was not set: expected at least 1");
            }
            if (merge == Merge.SUM && direction != Direction.BIDIRECTIONAL) {
                throw new IllegalArgumentException("merge sum combines two directions: it needs bidirectional(true)");
            }
            long features = direction == Direction.BIDIRECTIONAL && merge == Merge.CONCAT ? 2L * hiddenSize : hiddenSize;
            fits("hiddenSize × hiddenSize (Wh)", (long) hiddenSize * hiddenSize);
            fits("hiddenSize × inputSize (Wx of layer 0)", (long) hiddenSize * inputSize);
            fits("hiddenSize × features (Wx of layers above 0)", hiddenSize * features);
            fits("outputSize × features (Wy)", outputSize * features);
            return new ModelConfig(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + value);
            }
            return value;
        }

        private static void fits(String what, long count) {
            if (count > MAX_ARRAY) {
                throw new IllegalArgumentException(what + " = " + count + " elements, more than a Java array holds ("
                        + MAX_ARRAY + ")");
            }
        }
    }
}
