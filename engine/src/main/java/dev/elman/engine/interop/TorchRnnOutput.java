package dev.elman.engine.interop;

import dev.elman.engine.io.Tensor;

/**
 * What {@code torch.nn.RNN(...)(input, h_0)} returns, as float32 tensors in torch's shapes.
 *
 * @param output {@code [T, B, D·H]} (or {@code [T, D·H]} for an unbatched input): the top layer's
 *     states, the two directions concatenated
 * @param finalState {@code h_n}, {@code [L·D, B, H]} (or {@code [L·D, H]} unbatched)
 */
public record TorchRnnOutput(Tensor output, Tensor finalState) {
    /**
     * @throws IllegalArgumentException when a tensor is null
     */
    public TorchRnnOutput {
        if (output == null || finalState == null) {
            throw new IllegalArgumentException("output and finalState must not be null");
        }
    }
}
