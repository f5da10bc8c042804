package dev.elman.cli;

import dev.elman.engine.interop.TorchRnn;
import dev.elman.engine.interop.TorchRnnShapes;
import dev.elman.engine.interop.TorchRnnWeights;
import dev.elman.engine.io.Npy;
import dev.elman.engine.io.Tensor;
import dev.elman.engine.model.ModelConfig;
import dev.elman.kernels.Activation;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code rnn run} and {@code rnn grad} share: the options naming an {@code nn.RNN}'s weights,
 * its input and initial state, reading those files, and checking them against each other and the
 * output paths before anything is computed or written.
 *
 * <p>Failures are reported in two kinds. A file that cannot be read or is not valid in itself
 * (missing, malformed, an inconsistent state dict) is an {@link IOException} and exits with 1. An
 * invocation whose parts do not fit together (a bad option value, an input whose shape does not
 * match the weights, an output that would overwrite an input) is a {@link UsageException} and
 * exits with 2. Either way the message is one line naming the option or file.
 */
final class TorchRnnInvocation {
    /** The options naming the network and what it reads (a picocli mixin of {@code rnn run} and {@code rnn grad}). */
    static final class Inputs {
        /** The nonlinearities of {@code nn.RNN}. */
        static final class NonlinearityName extends Choice {
            NonlinearityName() {
                super(List.of("tanh", "relu"));
            }
        }

        @Option(names = "--weights", paramLabel = "FILE", required = true,
                description = "the nn.RNN's state_dict() as safetensors; layers, directions, sizes and bias come from its keys")
        Path weights;

        @Option(names = "--input", paramLabel = "FILE", required = true,
                description = "the input X, .npy (T, B, I) time-major, or (T, I) for one sequence")
        Path input;

        @Option(names = "--h0", paramLabel = "FILE",
                description = "the initial state H0, .npy (L·D, B, H) (or (L·D, H)); zeros when absent")
        Path initialState;

        @Option(names = "--nonlinearity", paramLabel = "tanh|relu", defaultValue = "tanh",
                converter = NonlinearityName.class, description = "the nn.RNN's nonlinearity")
        String nonlinearity;
    }

    private final TorchRnn rnn;
    private final Tensor input;
    private final Tensor initialState;
    private final Tensor outputGradient;

    private TorchRnnInvocation(TorchRnn rnn, Tensor input, Tensor initialState, Tensor outputGradient) {
        this.rnn = rnn;
        this.input = input;
        this.initialState = initialState;
        this.outputGradient = outputGradient;
    }

    /**
     * Checks the options and the output paths, reads the weights, the input, the initial state
     * and (for backpropagation) the output gradient, checks that they fit together, and only
     * then makes the network.
     *
     * @param command {@code "rnn run"}, for messages
     * @param options the weights, input, initial state and nonlinearity
     * @param outputGradientOption the option naming the output gradient file ({@code "grad-output"}),
     *     or null when the subcommand takes none
     * @param outputGradientFile that file, or null
     * @param outputs the files to be written, by option name ({@code "output"}), absent ones left out
     * @param windowed whether a truncation window was asked for (single direction only)
     */
    static TorchRnnInvocation load(String command, Inputs options, String outputGradientOption, Path outputGradientFile,
                                   Map<String, Path> outputs, boolean windowed) throws UsageException, IOException {
        Activation nonlinearity = TorchRnn.nonlinearity(options.nonlinearity);
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("weights", options.weights);
        inputs.put("input", options.input);
        if (options.initialState != null) {
            inputs.put("h0", options.initialState);
        }
        if (outputGradientOption != null) {
            inputs.put(outputGradientOption, outputGradientFile);
        }
        checkOutputs(command, inputs, outputs);

        Path weightsFile = options.weights;
        TorchRnnWeights weights;
        if (OnnxFiles.isOnnx(weightsFile)) {
            // An ONNX model stores its activation; --nonlinearity is for state dicts, which do not.
            var imported = OnnxFiles.read(command, weightsFile);
            try {
                weights = TorchRnnWeights.fromModel(imported);
            } catch (IllegalArgumentException e) {
                throw new UsageException(command + ": " + weightsFile + ": " + e.getMessage(), e);
            }
        } else {
            weights = TorchRnnWeights.read(weightsFile, nonlinearity);
        }
        if (windowed && weights.config().bidirectional()) {
            throw new UsageException(command + ": --window needs a single-direction network, but " + weightsFile
                    + " is bidirectional (it has _reverse weights); the reverse direction needs the whole sequence,"
                    + " so it has no truncated gradient");
        }
        TorchRnnShapes shapes = new TorchRnnShapes(weights);
        Path inputFile = options.input;
        Tensor input = Npy.read(inputFile);
        fits(command, () -> shapes.checkInput(input, inputFile.toString()));
        checkMemory(command, inputFile, input.shape(), weights.config(), outputGradientOption != null);
        Path stateFile = options.initialState;
        Tensor initialState = null;
        if (stateFile != null) {
            Tensor state = Npy.read(stateFile);
            fits(command, () -> shapes.checkInitialState(input, state, stateFile.toString()));
            initialState = state;
        }
        Tensor outputGradient = null;
        if (outputGradientOption != null) {
            Path gradientFile = outputGradientFile;
            Tensor gradient = Npy.read(gradientFile);
            fits(command, () -> shapes.checkOutputGradient(input, gradient, gradientFile.toString()));
            outputGradient = gradient;
        }
        // Made last: choosing the kernels logs a line, which an invocation failing above should not print.
        return new TorchRnnInvocation(new TorchRnn(weights), input, initialState, outputGradient);
    }

    /** @return the network */
    TorchRnn rnn() {
        return rnn;
    }

    /** @return X */
    Tensor input() {
        return input;
    }

    /** @return H0, or null for zeros */
    Tensor initialState() {
        return initialState;
    }

    /** @return GY, or null when the subcommand takes none */
    Tensor outputGradient() {
        return outputGradient;
    }

    /**
     * Refuses up front an input whose pass cannot fit in the heap: the forward keeps every layer's
     * states over the whole sequence (and a gradient pass as much again twice, for the gradients
     * flowing back), small inputs can ask for much larger outputs when H is large.
     */
    static void checkMemory(String command, Path inputFile, int[] shape, ModelConfig config, boolean gradient)
            throws UsageException {
        double rows = shape.length == 3 ? (double) shape[0] * shape[1] : shape[0];
        double units = (double) config.layers() * config.directions() * config.hiddenSize();
        double perRow = config.inputSize() + units * (gradient ? 3 : 1) + config.directions() * config.hiddenSize();
        MemoryBudget.check(command, String.format(Locale.ROOT, "%s of shape %s with %d layer(s) of hidden size %d",
                inputFile, Arrays.toString(shape), config.layers(), config.hiddenSize()),
                MemoryBudget.FLOAT * rows * perRow);
    }

    /** Runs a check of the library and turns its complaint into a usage mistake. */
    private static void fits(String command, Runnable check) throws UsageException {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails before any work when an output could not be written or would clobber an input or
     * another output: every output must be a distinct file, not a directory itself and none of the
     * inputs, and writable ({@link OutputFiles#prepare}, which makes a missing folder, the one rule
     * of every command).
     */
    static void checkOutputs(String command, Map<String, Path> inputs, Map<String, Path> outputs)
            throws UsageException, IOException {
        List<Map.Entry<String, Path>> seen = new ArrayList<>();
        for (Map.Entry<String, Path> output : outputs.entrySet()) {
            Path file = output.getValue();
            String option = "--" + output.getKey() + " " + file;
            if (Files.isDirectory(file)) {
                throw new UsageException(command + ": " + option + " is a directory; expected a file to write");
            }
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                OutputFolders.check(command, "--" + output.getKey(), parent);
            }
            for (Map.Entry<String, Path> input : inputs.entrySet()) {
                if (sameFile(file, input.getValue())) {
                    throw new UsageException(command + ": " + option + " is also the --" + input.getKey()
                            + " file; write the result elsewhere");
                }
            }
            for (Map.Entry<String, Path> earlier : seen) {
                if (sameFile(file, earlier.getValue())) {
                    throw new UsageException(command + ": " + option + " and --" + earlier.getKey()
                            + " name the same file; each result needs its own");
                }
            }
            seen.add(output);
        }
        for (Map.Entry<String, Path> output : outputs.entrySet()) {
            OutputFiles.prepare(command, "--" + output.getKey(), output.getValue());
        }
    }

    private static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
