package dev.elman.engine.interop;

import dev.elman.engine.io.Tensor;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The gradients of a loss {@code L = Σ GY ⊙ Y} for an {@code nn.RNN}, as PyTorch's autograd
 * reports them after {@code Y.backward(GY)}, in float32.
 *
 * @param weights {@code dL/dθ} for every parameter, under its own key ({@link TorchRnnKeys}) and shape
 * @param input {@code dL/dX}, shaped like the input
 * @param initialState {@code dL/dH0}, shaped like {@code h_0}
 */
public record TorchRnnGradients(SortedMap<String, Tensor> weights, Tensor input, Tensor initialState) {
    /**
     * Copies the map; the tensors themselves are shared, not copied.
     *
     * @throws IllegalArgumentException when an argument is null
     */
    public TorchRnnGradients {
        if (weights == null || input == null || initialState == null) {
            throw new IllegalArgumentException("weights, input and initialState must not be null");
        }
        weights = Collections.unmodifiableSortedMap(new TreeMap<>(weights));
    }

    /**
     * Everything in one map, as {@code rnn grad} writes it: the weight gradients under their keys,
     * {@value TorchRnnKeys#INPUT_GRADIENT} and {@value TorchRnnKeys#INITIAL_STATE_GRADIENT}.
     *
     * @return the tensors, ordered by key, unmodifiable
     */
    public SortedMap<String, Tensor> tensors() {
        SortedMap<String, Tensor> all = new TreeMap<>(weights);
        all.put(TorchRnnKeys.INPUT_GRADIENT, input);
        all.put(TorchRnnKeys.INITIAL_STATE_GRADIENT, initialState);
        return Collections.unmodifiableSortedMap(all);
    }
}
