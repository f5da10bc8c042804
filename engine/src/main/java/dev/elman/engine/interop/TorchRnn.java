package dev.elman.engine.interop;

import dev.elman.engine.KernelSelection;
import dev.elman.engine.io.Tensor;
import dev.elman.engine.model.ForwardResult;
import dev.elman.engine.model.GradientResult;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentKernels;

import java.util.Arrays;
import java.util.Locale;

/**
 * A PyTorch {@code nn.RNN} run by Elman, with torch's calling convention: tensors in torch's
 * shapes in, torch's results out. This is what {@code rnn run} and {@code rnn grad} do.
 *
 * <p>Shapes (time-major, {@code batch_first=False}; D = 2 when bidirectional):
 * <ul>
 *   <li>input {@code [T, B, I]}, or {@code [T, I]} for one unbatched sequence;</li>
 *   <li>initial state {@code h_0} {@code [L·D, B, H]} ({@code [L·D, H]} unbatched), zeros when absent;</li>
 *   <li>output {@code [T, B, D·H]} ({@code [T, D·H]}) and final state {@code h_n} shaped like {@code h_0};</li>
 *   <li>the gradient of the output, for backpropagation, shaped like the output.</li>
 * </ul>
 * Every value given must be finite. The {@code check*} methods are public so that a caller can
 * validate its tensors before doing any work, with its own names for them in the messages (a
 * file name, say); {@link #forward} and {@link #gradient} call them too.
 *
 * <p>Thread-safe: passes only read the model.
 */
public final class TorchRnn {
    private final TorchRnnWeights weights;
    private final Activation nonlinearity;
    private final Model model;

    /**
     * A network on the JVM's {@linkplain KernelSelection#kernels() selected kernels}.
     *
     * @param weights the state dict
     * @param nonlinearity tanh or relu ({@code nn.RNN(nonlinearity=...)})
     * @throws IllegalArgumentException when an argument is null or nonlinearity is neither
     */
    public TorchRnn(TorchRnnWeights weights, Activation nonlinearity) {
        this(weights, nonlinearity, KernelSelection.kernels());
    }

    /**
     * A network on the given kernels.
     *
     * @param weights the state dict
     * @param nonlinearity tanh or relu
     * @param kernels the implementation to compute with
     * @throws IllegalArgumentException when an argument is null or nonlinearity is neither
     */
    public TorchRnn(TorchRnnWeights weights, Activation nonlinearity, RecurrentKernels kernels) {
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        this.weights = weights;
        this.nonlinearity = nonlinearity;
        this.model = weights.toModel(nonlinearity, kernels);
    }

    /**
     * Parses torch's name of a nonlinearity.
     *
     * @param name {@code tanh} or {@code relu}, any case
     * @return the activation
     * @throws IllegalArgumentException for anything else
     */
    public static Activation nonlinearity(String name) {
        String normalized = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (normalized) {
            case "tanh" -> Activation.TANH;
            case "relu" -> Activation.RELU;
            default -> throw new IllegalArgumentException("nonlinearity must be tanh or relu (nn.RNN's), got '" + name + "'");
        };
    }

    /** @return the state dict this network computes with */
    public TorchRnnWeights weights() {
        return weights;
    }

    /** @return tanh or relu */
    public Activation nonlinearity() {
        return nonlinearity;
    }

    /** @return the Elman model doing the work (no head; read-only use) */
    public Model model() {
        return model;
    }

    /**
     * {@code nn.RNN(...)(input, h0)}.
     *
     * @param input {@code [T, B, I]} or {@code [T, I]}
     * @param initialState {@code h_0}, or null for zeros
     * @return the output and the final state
     * @throws IllegalArgumentException when a tensor's shape does not fit or a value is not finite
     */
    public TorchRnnOutput forward(Tensor input, Tensor initialState) {
        checkInput(input, "input");
        if (initialState != null) {
            checkInitialState(input, initialState, "h0");
        }
        SequenceBatch batch = batch(input);
        ForwardResult result = model.forward(batch, initialState == null ? null : initialState.toFloatArray());
        return new TorchRnnOutput(Tensor.of(result.output(), outputShape(input)),
                Tensor.of(result.finalStates(), stateShape(input)));
    }

    /**
     * Full backpropagation through time: {@link #gradient(Tensor, Tensor, Tensor, int)} with an
     * unlimited window.
     *
     * @param input {@code [T, B, I]} or {@code [T, I]}
     * @param initialState {@code h_0}, or null for zeros
     * @param outputGradient {@code GY}, shaped like the output
     * @return the gradients
     * @throws IllegalArgumentException when a tensor's shape does not fit or a value is not finite
     */
    public TorchRnnGradients gradient(Tensor input, Tensor initialState, Tensor outputGradient) {
        return gradient(input, initialState, outputGradient, Integer.MAX_VALUE);
    }

    /**
     * The gradients of {@code L = Σ GY ⊙ Y} with respect to every weight, the input and the
     * initial state, where {@code Y} is the output of {@link #forward}.
     *
     * <p>With a window K shorter than the sequence, truncated backpropagation as PyTorch users
     * write it: the sequence runs in chunks of K steps (the last one shorter when K does not divide
     * T), each chunk starting from the previous chunk's final state detached from the graph, and
     * the weight gradients are summed over the chunks. {@code dL/dH0} is then the first chunk's.
     * The outputs are the same as without a window.
     *
     * @param input {@code [T, B, I]} or {@code [T, I]}
     * @param initialState {@code h_0}, or null for zeros
     * @param outputGradient {@code GY}, shaped like the output
     * @param window the chunk length K, at least 1; {@code Integer.MAX_VALUE} (or anything ≥ T) for full BPTT
     * @return the gradients
     * @throws IllegalArgumentException when a tensor's shape does not fit, a value is not finite,
     *     the window is below 1, or the network is bidirectional and the window shorter than the
     *     sequence (the reverse direction needs the whole sequence)
     */
    public TorchRnnGradients gradient(Tensor input, Tensor initialState, Tensor outputGradient, int window) {
        checkInput(input, "input");
        if (initialState != null) {
            checkInitialState(input, initialState, "h0");
        }
        checkOutputGradient(input, outputGradient, "outputGradient");
        GradientResult result = model.gradient(batch(input), initialState == null ? null : initialState.toFloatArray(),
                outputGradient.toFloatArray(), window);
        return new TorchRnnGradients(TorchRnnWeights.gradients(result.parameters().parameters()),
                Tensor.of(result.input(), input.shape()), Tensor.of(result.initialState(), stateShape(input)));
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
        int inputSize = weights.inputSize();
        int[] shape = input.shape();
        if (shape.length != 2 && shape.length != 3) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(shape) + "; expected [T, B, "
                    + inputSize + "] (steps, batch, input size; time-major) or [T, " + inputSize + "] for one sequence");
        }
        if (shape[shape.length - 1] != inputSize) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(shape) + "; expected "
                    + (shape.length == 3 ? "[T, B, " : "[T, ") + inputSize + "]: the weights' input size is "
                    + inputSize + " (" + TorchRnnKeys.Kind.WEIGHT_IH.key(0, false) + " is ["
                    + weights.hiddenSize() + ", " + inputSize + "])");
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
                    : " = [layers·directions, hidden] for an unbatched input") + " (" + weights.layers() + " layer"
                    + (weights.layers() == 1 ? "" : "s") + " × " + weights.directions() + " direction"
                    + (weights.directions() == 1 ? "" : "s") + " and H = " + weights.hiddenSize() + " from the weights"
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

    /** The output's shape for a checked input. */
    private int[] outputShape(Tensor input) {
        int width = weights.directions() * weights.hiddenSize();
        return input.rank() == 3 ? new int[] {input.dim(0), input.dim(1), width} : new int[] {input.dim(0), width};
    }

    /** The shape of h_0 and h_n for a checked input. */
    private int[] stateShape(Tensor input) {
        int states = weights.layers() * weights.directions();
        return input.rank() == 3 ? new int[] {states, input.dim(1), weights.hiddenSize()}
                : new int[] {states, weights.hiddenSize()};
    }

    private SequenceBatch batch(Tensor input) {
        int batch = input.rank() == 3 ? input.dim(1) : 1;
        return new SequenceBatch(input.toFloatArray(), input.dim(0), batch, weights.inputSize());
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
