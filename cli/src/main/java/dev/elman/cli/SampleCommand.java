package dev.elman.cli;

import dev.elman.engine.interop.SavedModel;
import dev.elman.engine.model.Model;
import dev.elman.cli.tasks.CharSampler;
import dev.elman.cli.tasks.CharVocabulary;
import dev.elman.cli.tasks.Tasks;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** {@code rnn sample}: text from a character model trained with {@code rnn train --task chars}. */
@Command(name = "sample",
        header = "generate text from a character model (rnn train --task chars)",
        description = """
                Streams a character model one step at a time: it reads --prime, then draws each next
                character from softmax(y / τ) and feeds it back, --length times, and prints the prime and
                the generated text as it goes (in constant memory, however long). The same model, prime
                and seed give the same text. --precision bf16 or int8 steps with the recurrent weights
                rounded to that format (biases, the head, states and sums stay float32): the text may then
                differ from f32's where two characters were nearly as likely. Exit status 2 when the model
                is not a character model, the prime has a character outside its vocabulary or a weight is
                beyond bf16's range, 1 when the file cannot be read or is not a valid model file.""")
public final class SampleCommand implements Subcommand {
    @Option(names = "--model", paramLabel = "FILE", required = true, description = "a checkpoint of rnn train --task chars")
    Path file;

    @Option(names = "--length", paramLabel = "N", defaultValue = "500", converter = NumberValues.AtLeastZero.class,
            description = "characters to generate")
    int length;

    @Option(names = "--temperature", paramLabel = "τ", defaultValue = "0.8", converter = NumberValues.PositiveNumber.class,
            description = "divide the logits by τ: below 1 more likely characters, above 1 more varied")
    double temperature;

    @Option(names = "--prime", paramLabel = "TEXT", defaultValue = "",
            description = "text the model reads first (default: one random character)")
    String prime;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", converter = NumberValues.AnyLong.class,
            description = "random seed")
    long seed;

    @Mixin
    PrecisionOption precision;

    @Override
    public int run(PrintStream out) throws Exception {
        String command = "rnn sample";
        SavedModel saved = Checkpoints.load(file);
        try (Model read = saved.model(); Model model = precision.modelFor(command, file, read)) {
            CharSampler sampler;
            try {
                CharVocabulary vocabulary = Tasks.vocabulary(saved.metadata());
                sampler = new CharSampler(model, vocabulary);
            } catch (IllegalArgumentException e) {
                throw new UsageException(command + ": " + file + ": " + e.getMessage(), e);
            }
            sample(out, command, sampler);
        }
        return 0;
    }

    /** Draws the text and prints it as it comes; the prime's characters are checked before any is printed. */
    private void sample(PrintStream out, String command, CharSampler sampler) throws UsageException {
        // Printed as it is drawn, a line (or a few KiB) at a time: constant memory for any --length, and
        // the first characters appear at once. The prime is checked before anything is printed.
        StringBuilder pending = new StringBuilder();
        try {
            sampler.sample(prime, length, temperature, new SplittableRandom(seed), codePoint -> {
                pending.appendCodePoint(codePoint);
                if (codePoint == '\n' || pending.length() >= FLUSH_CHARS) {
                    out.print(pending);
                    out.flush();
                    pending.setLength(0);
                }
            });
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": --" + e.getMessage(), e);
        } finally {
            out.print(pending);
            out.flush();
        }
        out.println();
    }

    /** Characters held back before printing, when no line ends sooner. */
    private static final int FLUSH_CHARS = 4096;
}
