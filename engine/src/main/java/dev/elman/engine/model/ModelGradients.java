package dev.elman.engine.model;

import dev.elman.kernels.HeadGradients;
import dev.elman.kernels.RecurrentGradients;

/**
 * Gradient accumulators for every parameter of a model: the kernels' per-layer
 * {@link RecurrentGradients} and the head's {@link HeadGradients}, also seen as
 * {@link #parameters() named tensors} with exactly the model's parameter names and shapes.
 *
 * <p>Backward passes add into them; {@link #zero()} starts a new sum. Not thread-safe.
 */
public final class ModelGradients {
    private final ModelConfig config;
    private final RecurrentGradients[] recurrent;
    private final HeadGradients head;
    private final Parameters view;

    /**
     * Zeroed accumulators for a configuration.
     *
     * @param config the model's shape
     * @throws IllegalArgumentException when config is null
     */
    public ModelGradients(ModelConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        this.config = config;
        int directions = config.directions();
        int h = config.hiddenSize();
        this.recurrent = new RecurrentGradients[config.layers() * directions];
        int tensorCount = config.layers() * directions * (config.bias() ? 3 : 2)
                + (config.hasHead() ? (config.headBias() ? 2 : 1) : 0);
        Tensor[] tensors = new Tensor[tensorCount];
        int next = 0;
        for (int l = 0; l < config.layers(); l++) {
            int in = config.layerInputSize(l);
            for (int d = 0; d < directions; d++) {
                boolean reverse = d == 1;
                RecurrentGradients g = new RecurrentGradients(in, h, config.bias());
                recurrent[l * directions + d] = g;
                tensors[next++] = new Tensor(ParameterNames.inputWeights(l, reverse), new int[] {h, in}, g.dWx());
                tensors[next++] = new Tensor(ParameterNames.recurrentWeights(l, reverse), new int[] {h, h}, g.dWh());
                if (config.bias()) {
                    tensors[next++] = new Tensor(ParameterNames.bias(l, reverse), new int[] {h}, g.db());
                }
            }
        }
        if (config.hasHead()) {
            head = new HeadGradients(config.featureSize(), config.outputSize(), config.headBias());
            tensors[next++] = new Tensor(ParameterNames.HEAD_WEIGHTS,
                    new int[] {config.outputSize(), config.featureSize()}, head.dW());
            if (config.headBias()) {
                tensors[next++] = new Tensor(ParameterNames.HEAD_BIAS, new int[] {config.outputSize()}, head.db());
            }
        } else {
            head = null;
        }
        this.view = new Parameters(config, tensors);
    }

    /** @return the configuration these gradients are shaped for */
    public ModelConfig config() {
        return config;
    }

    /** @return the gradients as named tensors (live), names and shapes as the model's parameters */
    public Parameters parameters() {
        return view;
    }

    /**
     * @param layer 0 … L − 1
     * @param reverse the reverse direction of a bidirectional layer
     * @return that layer's accumulators (live)
     */
    public RecurrentGradients recurrent(int layer, boolean reverse) {
        config.checkLayer(layer);
        if (reverse && !config.bidirectional()) {
            throw new IllegalArgumentException("reverse: this model is unidirectional");
        }
        return recurrent[layer * config.directions() + (reverse ? 1 : 0)];
    }

    /** @return the head's accumulators (live), or null when the model has no head */
    public HeadGradients head() {
        return head;
    }

    /** Sets every accumulator to zero. */
    public void zero() {
        for (RecurrentGradients g : recurrent) {
            g.zero();
        }
        if (head != null) {
            head.zero();
        }
    }

    /** @return the global Euclidean norm over every gradient value, summed in double */
    public double norm() {
        return view.norm();
    }

    RecurrentGradients recurrent(int layerDirection) {
        return recurrent[layerDirection];
    }
}
