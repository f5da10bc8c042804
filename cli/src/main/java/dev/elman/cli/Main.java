package dev.elman.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code ./rnn}: dispatches to a subcommand, and turns every failure into one line
 * on standard error and a non-zero exit status (2 for a usage mistake, 1 for anything else).
 * {@code --verbose}, anywhere on the line, adds the stack trace.
 */
public final class Main {
    private final Map<String, Subcommand> subcommands = new LinkedHashMap<>();

    /**
     * @param subcommands the subcommands offered, in the order {@code --help} lists them
     */
    public Main(List<Subcommand> subcommands) {
        for (Subcommand subcommand : subcommands) {
            this.subcommands.put(subcommand.name(), subcommand);
        }
    }

    /**
     * Runs {@code ./rnn} and exits the JVM with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(new Main(Subcommands.all()).run(args, System.out, System.err));
    }

    /**
     * Runs one command line.
     *
     * @param args the command line
     * @param out standard output
     * @param err standard error
     * @return the exit status
     */
    public int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean verbose = rest.remove("--verbose");
        if (rest.isEmpty() || rest.get(0).equals("--help") || rest.get(0).equals("-h") || rest.get(0).equals("help")) {
            out.print(overview());
            return 0;
        }
        String name = rest.remove(0);
        Subcommand subcommand = subcommands.get(name);
        if (subcommand == null) {
            err.println("rnn: unknown subcommand '" + name + "' (one of: " + String.join(", ", subcommands.keySet()) + ")");
            return 2;
        }
        OptionParser parser = new OptionParser("rnn " + name, subcommand.options());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(parser.help(subcommand.description()));
            out.println("  --verbose  print stack traces of errors");
            return 0;
        }
        try {
            return subcommand.run(parser.parse(rest.toArray(String[]::new)), out);
        } catch (UsageException e) {
            report(err, e.getMessage(), e, verbose);
            return 2;
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            report(err, "rnn " + name + ": " + describe(e), e, verbose);
            return 1;
        }
    }

    private static void report(PrintStream err, String line, Throwable e, boolean verbose) {
        err.println(line);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    /** One line: the message of the failure, its type when the message alone would not say. */
    static String describe(Throwable e) {
        Throwable shown = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String message = shown.getMessage();
        if (shown instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + message;
        }
        if (shown instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + message;
        }
        if (message == null || message.isBlank()) {
            return shown.getClass().getSimpleName() + " (run with --verbose for the stack trace)";
        }
        if (shown instanceof IllegalArgumentException || shown instanceof IOException
                || shown instanceof IllegalStateException || shown instanceof UnsupportedOperationException) {
            return message.replace('\n', ' ');
        }
        return shown.getClass().getSimpleName() + ": " + message.replace('\n', ' ') + " (run with --verbose for the stack trace)";
    }

    private String overview() {
        StringBuilder text = new StringBuilder("Usage: rnn <subcommand> [options]   (rnn <subcommand> --help for its options)\n\n"
                + "Elman: vanilla RNNs on the JVM.\n\nSubcommands:\n");
        // `bench` lives in the jmh module (it runs JMH), which depends on this one: the ./rnn
        // launcher starts it from the benchmarks jar, and this list only names it.
        String bench = "bench";
        int width = Math.max(bench.length(), subcommands.keySet().stream().mapToInt(String::length).max().orElse(0));
        for (Subcommand subcommand : subcommands.values()) {
            text.append("  ").append(subcommand.name()).append(" ".repeat(width - subcommand.name().length() + 2))
                    .append(subcommand.summary()).append('\n');
        }
        text.append("  ").append(bench).append(" ".repeat(width - bench.length() + 2))
                .append("the JMH benchmark sweep, with tables and charts (./rnn bench --help)\n");
        text.append("\nGlobal: --verbose prints stack traces of errors.\n");
        return text.toString();
    }
}
