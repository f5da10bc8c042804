package dev.elman.cli;

import dev.elman.cli.tasks.AddingProblem;
import dev.elman.cli.tasks.CharTask;
import dev.elman.cli.tasks.CopyTask;
import dev.elman.cli.tasks.SineTask;
import dev.elman.cli.tasks.Task;
import dev.elman.cli.tasks.Tasks;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The options choosing a {@link Task} ({@code rnn train}), and making it from them. */
final class TaskOptions {
    static final Option TASK = Option.required("task", "adding|copy|sine|chars",
            "what to learn: adding problem, memorise-and-recall, next sine value, characters of --text");
    static final Option LENGTH = Option.value("length", "T",
            "sequence length (adding, sine; chars: characters per batch; copy: the delay to bridge)", "100");
    static final Option TEXT = Option.value("text", "FILE", "the UTF-8 text a chars model learns (chars only)", null);
    static final Option SYMBOLS = Option.value("symbols", "S", "copy: symbols to remember",
            Integer.toString(CopyTask.DEFAULT_SYMBOLS));
    static final Option ALPHABET = Option.value("alphabet", "K", "copy: distinct symbols",
            Integer.toString(CopyTask.DEFAULT_ALPHABET));

    private TaskOptions() {
    }

    static List<Option> all() {
        return List.of(TASK, LENGTH, TEXT, SYMBOLS, ALPHABET);
    }

    /**
     * @throws UsageException for a bad value or a combination that does not fit
     * @throws IOException when the text cannot be read
     */
    static Task task(String command, ParsedOptions options) throws UsageException, IOException {
        String name = options.choice(TASK.name(), Tasks.NAMES.toArray(String[]::new));
        int length = options.integer(LENGTH.name(), 1);
        if (!name.equals("chars") && options.has(TEXT.name())) {
            throw new UsageException(command + ": --text is for --task chars, not " + name);
        }
        if (!name.equals("copy") && (options.has(SYMBOLS.name()) || options.has(ALPHABET.name()))) {
            throw new UsageException(command + ": --symbols and --alphabet are for --task copy, not " + name);
        }
        try {
            return switch (name) {
                case "adding" -> new AddingProblem(length);
                case "sine" -> new SineTask(length);
                case "copy" -> new CopyTask(options.integer(SYMBOLS.name(), 1), options.integer(ALPHABET.name(), 2), length);
                default -> new CharTask(readText(command, options), length);
            };
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + e.getMessage(), e);
        }
    }

    private static String readText(String command, ParsedOptions options) throws UsageException, IOException {
        Path file = options.path(TEXT.name());
        if (file == null) {
            throw new UsageException(command + ": --task chars needs --text FILE, the text to learn");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text", e);
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new IOException(file + " is a directory, not a text file", e);
            }
            throw e;
        }
    }
}
