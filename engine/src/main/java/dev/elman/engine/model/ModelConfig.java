package dev.elman.engine.model;

import dev.elman.kernels.Activation;

import java.util.Objects;

/**
 * The shape of an Elman network, immutable: input size, hidden size, stacked layers, direction,
 * activation, biases and an optional output head.
 *
 * <p>Layer {@code l} reads {@link #layerInputSize(int) I_l} features per step (the input size for
 * layer 0; the features of layer {@code l − 1} above it) and computes, per direction,
 * {@code h_t = φ(Wx·x_t + Wh·h_{t−1} + b)} with {@code H} units. A bidirectional layer runs a second
 * recurrence from the end of the sequence and {@link Merge merges} the two: concatenated
 * ({@code 2H} features) or summed ({@code H}). The features of the top layer
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
    private final boolean bidirectional;
    private final Merge merge;
    private final Activation activation;
    private final boolean bias;
    private final int outputSize;
    private final boolean headBias;

    private ModelConfig(Builder b) {
        this.inputSize = b.inputSize;
        this.hiddenSize = b.hiddenSize;
        this.layers = b.layers;
        this.bidirectional = b.bidirectional;
        this.merge = b.merge;
        this.activation = b.activation;
        this.bias = b.bias;
        this.outputSize = b.outputSize;
        this.headBias = b.headBias;
    }

    /**
     * A builder with the defaults: 1 layer, unidirectional, tanh, biases on, no head. Input and
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
        b.bidirectional = bidirectional;
        b.merge = merge;
        b.activation = activation;
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

    /** @return whether every layer also runs from the end of the sequence */
    public boolean bidirectional() {
        return bidirectional;
    }

    /** @return D, 2 when bidirectional, else 1 */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** @return how the two directions combine (only meaningful when bidirectional; CONCAT otherwise) */
    public Merge merge() {
        return merge;
    }

    /** @return φ of every recurrent layer */
    public Activation activation() {
        return activation;
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
        return bidirectional && merge == Merge.CONCAT ? 2 * hiddenSize : hiddenSize;
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
                && layers == c.layers && bidirectional == c.bidirectional && merge == c.merge
                && activation == c.activation && bias == c.bias && outputSize == c.outputSize
                && headBias == c.headBias;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputSize, hiddenSize, layers, bidirectional, merge, activation, bias, outputSize, headBias);
    }

    @Override
    public String toString() {
        return "ModelConfig[inputSize=" + inputSize + ", hiddenSize=" + hiddenSize + ", layers=" + layers
                + ", bidirectional=" + bidirectional + (bidirectional ? ", merge=" + merge.label() : "")
                + ", activation=" + activation.label() + ", bias=" + bias
                + (hasHead() ? ", outputSize=" + outputSize + ", headBias=" + headBias : ", no head") + "]";
    }

    /** Collects the values of a {@link ModelConfig}; not thread-safe, reusable. */
    public static final class Builder {
        /** Largest number of elements of one parameter tensor or activation block a Java array holds. */
        private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

        private int inputSize;
        private int hiddenSize;
        private int layers = 1;
        private boolean bidirectional;
        private Merge merge = Merge.CONCAT;
        private Activation activation = Activation.TANH;
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
         * @param bidirectional whether each layer also runs from the end (default false)
         * @return this builder
         */
        public Builder bidirectional(boolean bidirectional) {
            this.bidirectional = bidirectional;
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
         * @param activation φ (default tanh)
         * @return this builder
         * @throws IllegalArgumentException when null
         */
        public Builder activation(Activation activation) {
            if (activation == null) {
                throw new IllegalArgumentException("activation must not be null: expected tanh, relu or identity");
            }
            this.activation = activation;
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
            if (merge == Merge.SUM && !bidirectional) {
                throw new IllegalArgumentException("merge sum combines two directions: it needs bidirectional(true)");
            }
            long features = bidirectional && merge == Merge.CONCAT ? 2L * hiddenSize : hiddenSize;
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
