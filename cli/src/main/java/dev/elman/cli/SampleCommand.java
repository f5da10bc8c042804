package dev.elman.cli;

import dev.elman.engine.interop.SavedModel;
import dev.elman.cli.tasks.CharSampler;
import dev.elman.cli.tasks.CharVocabulary;
import dev.elman.cli.tasks.Tasks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** {@code rnn sample}: text from a character model trained with {@code rnn train --task chars}. */
public final class SampleCommand implements Subcommand {
    static final Option MODEL = Option.required("model", "FILE", "a checkpoint of rnn train --task chars");
    static final Option LENGTH = Option.value("length", "N", "characters to generate", "500");
    static final Option TEMPERATURE = Option.value("temperature", "τ",
            "divide the logits by τ: below 1 more likely characters, above 1 more varied", "0.8");
    static final Option PRIME = Option.value("prime", "TEXT", "text the model reads first (default: one random character)",
            "");
    static final Option SEED = Option.value("seed", "N", "random seed", "1");

    @Override
    public String name() {
        return "sample";
    }

    @Override
    public String summary() {
        return "generate text from a character model (rnn train --task chars)";
    }

    @Override
    public String description() {
        return """
                Streams a character model one step at a time: it reads --prime, then draws each next
                character from softmax(y / τ) and feeds it back, --length times, and prints the prime and
                the generated text. The same model, prime and seed give the same text. Exit status 2 when
                the model is not a character model or the prime has a character outside its vocabulary,
                1 when the file cannot be read or is not a valid model file.""";
    }

    @Override
    public List<Option> options() {
        return List.of(MODEL, LENGTH, TEMPERATURE, PRIME, SEED);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out) throws Exception {
        String command = "rnn " + name();
        int length = options.integer(LENGTH.name(), 0);
        double temperature = options.positiveNumber(TEMPERATURE.name());
        long seed = options.longInteger(SEED.name(), Long.MIN_VALUE);
        Path file = options.path(MODEL.name());
        SavedModel saved = Checkpoints.load(file);
        CharVocabulary vocabulary;
        CharSampler sampler;
        try {
            vocabulary = Tasks.vocabulary(saved.metadata());
            sampler = new CharSampler(saved.model(), vocabulary);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + file + ": " + e.getMessage(), e);
        }
        String text;
        try {
            text = sampler.sample(options.string(PRIME.name()), length, temperature, new SplittableRandom(seed));
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": --" + e.getMessage(), e);
        }
        out.println(text);
        return 0;
    }
}
