package dev.elman.engine.interop;

import dev.elman.engine.KernelSelection;
import dev.elman.engine.io.ArchiveContents;
import dev.elman.engine.io.ElmanArchive;
import dev.elman.engine.io.MalformedFileException;
import dev.elman.engine.io.NonFiniteValueException;
import dev.elman.engine.io.Tensor;
import dev.elman.engine.model.Direction;
import dev.elman.engine.model.Merge;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.Parameters;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Elman's own model file: the full {@link ModelConfig} (including the activation and the head),
 * every parameter tensor and optional metadata, in one {@link ElmanArchive} (versioned header,
 * CRC32C over the whole file, atomic replacement on save).
 *
 * <p>Configuration keys: {@code format = elman-model}, {@code model.version = 1},
 * {@code model.inputSize}, {@code model.hiddenSize}, {@code model.layers},
 * {@code model.bidirectional}, {@code model.merge} ({@code concat|sum}), {@code model.activation}
 * (an {@link Activation#label()}: {@code tanh}, {@code leaky_relu(0.01)}, …; the forward
 * direction's, or a reverse model's one), {@code model.bias}, {@code model.outputSize} (0 for no
 * head), {@code model.headBias}; metadata is stored under {@code meta.<key>}. Three optional keys
 * hold what the first files could not express, and are written only when a model has it, so that
 * every other model's file is what it always was (and files written before them read unchanged,
 * with their defaults): {@code model.direction = reverse} (default: forward, or bidirectional as
 * {@code model.bidirectional} says; when present it must agree with it),
 * {@code model.reverseActivation} (a bidirectional model's reverse direction, when it differs;
 * default: {@code model.activation}) and {@code model.clip} (a positive float; default 0, none).
 * Tensors carry the {@link dev.elman.engine.model.ParameterNames parameter names}.
 *
 * <p>Loading trusts nothing: after the archive's own checks (magic, version, lengths, checksum) it
 * requires every configuration key with a valid value and no unknown key, exactly the tensors the
 * configuration defines with their shapes, and finite values; each failure is a
 * {@link MalformedFileException} naming the file and the key or tensor.
 */
public final class ModelFile {
    /** The value of the {@code format} key. */
    public static final String FORMAT = "elman-model";
    /** The model layout version this class writes and reads. */
    public static final int VERSION = 1;

    private static final String FORMAT_KEY = "format";
    private static final String VERSION_KEY = "model.version";
    private static final String INPUT_SIZE = "model.inputSize";
    private static final String HIDDEN_SIZE = "model.hiddenSize";
    private static final String LAYERS = "model.layers";
    private static final String BIDIRECTIONAL = "model.bidirectional";
    private static final String MERGE = "model.merge";
    private static final String ACTIVATION = "model.activation";
    private static final String BIAS = "model.bias";
    private static final String OUTPUT_SIZE = "model.outputSize";
    private static final String HEAD_BIAS = "model.headBias";
    private static final String DIRECTION = "model.direction";
    private static final String REVERSE_ACTIVATION = "model.reverseActivation";
    private static final String CLIP = "model.clip";
    private static final String META = "meta.";
    private static final Set<String> CONFIG_KEYS = Set.of(FORMAT_KEY, VERSION_KEY, INPUT_SIZE, HIDDEN_SIZE, LAYERS,
            BIDIRECTIONAL, MERGE, ACTIVATION, BIAS, OUTPUT_SIZE, HEAD_BIAS, DIRECTION, REVERSE_ACTIVATION, CLIP);

    private ModelFile() {
    }

    /**
     * Saves a model without metadata.
     *
     * @param file the destination; replaced atomically
     * @param model the model (its current parameter values are saved)
     * @throws IOException when the file cannot be written; the previous file is then intact
     */
    public static void save(Path file, Model model) throws IOException {
        save(file, model, Map.of());
    }

    /**
     * Saves a model and metadata.
     *
     * @param file the destination; replaced atomically
     * @param model the model (its current parameter values are saved)
     * @param metadata free-form key/value pairs kept with the model
     * @throws IOException when the file cannot be written; the previous file is then intact
     * @throws IllegalArgumentException when a parameter value is not finite, or a metadata key is empty
     */
    public static void save(Path file, Model model, Map<String, String> metadata) throws IOException {
        ModelConfig config = model.config();
        Map<String, String> values = new TreeMap<>();
        values.put(FORMAT_KEY, FORMAT);
        values.put(VERSION_KEY, Integer.toString(VERSION));
        values.put(INPUT_SIZE, Integer.toString(config.inputSize()));
        values.put(HIDDEN_SIZE, Integer.toString(config.hiddenSize()));
        values.put(LAYERS, Integer.toString(config.layers()));
        values.put(BIDIRECTIONAL, Boolean.toString(config.bidirectional()));
        values.put(MERGE, config.merge().label());
        values.put(ACTIVATION, config.activation().label());
        values.put(BIAS, Boolean.toString(config.bias()));
        values.put(OUTPUT_SIZE, Integer.toString(config.outputSize()));
        values.put(HEAD_BIAS, Boolean.toString(config.headBias()));
        if (config.direction() == Direction.REVERSE) {
            values.put(DIRECTION, config.direction().label());
        }
        if (config.bidirectional() && !config.activation(true).equals(config.activation(false))) {
            values.put(REVERSE_ACTIVATION, config.activation(true).label());
        }
        if (config.clip() > 0) {
            values.put(CLIP, Float.toString(config.clip()));
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey() == null || entry.getKey().isEmpty() || entry.getValue() == null) {
                throw new IllegalArgumentException("metadata keys must be non-empty and values non-null, got "
                        + entry.getKey() + " = " + entry.getValue());
            }
            values.put(META + entry.getKey(), entry.getValue());
        }
        Map<String, Tensor> tensors = new TreeMap<>();
        Parameters parameters = model.parameters();
        for (String name : parameters.names()) {
            Tensor parameter = parameters.get(name);
            float[] data = parameter.data();
            for (int i = 0; i < data.length; i++) {
                if (!Float.isFinite(data[i])) {
                    throw new IllegalArgumentException("cannot save " + name + "[" + i + "] = " + data[i]
                            + ": a model file holds finite values only");
                }
            }
            // The parameter itself, not a copy: the archive is written before this method returns.
            tensors.put(name, parameter);
        }
        ElmanArchive.write(file, new ArchiveContents(values, tensors));
    }

    /**
     * Loads a model onto the JVM's selected kernels.
     *
     * @param file the model file
     * @return the model and its metadata
     * @throws MalformedFileException when the file is damaged or not a valid model file
     * @throws IOException when the file cannot be read
     */
    public static SavedModel load(Path file) throws IOException {
        return load(file, KernelSelection.kernels());
    }

    /**
     * Loads a model onto the given kernels.
     *
     * @param file the model file
     * @param kernels the implementation the model computes with
     * @return the model and its metadata
     * @throws MalformedFileException when the file is damaged or not a valid model file
     * @throws IOException when the file cannot be read
     */
    public static SavedModel load(Path file, RecurrentKernels kernels) throws IOException {
        ArchiveContents contents = ElmanArchive.read(file);
        Map<String, String> values = contents.config();
        String format = values.get(FORMAT_KEY);
        if (!FORMAT.equals(format)) {
            throw new MalformedFileException(file, null, FORMAT_KEY, "expected '" + FORMAT + "', got "
                    + (format == null ? "no such key" : "'" + format + "'") + " (an Elman archive, but not a model)");
        }
        int version = integer(file, values, VERSION_KEY, 1);
        if (version != VERSION) {
            throw new MalformedFileException(file, null, VERSION_KEY, "this Elman reads model version " + VERSION
                    + ", the file has version " + version);
        }
        Map<String, String> metadata = new TreeMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (entry.getKey().startsWith(META)) {
                metadata.put(entry.getKey().substring(META.length()), entry.getValue());
            } else if (!CONFIG_KEYS.contains(entry.getKey())) {
                throw new MalformedFileException(file, null, entry.getKey(), "unknown configuration key");
            }
        }
        boolean bidirectional = bool(file, values, BIDIRECTIONAL);
        Direction direction = bidirectional ? Direction.BIDIRECTIONAL : Direction.FORWARD;
        if (values.containsKey(DIRECTION)) {
            direction = parsed(file, DIRECTION, values.get(DIRECTION), Direction::parse);
            if ((direction == Direction.BIDIRECTIONAL) != bidirectional) {
                throw new MalformedFileException(file, null, DIRECTION, "'" + direction.label() + "' contradicts "
                        + BIDIRECTIONAL + " = " + bidirectional);
            }
        }
        Activation activation = parsed(file, ACTIVATION, required(file, values, ACTIVATION), Activation::parse);
        Activation reverseActivation = activation;
        if (values.containsKey(REVERSE_ACTIVATION)) {
            if (!bidirectional) {
                throw new MalformedFileException(file, null, REVERSE_ACTIVATION,
                        "only a bidirectional model has a second activation (" + BIDIRECTIONAL + " = false)");
            }
            reverseActivation = parsed(file, REVERSE_ACTIVATION, values.get(REVERSE_ACTIVATION), Activation::parse);
        }
        float clip = values.containsKey(CLIP) ? parsed(file, CLIP, values.get(CLIP), ModelFile::clip) : 0f;
        ModelConfig config;
        try {
            config = ModelConfig.builder()
                    .inputSize(integer(file, values, INPUT_SIZE, 1))
                    .hiddenSize(integer(file, values, HIDDEN_SIZE, 1))
                    .layers(integer(file, values, LAYERS, 1))
                    .direction(direction)
                    .merge(Merge.parse(required(file, values, MERGE)))
                    .activations(direction == Direction.REVERSE ? reverseActivation : activation, reverseActivation)
                    .clip(clip)
                    .bias(bool(file, values, BIAS))
                    .outputSize(integer(file, values, OUTPUT_SIZE, 0))
                    .headBias(bool(file, values, HEAD_BIAS))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file, "invalid model configuration: " + e.getMessage());
        }

        checkDataPresent(file, config, contents);
        Parameters parameters = Parameters.zeros(config);
        Set<String> unexpected = new TreeSet<>(contents.tensors().keySet());
        for (String name : parameters.names()) {
            Tensor parameter = parameters.get(name);
            Tensor stored = contents.tensors().get(name);
            if (stored == null) {
                throw new MalformedFileException(file, name, "shape",
                        "missing: the configuration needs it with shape " + Arrays.toString(parameter.shape()));
            }
            unexpected.remove(name);
            if (!stored.hasShape(parameter.shape())) {
                throw new MalformedFileException(file, name, "shape", "expected "
                        + Arrays.toString(parameter.shape()) + ", got " + Arrays.toString(stored.shape()));
            }
            stored.copyTo(parameter.data(), 0);
            float[] data = parameter.data();
            for (int i = 0; i < data.length; i++) {
                if (!Float.isFinite(data[i])) {
                    throw new NonFiniteValueException(file, name, "data",
                            "element " + i + " is " + data[i] + "; a model holds finite values only");
                }
            }
        }
        if (!unexpected.isEmpty()) {
            throw new MalformedFileException(file, unexpected.iterator().next(), "name",
                    "not a parameter of this configuration (" + config + ")");
        }
        return new SavedModel(Model.withParameters(parameters, kernels), java.util.Collections.unmodifiableMap(metadata));
    }

    /**
     * Refuses, before anything is allocated, a configuration whose parameters the file does not
     * hold: a few bytes of text ({@code model.layers = 100000}) must not make the reader claim
     * gigabytes. Small configurations (up to {@link #UNCHECKED_VALUES} values, a few MiB) are left
     * to the tensor-by-tensor checks below, which name the missing or misshapen tensor.
     */
    private static void checkDataPresent(Path file, ModelConfig config, ArchiveContents contents)
            throws MalformedFileException {
        long needed = config.parameterCount();
        if (needed <= UNCHECKED_VALUES) {
            return;
        }
        long stored = 0;
        for (Tensor t : contents.tensors().values()) {
            stored += t.size();
        }
        if (needed > stored) {
            throw new MalformedFileException(file, String.format(Locale.ROOT,
                    "the configuration (%s = %d, %s = %d, %s = %d) needs %,d parameter values but the file's %d"
                            + " tensors hold only %,d; refused before allocating", LAYERS, config.layers(), HIDDEN_SIZE,
                    config.hiddenSize(), INPUT_SIZE, config.inputSize(), needed, contents.tensors().size(), stored));
        }
    }

    /** Parameter values a configuration may claim before they are checked against the file: 4 MiB of float32. */
    private static final long UNCHECKED_VALUES = 1L << 20;

    /** A value read by a parser whose IllegalArgumentException becomes a MalformedFileException naming the key. */
    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parsed(Path file, String key, String value, Parser<T> parser) throws MalformedFileException {
        try {
            return parser.parse(value);
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file, null, key, e.getMessage());
        }
    }

    /** A clip as {@link Float#toString(float)} writes it: a decimal number, 0 or positive and finite. */
    private static float clip(String text) {
        if (!text.trim().matches("[+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            throw new IllegalArgumentException("expected a decimal number, got '" + text + "'");
        }
        return RecurrentWeights.checkClip(Float.parseFloat(text.trim()));
    }

    private static String required(Path file, Map<String, String> values, String key) throws MalformedFileException {
        String value = values.get(key);
        if (value == null) {
            throw new MalformedFileException(file, null, key, "missing configuration key");
        }
        return value;
    }

    private static int integer(Path file, Map<String, String> values, String key, int min) throws MalformedFileException {
        String value = required(file, values, key);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min) {
                throw new MalformedFileException(file, null, key, "must be at least " + min + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new MalformedFileException(file, null, key, "expected an integer, got '" + value + "'");
        }
    }

    private static boolean bool(Path file, Map<String, String> values, String key) throws MalformedFileException {
        String value = required(file, values, key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new MalformedFileException(file, null, key, "expected true or false, got '" + value + "'");
        };
    }
}
