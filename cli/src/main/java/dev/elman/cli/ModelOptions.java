package dev.elman.cli;

import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.ModelConfig;
import dev.elman.kernels.Activation;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.util.List;

/** The options shaping and initialising a model ({@code rnn train}, a picocli mixin). */
final class ModelOptions {
    /**
     * The nonlinearities, as {@code --activation} names them: every {@link Activation#label()}
     * ({@code tanh}, {@code relu}, {@code identity}, {@code sigmoid}, {@code leaky_relu(0.01)}, …).
     */
    static final class ActivationName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return Activation.parse(value).label();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The initialisation schemes, as {@code --init} names them. */
    static final class InitName extends Choice {
        InitName() {
            super(List.of("uniform", "xavier", "orthogonal", "identity"));
        }
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--hidden", paramLabel = "H", defaultValue = "64", converter = NumberValues.AtLeastOne.class,
            description = "hidden units per layer and direction")
    int hidden;

    @Option(names = "--layers", paramLabel = "L", defaultValue = "1", converter = NumberValues.AtLeastOne.class,
            description = "stacked recurrent layers")
    int layers;

    @Option(names = "--bidirectional",
            description = "also run each layer from the end (full BPTT only; no streaming or sampling)")
    boolean bidirectional;

    @Option(names = "--activation", paramLabel = "tanh|relu|identity", defaultValue = "tanh",
            converter = ActivationName.class, description = "the nonlinearity φ")
    String activation;

    @Option(names = "--init", paramLabel = "uniform|xavier|orthogonal|identity", defaultValue = "uniform",
            converter = InitName.class, description = "initial weights; identity (with --activation relu) is the IRNN")
    String init;

    @Option(names = "--spectral-radius", paramLabel = "R", converter = NumberValues.PositiveNumber.class,
            description = "rescale every initial Wh to spectral radius R (default: as drawn)")
    Double spectralRadius;

    ModelConfig config(int inputSize, int outputSize) throws UsageException {
        try {
            return ModelConfig.builder()
                    .inputSize(inputSize)
                    .hiddenSize(hidden)
                    .layers(layers)
                    .bidirectional(bidirectional)
                    .activation(Activation.parse(activation))
                    .outputSize(outputSize)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(command.qualifiedName() + ": " + e.getMessage(), e);
        }
    }

    /** @return e.g. "1 layer of 64 tanh units, bidirectional (concat), head of 1; 4,353 parameters" */
    static String describe(ModelConfig config) {
        return String.format(java.util.Locale.ROOT, "%d layer%s of %d %s units%s, %s; %,d parameters", config.layers(),
                config.layers() == 1 ? "" : "s", config.hiddenSize(), config.activation().label(),
                config.bidirectional() ? ", bidirectional (" + config.merge().label() + ")" : "",
                config.hasHead() ? "linear head of " + config.outputSize() : "no head", config.parameterCount());
    }

    Initialization initialization() {
        Initialization scheme = Initialization.of(Initialization.Scheme.parse(init));
        return spectralRadius != null ? scheme.withSpectralRadius(spectralRadius) : scheme;
    }
}
