package dev.elman.engine.model;

/**
 * What {@link Model#forward} returns: the output of every step and the final state of every layer
 * and direction.
 *
 * @param output {@code [T][B][W]}: the head's {@code y} when the model has one, else the top
 *     layer's features; zero at padding steps ({@code t ≥ lengths[b]})
 * @param steps T
 * @param batch B
 * @param width W, the model's {@link ModelConfig#outputWidth()}
 * @param finalStates {@code [L·D][B][H]}, PyTorch's {@code h_n} layout: index {@code l·D + d} holds
 *     layer {@code l}, direction {@code d} (1 = reverse). A forward direction's final state is the
 *     state after the sequence's last real step; a reverse direction's is the state after it has
 *     walked back to step 0
 * @param hiddenSize H
 */
public record ForwardResult(float[] output, int steps, int batch, int width, float[] finalStates, int hiddenSize) {

    /**
     * One output value.
     *
     * @param t step
     * @param b sequence
     * @param j feature, 0 … W − 1
     * @return {@code output[(t·B + b)·W + j]}
     */
    public float output(int t, int b, int j) {
        return output[(t * batch + b) * width + j];
    }

    /**
     * The outputs in batch-major layout, {@code [B][T][W]} (PyTorch's {@code batch_first}, ONNX's
     * {@code layout = 1}): element {@code (b, t, j)} at {@code (b·T + t)·W + j}.
     *
     * @return a new array, a copy of {@link #output()} rearranged
     */
    public float[] outputBatchMajor() {
        return SequenceBatch.transpose(output, steps, batch, width);
    }

    /**
     * The final states in batch-major layout, {@code [B][L·D][H]} (ONNX's {@code Y_h} with
     * {@code layout = 1} for one layer): element {@code (b, l·D + d, i)} at
     * {@code (b·L·D + l·D + d)·H + i}.
     *
     * @return a new array, a copy of {@link #finalStates()} rearranged
     */
    public float[] finalStatesBatchMajor() {
        return SequenceBatch.transpose(finalStates, finalStates.length / (batch * hiddenSize), batch, hiddenSize);
    }

    /**
     * One final-state value.
     *
     * @param layerDirection {@code l·D + d}
     * @param b sequence
     * @param i unit
     * @return {@code finalStates[(layerDirection·B + b)·H + i]}
     */
    public float finalState(int layerDirection, int b, int i) {
        return finalStates[(layerDirection * batch + b) * hiddenSize + i];
    }
}
