package dev.elman.cli.tasks;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The task names and the metadata keys under which a checkpoint remembers its task, and the way
 * back from that metadata to a task.
 */
public final class Tasks {
    /** The names of the tasks, as on the command line. */
    public static final List<String> NAMES = List.of("adding", "copy", "sine", "chars");
    /** Metadata key: the task's name. */
    public static final String TASK_KEY = "task";
    /** Metadata key: the task's length (T; the delay for copy). */
    public static final String LENGTH_KEY = "task.length";
    /** Metadata key: the copy task's number of symbols. */
    public static final String SYMBOLS_KEY = "task.symbols";
    /** Metadata key: the copy task's alphabet size. */
    public static final String ALPHABET_KEY = "task.alphabet";
    /** Metadata key: a character model's vocabulary, its characters in index order. */
    public static final String VOCABULARY_KEY = "chars.vocabulary";

    private Tasks() {
    }

    /**
     * Rebuilds a synthetic task from a checkpoint's metadata.
     *
     * @param metadata the metadata saved with a model
     * @return the task, or empty when the metadata names no task or the chars task (which needs
     *     its text)
     * @throws IllegalArgumentException when the metadata names a task but a value is missing or invalid
     */
    public static Optional<Task> fromMetadata(Map<String, String> metadata) {
        String name = metadata.get(TASK_KEY);
        if (name == null || name.equals("chars")) {
            return Optional.empty();
        }
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("metadata: unknown task '" + name + "' (expected one of "
                    + String.join(", ", NAMES) + ")");
        }
        int length = integer(metadata, LENGTH_KEY);
        try {
            return Optional.of(switch (name) {
                case "adding" -> new AddingProblem(length);
                case "sine" -> new SineTask(length);
                default -> new CopyTask(integer(metadata, SYMBOLS_KEY), integer(metadata, ALPHABET_KEY), length);
            });
        } catch (IllegalArgumentException e) {
            // The task's own words name its parameter, not the metadata key it came from: add the key.
            throw new IllegalArgumentException("metadata: the " + name + " task of '" + LENGTH_KEY + "' = " + length
                    + (name.equals("copy") ? ", '" + SYMBOLS_KEY + "' = " + metadata.get(SYMBOLS_KEY) + ", '"
                    + ALPHABET_KEY + "' = " + metadata.get(ALPHABET_KEY) : "") + " is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * The vocabulary of a character model's checkpoint.
     *
     * @param metadata the metadata saved with a model
     * @return the vocabulary
     * @throws IllegalArgumentException when the metadata is not a character model's
     */
    public static CharVocabulary vocabulary(Map<String, String> metadata) {
        String name = metadata.get(TASK_KEY);
        if (!"chars".equals(name)) {
            throw new IllegalArgumentException("not a character model: its task is "
                    + (name == null ? "not recorded" : "'" + name + "'") + " (train one with --task chars --text FILE)");
        }
        String symbols = metadata.get(VOCABULARY_KEY);
        if (symbols == null) {
            throw new IllegalArgumentException("metadata: a character model without '" + VOCABULARY_KEY + "'");
        }
        return CharVocabulary.parse(symbols);
    }

    private static int integer(Map<String, String> metadata, String key) {
        String value = metadata.get(key);
        if (value == null) {
            throw new IllegalArgumentException("metadata: '" + key + "' is missing");
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata: '" + key + "' must be an integer, got '" + value + "'");
        }
        // Every task parameter (length, symbols, alphabet) is a size: checked here so that the
        // message names the key rather than what a task constructor derives from it.
        if (parsed < 1) {
            throw new IllegalArgumentException("metadata: '" + key + "' must be at least 1, got " + parsed);
        }
        return parsed;
    }
}
