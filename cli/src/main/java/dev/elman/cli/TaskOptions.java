package dev.elman.cli;

import dev.elman.cli.tasks.AddingProblem;
import dev.elman.cli.tasks.CharTask;
import dev.elman.cli.tasks.CopyTask;
import dev.elman.cli.tasks.SineTask;
import dev.elman.cli.tasks.Task;
import dev.elman.cli.tasks.Tasks;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The options choosing a {@link Task} ({@code rnn train}, a picocli mixin), and making it from them. */
final class TaskOptions {
    /** The built-in tasks, as {@code --task} names them. */
    static final class TaskName extends Choice {
        TaskName() {
            super(Tasks.NAMES);
        }
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--task", paramLabel = "adding|copy|sine|chars", required = true, converter = TaskName.class,
            description = "what to learn: adding problem, memorise-and-recall, next sine value, characters of --text")
    String task;

    @Option(names = "--length", paramLabel = "T", defaultValue = "100", converter = NumberValues.AtLeastOne.class,
            description = "sequence length (adding, sine; chars: characters per batch; copy: the delay to bridge)")
    int length;

    @Option(names = "--text", paramLabel = "FILE", description = "the UTF-8 text a chars model learns (chars only)")
    Path text;

    @Option(names = "--symbols", paramLabel = "S", defaultValue = "" + CopyTask.DEFAULT_SYMBOLS,
            converter = NumberValues.AtLeastOne.class, description = "copy: symbols to remember")
    int symbols;

    @Option(names = "--alphabet", paramLabel = "K", defaultValue = "" + CopyTask.DEFAULT_ALPHABET,
            converter = NumberValues.AtLeastTwo.class, description = "copy: distinct symbols")
    int alphabet;

    /**
     * @throws UsageException for a combination that does not fit
     * @throws IOException when the text cannot be read
     */
    Task task() throws UsageException, IOException {
        String name = command.qualifiedName();
        var given = command.commandLine().getParseResult();
        if (!task.equals("chars") && text != null) {
            throw new UsageException(name + ": --text is for --task chars, not " + task);
        }
        if (!task.equals("copy") && (given.hasMatchedOption("--symbols") || given.hasMatchedOption("--alphabet"))) {
            throw new UsageException(name + ": --symbols and --alphabet are for --task copy, not " + task);
        }
        try {
            return switch (task) {
                case "adding" -> new AddingProblem(length);
                case "sine" -> new SineTask(length);
                case "copy" -> new CopyTask(symbols, alphabet, length);
                default -> new CharTask(readText(name), length);
            };
        } catch (IllegalArgumentException e) {
            throw new UsageException(name + ": " + e.getMessage(), e);
        }
    }

    private String readText(String name) throws UsageException, IOException {
        if (text == null) {
            throw new UsageException(name + ": --task chars needs --text FILE, the text to learn");
        }
        try {
            return Files.readString(text, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(text + " is not UTF-8 text", e);
        } catch (IOException e) {
            if (Files.isDirectory(text)) {
                throw new IOException(text + " is a directory, not a text file", e);
            }
            throw e;
        }
    }
}
