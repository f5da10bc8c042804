package dev.elman.jmh.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code rnn bench}.
 *
 * @param quick run the quick sweep instead of the full one
 * @param peers CSV files of the peers kit to set beside Elman's rows
 * @param output the folder for the results
 * @param help only print the usage
 */
public record BenchOptions(boolean quick, List<Path> peers, Path output, boolean help) {
    /** The usage line. */
    public static final String USAGE = "usage: rnn bench [--quick] [--peers FILE...] [--out DIR]";

    /** Where results go unless {@code --out} says otherwise (relative to the working directory). */
    public static final Path DEFAULT_OUTPUT = Path.of("rnn-out", "bench");

    /** Copies the list. */
    public BenchOptions {
        peers = List.copyOf(peers);
    }

    /**
     * Parses the arguments after {@code bench}.
     *
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException with a one-line message when an argument is not understood
     */
    public static BenchOptions parse(String... args) {
        boolean quick = false;
        boolean help = false;
        List<Path> peers = new ArrayList<>();
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> quick = true;
                case "--help", "-h" -> help = true;
                case "--peers" -> {
                    int first = i + 1;
                    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        peers.add(path("--peers", args[++i]));
                    }
                    if (i + 1 == first) {
                        throw new IllegalArgumentException("--peers needs at least one CSV file of the peers kit");
                    }
                }
                case "--out" -> {
                    if (output != null) {
                        throw new IllegalArgumentException("--out given twice");
                    }
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new IllegalArgumentException("--out needs a folder");
                    }
                    output = path("--out", args[++i]);
                }
                default -> throw new IllegalArgumentException(arg.startsWith("-")
                        ? "unknown option '" + arg + "'" : "unexpected argument '" + arg + "'");
            }
        }
        return new BenchOptions(quick, peers, output == null ? DEFAULT_OUTPUT : output, help);
    }

    private static Path path(String option, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + ": an empty path");
        }
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not a valid path (" + e.getReason() + ")");
        }
    }
}
