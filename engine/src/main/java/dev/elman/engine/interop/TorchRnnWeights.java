package dev.elman.engine.interop;

import dev.elman.engine.KernelSelection;
import dev.elman.engine.interop.TorchRnnKeys.Kind;
import dev.elman.engine.io.MalformedFileException;
import dev.elman.engine.io.NonFiniteValueException;
import dev.elman.engine.io.Safetensors;
import dev.elman.engine.io.Tensor;
import dev.elman.engine.model.Direction;
import dev.elman.engine.model.Merge;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.engine.model.Parameters;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentKernels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The weights of a PyTorch {@code nn.RNN}, as its {@code state_dict()} holds them (see
 * {@link TorchRnnKeys}), checked for consistency, and the network they belong to as an Elman
 * {@link #config() ModelConfig}: the shape inferred from the tensors, the nonlinearity given.
 *
 * <p>Nothing but the keys and shapes is needed for the shape: the layers are the {@code l{k}}
 * present, the network is bidirectional when {@code _reverse} keys are present and has biases when
 * {@code bias_*} keys are; {@code weight_hh_l0} gives the hidden size H and {@code weight_ih_l0}
 * the input size I. Then the set must be exactly what {@code nn.RNN} with that shape holds: no
 * other key, no layer missing in between, every tensor with its twin (reverse direction, other
 * bias), every shape as torch's, every value finite. Each violation names the key at fault, what
 * was expected and what was found. A state dict does not store the nonlinearity (it is an argument
 * of {@code nn.RNN(...)}), so reading one takes it as an argument, with no default: a relu network
 * run as tanh would give wrong numbers without any error.
 *
 * <p>Elman keeps one bias where torch keeps two: {@link #toParameters} sums them, so the model
 * computes {@code φ(W_ih·x + b_ih + W_hh·h + b_hh)} exactly as torch does. Back from Elman,
 * {@link #fromParameters} writes the sum as {@code bias_ih} and zeros as {@code bias_hh} (the same
 * function), and {@link #gradients} reports {@code dL/db} for both biases, which is what torch
 * computes for each of them.
 *
 * <p>Instances are immutable: tensors read from a file are read-only views of it (see
 * {@link Tensor}), and tensors given in memory are copied, so the checks made here stay true.
 */
public final class TorchRnnWeights {
    private final ModelConfig config;
    private final SortedMap<String, Tensor> tensors;

    private TorchRnnWeights(ModelConfig config, SortedMap<String, Tensor> tensors) {
        this.config = config;
        this.tensors = Collections.unmodifiableSortedMap(tensors);
    }

    /**
     * Reads and checks a safetensors file holding an {@code nn.RNN}'s {@code state_dict()} (any
     * dtype the reader accepts; F16, BF16 and F64 are converted to float32).
     *
     * @param file the file
     * @param nonlinearity the network's, tanh or relu ({@code nn.RNN(nonlinearity=...)}); see
     *     {@link TorchRnn#nonlinearity(String)} for torch's names
     * @return the weights
     * @throws MalformedFileException naming the file and the key when the file is not valid
     *     safetensors or its tensors are not a consistent {@code nn.RNN} state dict
     * @throws IllegalArgumentException when file is null or nonlinearity is neither tanh nor relu
     * @throws IOException when the file cannot be read
     */
    public static TorchRnnWeights read(Path file, Activation nonlinearity) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        requireTorchNonlinearity(nonlinearity);
        Map<String, Tensor> tensors = Safetensors.read(file).tensors();
        try {
            return check(tensors, nonlinearity);
        } catch (Inconsistency e) {
            throw e.nonFinite ? new NonFiniteValueException(file, e.key, null, e.problem)
                    : new MalformedFileException(file, e.key, null, e.problem);
        }
    }

    /**
     * Checks a state dict given in memory, and copies the tensors that are not read-only.
     *
     * @param stateDict tensors by {@code nn.RNN} key
     * @param nonlinearity the network's, tanh or relu
     * @return the weights
     * @throws IllegalArgumentException naming the key when the set is not a consistent
     *     {@code nn.RNN} state dict, or when the map is null or holds null, or nonlinearity is
     *     neither tanh nor relu
     */
    public static TorchRnnWeights of(Map<String, Tensor> stateDict, Activation nonlinearity) {
        if (stateDict == null) {
            throw new IllegalArgumentException("stateDict must not be null");
        }
        for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("stateDict must not hold null keys or tensors, found " + e);
            }
        }
        requireTorchNonlinearity(nonlinearity);
        return checkInMemory(ownCopies(stateDict), nonlinearity);
    }

    /** {@link #check} for a state dict in memory, reporting an inconsistency by its key. */
    private static TorchRnnWeights checkInMemory(Map<String, Tensor> stateDict, Activation nonlinearity) {
        try {
            return check(stateDict, nonlinearity);
        } catch (Inconsistency e) {
            throw new IllegalArgumentException(e.key == null ? "state dict: " + e.problem
                    : "state dict: tensor '" + e.key + "': " + e.problem);
        }
    }

    /**
     * The state dict of an {@code nn.RNN} computing what a model without a head computes (its
     * current parameter values), for export.
     *
     * @param model a model of tanh or relu layers, directions concatenated, without a head
     * @return the weights, with the model's nonlinearity; {@code bias_ih} holds Elman's bias,
     *     {@code bias_hh} zeros
     * @throws IllegalArgumentException when the model is null or nn.RNN cannot express it
     */
    public static TorchRnnWeights fromModel(Model model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        return fromParameters(model.parameters());
    }

    /**
     * {@link #fromModel} for parameters alone.
     *
     * @param parameters the values, of a configuration nn.RNN can express
     * @return the weights, with the parameters' nonlinearity; {@code bias_ih} holds Elman's bias,
     *     {@code bias_hh} zeros
     * @throws IllegalArgumentException when parameters is null or nn.RNN cannot express its
     *     configuration
     */
    public static TorchRnnWeights fromParameters(Parameters parameters) {
        if (parameters == null) {
            throw new IllegalArgumentException("parameters must not be null");
        }
        ModelConfig config = parameters.config();
        requireExpressible(config);
        // Fresh copies already: no need for of()'s defensive ones.
        return checkInMemory(torchTensors(parameters, false), config.activation());
    }

    /**
     * Gradients with respect to a model's parameters under torch's keys: {@code weight_ih},
     * {@code weight_hh}, and {@code dL/db} for both {@code bias_ih} and {@code bias_hh}
     * (each enters the sum {@code b} with coefficient one, so torch's gradients of the two are
     * equal to it).
     *
     * @param gradients e.g. {@code model.gradient(...).parameters().parameters()}
     * @return tensors by torch key, ordered by key
     * @throws IllegalArgumentException when gradients is null or belongs to a configuration
     *     nn.RNN cannot express
     */
    public static SortedMap<String, Tensor> gradients(Parameters gradients) {
        if (gradients == null) {
            throw new IllegalArgumentException("gradients must not be null");
        }
        requireExpressible(gradients.config());
        return Collections.unmodifiableSortedMap(torchTensors(gradients, true));
    }

    /**
     * Fails unless nn.RNN can express a configuration: no head, tanh or relu, directions
     * concatenated.
     *
     * @param config a configuration
     * @throws IllegalArgumentException saying what nn.RNN cannot express
     */
    public static void requireExpressible(ModelConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        if (config.hasHead()) {
            throw new IllegalArgumentException("the model has an output head (wy, " + config.outputSize()
                    + " outputs), which nn.RNN cannot express; export a model without a head (and the head as an"
                    + " nn.Linear of its own)");
        }
        requireTorchNonlinearity(config.activation());
        if (config.direction() == Direction.REVERSE) {
            throw new IllegalArgumentException("the model reads its sequences from the end only (direction reverse),"
                    + " which nn.RNN cannot express");
        }
        if (config.bidirectional() && !config.activation(true).equals(config.activation(false))) {
            throw new IllegalArgumentException("the model's directions have different activations ("
                    + config.activation(false).label() + ", " + config.activation(true).label()
                    + "); nn.RNN has one nonlinearity");
        }
        if (config.clip() > 0) {
            throw new IllegalArgumentException("the model clips its pre-activations (clip " + config.clip()
                    + "), which nn.RNN cannot express");
        }
        if (config.bidirectional() && config.merge() != Merge.CONCAT) {
            throw new IllegalArgumentException("the model merges its directions by " + config.merge().label()
                    + "; nn.RNN concatenates them (merge concat)");
        }
    }

    /**
     * Fails unless an activation is one of nn.RNN's nonlinearities.
     *
     * @param activation an activation
     * @throws IllegalArgumentException unless it is tanh or relu
     */
    static void requireTorchNonlinearity(Activation activation) {
        if (activation != Activation.TANH && activation != Activation.RELU) {
            throw new IllegalArgumentException("nn.RNN's nonlinearity is tanh or relu, got "
                    + (activation == null ? "null" : activation.label()));
        }
    }

    /**
     * The Elman configuration of this network: the shape inferred from the state dict, the
     * nonlinearity given, directions concatenated as torch does, no head.
     *
     * @return the configuration
     */
    public ModelConfig config() {
        return config;
    }

    /** @return the state dict, unmodifiable, ordered by key */
    public SortedMap<String, Tensor> tensors() {
        return tensors;
    }

    /**
     * Elman parameters with these values: weights copied, {@code b = bias_ih + bias_hh}.
     *
     * @return new parameters of {@link #config()}
     */
    public Parameters toParameters() {
        Parameters parameters = Parameters.zeros(config);
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int d = 0; d < config.directions(); d++) {
                boolean reverse = d == 1;
                tensors.get(Kind.WEIGHT_IH.key(layer, reverse))
                        .copyTo(parameters.get(ParameterNames.inputWeights(layer, reverse)).data(), 0);
                tensors.get(Kind.WEIGHT_HH.key(layer, reverse))
                        .copyTo(parameters.get(ParameterNames.recurrentWeights(layer, reverse)).data(), 0);
                if (config.bias()) {
                    float[] b = parameters.get(ParameterNames.bias(layer, reverse)).data();
                    Tensor ih = tensors.get(Kind.BIAS_IH.key(layer, reverse));
                    Tensor hh = tensors.get(Kind.BIAS_HH.key(layer, reverse));
                    for (int i = 0; i < b.length; i++) {
                        b[i] = ih.get(i) + hh.get(i);
                    }
                }
            }
        }
        return parameters;
    }

    /**
     * A model computing what the {@code nn.RNN} computes, on the JVM's selected kernels.
     *
     * @return the model, of {@link #config()}
     */
    public Model toModel() {
        return toModel(KernelSelection.kernels());
    }

    /**
     * A model computing what the {@code nn.RNN} computes, on the given kernels.
     *
     * @param kernels the implementation to compute with
     * @return the model, of {@link #config()}
     * @throws IllegalArgumentException when kernels is null
     */
    public Model toModel(RecurrentKernels kernels) {
        return Model.withParameters(toParameters(), kernels);
    }

    /**
     * Writes the state dict as a float32 safetensors file that
     * {@code rnn.load_state_dict(safetensors.torch.load_file(path))} accepts; the file is replaced
     * atomically.
     *
     * @param file the target
     * @throws IOException when it cannot be written
     */
    public void write(Path file) throws IOException {
        Safetensors.write(file, tensors);
    }

    /** For example {@code TorchRnnWeights[8 tensors, ModelConfig[inputSize=3, …]]}. */
    @Override
    public String toString() {
        return "TorchRnnWeights[" + tensors.size() + " tensors, " + config + "]";
    }

    /** Elman tensors under torch's keys; each bias as both biases when splitting a gradient, else as bias_ih. */
    private static SortedMap<String, Tensor> torchTensors(Parameters source, boolean gradient) {
        ModelConfig config = source.config();
        SortedMap<String, Tensor> out = new TreeMap<>();
        int h = config.hiddenSize();
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int d = 0; d < config.directions(); d++) {
                boolean reverse = d == 1;
                out.put(Kind.WEIGHT_IH.key(layer, reverse),
                        copy(source.get(ParameterNames.inputWeights(layer, reverse))));
                out.put(Kind.WEIGHT_HH.key(layer, reverse),
                        copy(source.get(ParameterNames.recurrentWeights(layer, reverse))));
                if (config.bias()) {
                    // One tensor under both keys when splitting a gradient: the values are equal.
                    Tensor b = copy(source.get(ParameterNames.bias(layer, reverse)));
                    out.put(Kind.BIAS_IH.key(layer, reverse), b);
                    out.put(Kind.BIAS_HH.key(layer, reverse), gradient ? b : Tensor.zeros(h));
                }
            }
        }
        return out;
    }

    /** A copy detached from the live parameter arrays, so later training does not change it. */
    private static Tensor copy(Tensor t) {
        return Tensor.of(t.data(), t.shape());
    }

    /**
     * The state dict with every writable tensor copied: the caller could otherwise write a NaN
     * into an array after it was checked. Read-only views (of files) are kept as they are.
     */
    private static Map<String, Tensor> ownCopies(Map<String, Tensor> stateDict) {
        Map<String, Tensor> own = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
            Tensor t = e.getValue();
            own.put(e.getKey(), t.isReadOnly() ? t : copy(t));
        }
        return own;
    }

    /**
     * Infers the shape from the keys and checks the whole set against it (see the class
     * comment); the nonlinearity has been checked.
     */
    private static TorchRnnWeights check(Map<String, Tensor> stateDict, Activation nonlinearity) {
        SortedMap<String, Tensor> sorted = new TreeMap<>(stateDict);
        if (sorted.isEmpty()) {
            throw new Inconsistency(null, "holds no tensors; expected nn.RNN's state_dict(): weight_ih_l0, weight_hh_l0,"
                    + " bias_ih_l0, bias_hh_l0, … (the biases optional)");
        }
        SortedSet<Integer> layersPresent = new TreeSet<>();
        String reverseExample = null;
        String biasExample = null;
        for (String key : sorted.keySet()) {
            TorchRnnKeys.Parsed parsed = TorchRnnKeys.parse(key);
            if (parsed == null) {
                throw new Inconsistency(key, unexpectedKey(key));
            }
            layersPresent.add(parsed.layer());
            if (parsed.reverse() && reverseExample == null) {
                reverseExample = key;
            }
            if (parsed.kind().isBias() && biasExample == null) {
                biasExample = key;
            }
        }
        int layers = layersPresent.last() + 1;
        boolean bidirectional = reverseExample != null;
        boolean bias = biasExample != null;
        // The first gap is at most the number of layers present, so this loop is short even when a
        // hostile key claims layer 999999999.
        for (int layer = 0; layer < layers; layer++) {
            if (!layersPresent.contains(layer)) {
                throw new Inconsistency(Kind.WEIGHT_IH.key(layer, false), "missing: layer " + layer + " has no tensors"
                        + " but layer " + layersPresent.last() + " has (layers are numbered 0, 1, … without gaps)");
            }
        }
        for (int layer = 0; layer < layers; layer++) {
            for (int d = 0; d < (bidirectional ? 2 : 1); d++) {
                boolean reverse = d == 1;
                for (Kind kind : Kind.values()) {
                    String key = kind.key(layer, reverse);
                    if ((bias || !kind.isBias()) && !sorted.containsKey(key)) {
                        throw new Inconsistency(key, whyMissing(sorted, kind, layer, reverse, reverseExample, biasExample));
                    }
                }
            }
        }

        Tensor recurrent = sorted.get(Kind.WEIGHT_HH.key(0, false));
        if (recurrent.rank() != 2 || recurrent.dim(0) != recurrent.dim(1) || recurrent.dim(0) < 1) {
            throw new Inconsistency(Kind.WEIGHT_HH.key(0, false), "has shape " + Arrays.toString(recurrent.shape())
                    + "; expected a square [H, H] with H ≥ 1 (it sets the hidden size)");
        }
        int hidden = recurrent.dim(0);
        Tensor input = sorted.get(Kind.WEIGHT_IH.key(0, false));
        if (input.rank() != 2 || input.dim(0) != hidden || input.dim(1) < 1) {
            throw new Inconsistency(Kind.WEIGHT_IH.key(0, false), "has shape " + Arrays.toString(input.shape())
                    + "; expected [H, I] = [" + hidden + ", I] with I ≥ 1 (H = " + hidden + " from weight_hh_l0)");
        }
        int inputSize = input.dim(1);
        int directions = bidirectional ? 2 : 1;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            TorchRnnKeys.Parsed parsed = TorchRnnKeys.parse(e.getKey());
            int[] expected = switch (parsed.kind()) {
                case WEIGHT_IH -> new int[] {hidden, parsed.layer() == 0 ? inputSize : directions * hidden};
                case WEIGHT_HH -> new int[] {hidden, hidden};
                case BIAS_IH, BIAS_HH -> new int[] {hidden};
            };
            if (!e.getValue().hasShape(expected)) {
                throw new Inconsistency(e.getKey(), "has shape " + Arrays.toString(e.getValue().shape()) + "; expected "
                        + Arrays.toString(expected) + " " + shapeReason(parsed, hidden, inputSize, directions));
            }
        }
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            Tensor t = e.getValue();
            for (int i = 0; i < t.size(); i++) {
                float v = t.get(i);
                if (!Float.isFinite(v)) {
                    throw new Inconsistency(e.getKey(), "element " + position(t, i) + " is " + v
                            + "; weights must be finite", true);
                }
            }
        }
        if (bias) {
            for (int layer = 0; layer < layers; layer++) {
                for (int d = 0; d < directions; d++) {
                    Tensor ih = sorted.get(Kind.BIAS_IH.key(layer, d == 1));
                    String hhKey = Kind.BIAS_HH.key(layer, d == 1);
                    Tensor hh = sorted.get(hhKey);
                    for (int i = 0; i < hidden; i++) {
                        if (!Float.isFinite(ih.get(i) + hh.get(i))) {
                            throw new Inconsistency(hhKey, "element [" + i + "] plus " + Kind.BIAS_IH.key(layer, d == 1)
                                    + "'s (" + hh.get(i) + " + " + ih.get(i) + ") overflows float32; the biases are"
                                    + " summed inside");
                        }
                    }
                }
            }
        }
        ModelConfig config = ModelConfig.builder().inputSize(inputSize).hiddenSize(hidden).layers(layers)
                .bidirectional(bidirectional).merge(Merge.CONCAT).activation(nonlinearity).bias(bias).build();
        return new TorchRnnWeights(config, sorted);
    }

    private static String unexpectedKey(String key) {
        StringBuilder text = new StringBuilder("is not an nn.RNN parameter (expected weight_ih_l{k}, weight_hh_l{k},"
                + " bias_ih_l{k}, bias_hh_l{k}, each optionally with _reverse)");
        int dot = key.lastIndexOf('.');
        if (dot > 0 && TorchRnnKeys.parse(key.substring(dot + 1)) != null) {
            text.append("; it looks like the key of an enclosing module: save the nn.RNN's own state_dict(), without the"
                    + " prefix '").append(key, 0, dot + 1).append('\'');
        } else if (key.startsWith("weight_") || key.startsWith("bias_")) {
            text.append("; nn.LSTM, nn.GRU and proj_size are not supported");
        }
        return text.toString();
    }

    private static String whyMissing(Map<String, Tensor> present, Kind kind, int layer, boolean reverse,
                                     String reverseExample, String biasExample) {
        if (kind.isBias()) {
            String twin = (kind == Kind.BIAS_IH ? Kind.BIAS_HH : Kind.BIAS_IH).key(layer, reverse);
            if (present.containsKey(twin)) {
                return "missing while " + twin + " is present (nn.RNN has both biases or neither)";
            }
            return "missing while " + biasExample + " is present (with bias=True every layer and direction has"
                    + " bias_ih and bias_hh)";
        }
        if (reverse && present.containsKey(kind.key(layer, false))) {
            return "missing: it is the reverse twin of " + kind.key(layer, false) + ", and " + reverseExample
                    + " makes the network bidirectional";
        }
        if (!reverse && present.containsKey(kind.key(layer, true))) {
            return "missing while its reverse twin " + kind.key(layer, true) + " is present";
        }
        return "missing: every layer and direction has weight_ih and weight_hh";
    }

    private static String shapeReason(TorchRnnKeys.Parsed key, int hidden, int inputSize, int directions) {
        return switch (key.kind()) {
            case WEIGHT_IH -> key.layer() == 0
                    ? "(H = " + hidden + " from weight_hh_l0, I = " + inputSize + " from weight_ih_l0)"
                    : "(H = " + hidden + " from weight_hh_l0; layer " + key.layer() + " reads the " + directions + "·H = "
                            + directions * hidden + " features of the layer below)";
            case WEIGHT_HH, BIAS_IH, BIAS_HH -> "(H = " + hidden + " from weight_hh_l0)";
        };
    }

    /** {@code [i]} for a vector, {@code [row, column]} for a matrix. */
    private static String position(Tensor t, int index) {
        return t.rank() == 2 ? "[" + index / t.dim(1) + ", " + index % t.dim(1) + "]" : "[" + index + "]";
    }

    /** A consistency failure, turned into the caller's exception type by the public entry points. */
    private static final class Inconsistency extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final String key;
        final String problem;
        /** A value that is not finite: bad data in a well-formed file (see {@link NonFiniteValueException}). */
        final boolean nonFinite;

        Inconsistency(String key, String problem) {
            this(key, problem, false);
        }

        Inconsistency(String key, String problem, boolean nonFinite) {
            super(problem, null, false, false);
            this.key = key;
            this.problem = problem;
            this.nonFinite = nonFinite;
        }
    }
}
