package dev.elman.engine.interop;

import dev.elman.engine.io.Tensor;
import dev.elman.engine.model.ModelConfig;

import java.util.Arrays;

/**
 * The tensors an {@code nn.RNN} with given weights takes and returns, in torch's shapes
 * (time-major, {@code batch_first=False}; D = 2 when bidirectional):
 * <ul>
 *   <li>input {@code [T, B, I]}, or {@code [T, I]} for one unbatched sequence;</li>
 *   <li>initial state {@code h_0} {@code [L·D, B, H]} ({@code [L·D, H]} unbatched);</li>
 *   <li>output {@code [T, B, D·H]} ({@code [T, D·H]}) and final state {@code h_n} shaped like {@code h_0};</li>
 *   <li>the gradient of the output, for backpropagation, shaped like the output.</li>
 * </ul>
 * Every value given must be finite.
 *
 * <p>The checks need only the weights, not a model, so a caller can validate everything it was
 * given before any work, calling each tensor by its own name (a file name, say) in the messages.
 * {@link TorchRnn} runs the same checks. Immutable.
 */
public final class TorchRnnShapes {
    /** The network's shape: all the checks need. */
    private final ModelConfig config;

    /**
     * @param weights the network's state dict
     * @throws IllegalArgumentException when weights is null
     */
    public TorchRnnShapes(TorchRnnWeights weights) {
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        this.config = weights.config();
    }

    /**
     * Checks an input: {@code [T, B, I]} or {@code [T, I]} with this network's I, at least one
     * step and one sequence, finite values.
     *
     * @param input the tensor
     * @param name what to call it in the message
     * @throws IllegalArgumentException starting with {@code name}, giving the expected and the actual shape
     */
    public void checkInput(Tensor input, String name) {
        if (input == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        int inputSize = config.inputSize();
        int[] shape = input.shape();
        if (shape.length != 2 && shape.length != 3) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(shape) + "; expected [T, B, "
                    + inputSize + "] (steps, batch, input size; time-major) or [T, " + inputSize + "] for one sequence");
        }
        if (shape[shape.length - 1] != inputSize) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(shape) + "; expected "
                    + (shape.length == 3 ? "[T, B, " : "[T, ") + inputSize + "]: the weights' input size is "
                    + inputSize + " (" + TorchRnnKeys.Kind.WEIGHT_IH.key(0, false) + " is ["
                    + config.hiddenSize() + ", " + inputSize + "])");
        }
        for (int axis = 0; axis < shape.length - 1; axis++) {
            if (shape[axis] == 0) {
                throw new IllegalArgumentException(name + " has shape " + Arrays.toString(shape)
                        + "; expected at least one step" + (shape.length == 3 ? " and one sequence" : ""));
            }
        }
        requireFinite(input, name, "inputs");
    }

    /**
     * Checks an initial state against a (checked) input: {@code [L·D, B, H]}, or {@code [L·D, H]}
     * for an unbatched input, finite values.
     *
     * @param input the input it goes with, already checked
     * @param initialState the tensor
     * @param name what to call it in the message
     * @throws IllegalArgumentException starting with {@code name}, giving the expected and the actual shape
     */
    public void checkInitialState(Tensor input, Tensor initialState, String name) {
        if (initialState == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        int[] expected = stateShape(input);
        if (!initialState.hasShape(expected)) {
            boolean batched = expected.length == 3;
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(initialState.shape()) + "; expected "
                    + Arrays.toString(expected) + (batched ? " = [layers·directions, batch, hidden]"
                    : " = [layers·directions, hidden] for an unbatched input") + " (" + config.layers() + " layer"
                    + (config.layers() == 1 ? "" : "s") + " × " + config.directions() + " direction"
                    + (config.directions() == 1 ? "" : "s") + " and H = " + config.hiddenSize() + " from the weights"
                    + (batched ? ", batch " + input.dim(1) + " from the input" : "") + ")");
        }
        requireFinite(initialState, name, "initial states");
    }

    /**
     * Checks the gradient of the output against a (checked) input: the output's shape
     * {@code [T, B, D·H]} ({@code [T, D·H]} unbatched), finite values.
     *
     * @param input the input it goes with, already checked
     * @param outputGradient the tensor
     * @param name what to call it in the message
     * @throws IllegalArgumentException starting with {@code name}, giving the expected and the actual shape
     */
    public void checkOutputGradient(Tensor input, Tensor outputGradient, String name) {
        if (outputGradient == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        int[] expected = outputShape(input);
        if (!outputGradient.hasShape(expected)) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(outputGradient.shape())
                    + "; expected " + Arrays.toString(expected) + ", the output's shape "
                    + (expected.length == 3 ? "[steps, batch, directions·hidden]" : "[steps, directions·hidden]"));
        }
        requireFinite(outputGradient, name, "output gradients");
    }

    /**
     * The output's shape for a checked input: {@code [T, B, D·H]}, or {@code [T, D·H]} unbatched.
     *
     * @param input a checked input
     * @return the shape of the output and of its gradient
     */
    public int[] outputShape(Tensor input) {
        int width = config.directions() * config.hiddenSize();
        return input.rank() == 3 ? new int[] {input.dim(0), input.dim(1), width} : new int[] {input.dim(0), width};
    }

    /**
     * The shape of {@code h_0} and {@code h_n} for a checked input: {@code [L·D, B, H]}, or
     * {@code [L·D, H]} unbatched.
     *
     * @param input a checked input
     * @return the shape of the initial and final states
     */
    public int[] stateShape(Tensor input) {
        int states = config.layers() * config.directions();
        return input.rank() == 3 ? new int[] {states, input.dim(1), config.hiddenSize()}
                : new int[] {states, config.hiddenSize()};
    }

    private static void requireFinite(Tensor tensor, String name, String what) {
        for (int i = 0; i < tensor.size(); i++) {
            float v = tensor.get(i);
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(name + " element " + position(tensor.shape(), i) + " is " + v + "; "
                        + what + " must be finite");
            }
        }
    }

    /** The multi-index of a row-major flat index, e.g. {@code [3, 1, 0]}. */
    private static String position(int[] shape, int flat) {
        int[] index = new int[shape.length];
        int rest = flat;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            index[axis] = rest % shape[axis];
            rest /= shape[axis];
        }
        return Arrays.toString(index);
    }
}
