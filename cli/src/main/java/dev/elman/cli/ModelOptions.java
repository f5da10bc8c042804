package dev.elman.cli;

import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.ModelConfig;
import dev.elman.kernels.Activation;

import java.util.List;

/** The options shaping and initialising a model ({@code rnn train}). */
final class ModelOptions {
    static final Option HIDDEN = Option.value("hidden", "H", "hidden units per layer and direction", "64");
    static final Option LAYERS = Option.value("layers", "L", "stacked recurrent layers", "1");
    static final Option BIDIRECTIONAL = Option.flag("bidirectional",
            "also run each layer from the end (full BPTT only; no streaming or sampling)");
    static final Option ACTIVATION = Option.value("activation", "tanh|relu|identity", "the nonlinearity φ", "tanh");
    static final Option INIT = Option.value("init", "uniform|xavier|orthogonal|identity",
            "initial weights; identity (with --activation relu) is the IRNN", "uniform");
    static final Option SPECTRAL_RADIUS = Option.value("spectral-radius", "R",
            "rescale every initial Wh to spectral radius R (default: as drawn)", null);

    private ModelOptions() {
    }

    static List<Option> all() {
        return List.of(HIDDEN, LAYERS, BIDIRECTIONAL, ACTIVATION, INIT, SPECTRAL_RADIUS);
    }

    static ModelConfig config(String command, ParsedOptions options, int inputSize, int outputSize) throws UsageException {
        try {
            return ModelConfig.builder()
                    .inputSize(inputSize)
                    .hiddenSize(options.integer(HIDDEN.name(), 1))
                    .layers(options.integer(LAYERS.name(), 1))
                    .bidirectional(options.flag(BIDIRECTIONAL.name()))
                    .activation(Activation.parse(options.choice(ACTIVATION.name(), "tanh", "relu", "identity")))
                    .outputSize(outputSize)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + e.getMessage(), e);
        }
    }

    /** @return e.g. "1 layer of 64 tanh units, bidirectional (concat), head of 1; 4,353 parameters" */
    static String describe(ModelConfig config) {
        return String.format(java.util.Locale.ROOT, "%d layer%s of %d %s units%s, %s; %,d parameters", config.layers(),
                config.layers() == 1 ? "" : "s", config.hiddenSize(), config.activation().label(),
                config.bidirectional() ? ", bidirectional (" + config.merge().label() + ")" : "",
                config.hasHead() ? "linear head of " + config.outputSize() : "no head", config.parameterCount());
    }

    static Initialization initialization(ParsedOptions options) throws UsageException {
        Initialization init = Initialization.of(Initialization.Scheme.parse(
                options.choice(INIT.name(), "uniform", "xavier", "orthogonal", "identity")));
        if (options.has(SPECTRAL_RADIUS.name())) {
            init = init.withSpectralRadius(options.positiveNumber(SPECTRAL_RADIUS.name()));
        }
        return init;
    }
}
