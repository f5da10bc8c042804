package dev.elman.engine.interop;

import dev.elman.engine.KernelSelection;
import dev.elman.engine.io.Tensor;
import dev.elman.engine.model.ForwardResult;
import dev.elman.engine.model.GradientResult;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentKernels;

import java.util.Locale;

/**
 * A PyTorch {@code nn.RNN} run by Elman, with torch's calling convention: tensors in torch's
 * shapes in, torch's results out. This is what {@code rnn run} and {@code rnn grad} do.
 *
 * <p>The shapes are torch's, described and checked by {@link TorchRnnShapes}: input
 * {@code [T, B, I]} (or {@code [T, I]} unbatched), {@code h_0} and {@code h_n}
 * {@code [L·D, B, H]}, output {@code [T, B, D·H]}; an absent {@code h_0} is zeros.
 *
 * <p>Thread-safe: passes only read the model.
 */
public final class TorchRnn {
    private final TorchRnnWeights weights;
    private final TorchRnnShapes shapes;
    private final Model model;

    /**
     * A network on the JVM's {@linkplain KernelSelection#kernels() selected kernels}.
     *
     * @param weights the state dict and its configuration, nonlinearity included
     * @throws IllegalArgumentException when weights is null
     */
    public TorchRnn(TorchRnnWeights weights) {
        this(weights, KernelSelection.kernels());
    }

    /**
     * A network on the given kernels.
     *
     * @param weights the state dict and its configuration, nonlinearity included
     * @param kernels the implementation to compute with
     * @throws IllegalArgumentException when an argument is null
     */
    public TorchRnn(TorchRnnWeights weights, RecurrentKernels kernels) {
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        this.weights = weights;
        this.shapes = new TorchRnnShapes(weights);
        this.model = weights.toModel(kernels);
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

    /** @return the state dict this network computes with; its {@link TorchRnnWeights#config() config()} is the network's */
    public TorchRnnWeights weights() {
        return weights;
    }

    /** @return the shapes this network takes and returns, and their checks */
    public TorchRnnShapes shapes() {
        return shapes;
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
        return forward(model, input, initialState);
    }

    /**
     * {@code nn.RNN(...)(input, h0)} computed by another model of this network's parameters and
     * shape: a {@linkplain Model#withInferencePrecision copy in a reduced precision} or on other
     * kernels. The tensors are torch's, as for {@link #forward(Tensor, Tensor)}.
     *
     * @param computer the model to compute with, of this network's configuration
     * @param input {@code [T, B, I]} or {@code [T, I]}
     * @param initialState {@code h_0}, or null for zeros
     * @return the output and the final state
     * @throws IllegalArgumentException when the model's configuration is not this network's, a
     *     tensor's shape does not fit or a value is not finite
     */
    public TorchRnnOutput forward(Model computer, Tensor input, Tensor initialState) {
        if (computer == null || !computer.config().equals(model.config())) {
            throw new IllegalArgumentException("computer: expected a model of this network's configuration "
                    + model.config() + ", got " + (computer == null ? "null" : computer.config()));
        }
        shapes.checkInput(input, "input");
        if (initialState != null) {
            shapes.checkInitialState(input, initialState, "h0");
        }
        SequenceBatch batch = batch(input);
        ForwardResult result = computer.forward(batch, initialState == null ? null : initialState.toFloatArray());
        return new TorchRnnOutput(Tensor.of(result.output(), shapes.outputShape(input)),
                Tensor.of(result.finalStates(), shapes.stateShape(input)));
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
        shapes.checkInput(input, "input");
        if (initialState != null) {
            shapes.checkInitialState(input, initialState, "h0");
        }
        shapes.checkOutputGradient(input, outputGradient, "outputGradient");
        GradientResult result = model.gradient(batch(input), initialState == null ? null : initialState.toFloatArray(),
                outputGradient.toFloatArray(), window);
        return new TorchRnnGradients(TorchRnnWeights.gradients(result.parameters().parameters()),
                Tensor.of(result.input(), input.shape()), Tensor.of(result.initialState(), shapes.stateShape(input)));
    }

    private SequenceBatch batch(Tensor input) {
        int batch = input.rank() == 3 ? input.dim(1) : 1;
        return new SequenceBatch(input.toFloatArray(), input.dim(0), batch, weights.config().inputSize());
    }
}
