package dev.elman.engine.model;

import dev.elman.engine.io.Tensor;
import dev.elman.kernels.HeadGradients;
import dev.elman.kernels.RecurrentGradients;

import java.util.LinkedHashMap;
import java.util.Map;

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
        // Named views of the accumulators themselves (wrapped, not copied), so the view stays live.
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int l = 0; l < config.layers(); l++) {
            int in = config.layerInputSize(l);
            for (int d = 0; d < directions; d++) {
                boolean reverse = d == 1;
                RecurrentGradients g = new RecurrentGradients(in, h, config.bias());
                recurrent[l * directions + d] = g;
                tensors.put(ParameterNames.inputWeights(l, reverse), Tensor.wrap(g.dWx(), h, in));
                tensors.put(ParameterNames.recurrentWeights(l, reverse), Tensor.wrap(g.dWh(), h, h));
                if (config.bias()) {
                    tensors.put(ParameterNames.bias(l, reverse), Tensor.wrap(g.db(), h));
                }
            }
        }
        if (config.hasHead()) {
            head = new HeadGradients(config.featureSize(), config.outputSize(), config.headBias());
            tensors.put(ParameterNames.HEAD_WEIGHTS, Tensor.wrap(head.dW(), config.outputSize(), config.featureSize()));
            if (config.headBias()) {
                tensors.put(ParameterNames.HEAD_BIAS, Tensor.wrap(head.db(), config.outputSize()));
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
