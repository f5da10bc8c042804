package dev.elman.cli;

import dev.elman.engine.model.Model;
import dev.elman.kernels.WeightPrecision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@code --precision f32|bf16|int8}, the format a command's model reads its recurrent weights
 * {@code Wx}, {@code Wh} in (a picocli mixin of {@code rnn run} and {@code rnn sample}; not of
 * {@code rnn grad} or {@code rnn train}, since gradients and training need the float32 weights).
 * The weights are rounded from the file's float32 values when the model is made; biases, the head,
 * states and every sum stay float32 (see {@link WeightPrecision}).
 */
final class PrecisionOption {
    /** The labels, as the refusal of a bad value lists them: {@code f32, bf16, int8}. */
    private static final String CHOICES = Arrays.stream(WeightPrecision.values()).map(WeightPrecision::label)
            .collect(Collectors.joining(", "));

    /** What the help says of the option. */
    static final String DESCRIPTION = "the format of the recurrent weights in the passes: f32 as given, bf16 (8 significant"
            + " bits) or int8 (one scale per row); biases, the head, states and sums stay f32";

    /** The option's values: a precision's label, any case, surrounding blanks ignored. */
    static final class Name implements ITypeConverter<WeightPrecision> {
        @Override
        public WeightPrecision convert(String value) {
            try {
                return WeightPrecision.parse(value.trim());
            } catch (IllegalArgumentException e) {
                // The engine's message starts with its own origin ("precision: …"); the option's name
                // goes before this reason instead.
                throw new TypeConversionException("must be one of " + CHOICES + ", got '" + value + "'");
            }
        }
    }

    @Option(names = "--precision", paramLabel = "f32|bf16|int8", defaultValue = "f32", converter = Name.class,
            description = DESCRIPTION)
    WeightPrecision precision;

    /** @return the precision asked for (f32 by default) */
    WeightPrecision precision() {
        return precision;
    }

    /**
     * The model a command computes with.
     *
     * @param command the subcommand, {@code "rnn run"}, for the message
     * @param file the file the weights came from, for the message
     * @param model the float32 model read from it
     * @return {@code model} itself for f32, otherwise an independent copy storing its recurrent
     *     weights in the precision asked for (the caller closes both)
     * @throws UsageException when a weight cannot be stored in that precision (a bfloat16
     *     overflow), naming the option, the file, the tensor, the index and the value
     */
    Model modelFor(String command, Path file, Model model) throws UsageException {
        if (precision == WeightPrecision.F32) {
            return model;
        }
        try {
            return model.withInferencePrecision(precision);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": --precision " + precision.label() + ": " + file + ": " + e.getMessage(), e);
        }
    }
}
