package dev.elman.engine.model;

/**
 * The sizes a {@link StackRunner} and its parts are built from: the model's shape and the runner's
 * bounds, checked once.
 *
 * @param layers L
 * @param direction which way the layers read
 * @param directions D, 1 or 2
 * @param inputSize I, the width of the model's input rows
 * @param hiddenSize H
 * @param featureSize the width of the features a layer hands on ({@code 2H} for a concatenating
 *     bidirectional layer, else {@code H})
 * @param outputWidth W, the width of an output row (the head's, or the top features)
 * @param hasHead whether the model has an output head
 * @param concat whether a bidirectional layer concatenates its directions (rather than summing them)
 * @param capacity the most steps the window holds
 * @param maxBatch the largest batch
 */
record StackShape(int layers, Direction direction, int directions, int inputSize, int hiddenSize, int featureSize, int outputWidth,
                  boolean hasHead, boolean concat, int capacity, int maxBatch) {

    /**
     * The shape of a runner for a model.
     *
     * @throws IllegalArgumentException when a bound is below 1
     */
    static StackShape of(ModelConfig config, int capacity, int maxBatch) {
        if (capacity < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1, got " + capacity);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        return new StackShape(config.layers(), config.direction(), config.directions(), config.inputSize(), config.hiddenSize(),
                config.featureSize(), config.outputWidth(), config.hasHead(),
                config.bidirectional() && config.merge() == Merge.CONCAT, capacity, maxBatch);
    }

    boolean bidirectional() {
        return directions == 2;
    }

    /**
     * @return whether some direction reads from the end of the sequence (a reverse or
     *     bidirectional model), so that the model takes each whole sequence in one span
     */
    boolean readsFromEnd() {
        return direction != Direction.FORWARD;
    }

    /** @return whether cell {@code l·D + d} walks its span from the end (the kernels' {@code reverse}) */
    boolean walksBackward(int cell) {
        return direction.walksBackward(cell % directions);
    }

    /** @return L·D, the number of (layer, direction) cells of the grid */
    int cells() {
        return layers * directions;
    }

    /** @return the width of the rows layer {@code l} reads: I for the first layer, the features above it */
    int layerInputWidth(int l) {
        return l == 0 ? inputSize : featureSize;
    }

    /** @return the widest row any layer reads, which sizes the workspace */
    int maxLayerInput() {
        return Math.max(inputSize, featureSize);
    }

    /**
     * A buffer of {@code capacity × maxBatch} rows of a width.
     *
     * @param formula how the size is made up, for the message when it is too large
     * @throws IllegalArgumentException when the rows would not fit in a Java array
     */
    float[] rows(int width, String formula) {
        long count = (long) capacity * maxBatch * width;
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(formula + " = " + count + " elements, more than a Java array holds");
        }
        return new float[(int) count];
    }
}
