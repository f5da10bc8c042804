package dev.elman.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Entry point of {@code ./rnn}: parses the command line with picocli, runs the subcommand it
 * names, and turns every failure into one line on standard error and a non-zero exit status:
 * 2 for a usage mistake, 4 for a result that is not finite ({@code run}, {@code grad}), 1 for
 * anything else. {@code --verbose}, anywhere on the line, adds the
 * stack trace; {@code --help} (or {@code -h}) anywhere after a subcommand prints its help, and
 * {@code rnn --help} or {@code rnn help} the overview; a bare {@code rnn} prints the overview on
 * standard error with status 2 (it named nothing to do). Options too large for the memory are
 * status 2 too, whether a command's estimate refuses them or an {@link OutOfMemoryError} still happens.
 *
 * <p>The subcommands are this module's ({@link Subcommands}) followed by those other modules
 * provide as {@link Subcommand} services. The launcher may leave modules that are slow to build
 * off the path and name them in the system property {@value #UNBUILT_PROPERTY} (comma-separated);
 * for a subcommand none of the loaded modules knows, Main then prints nothing and exits with
 * {@value #NOT_BUILT}, so that the launcher builds those modules and asks again.
 */
public final class Main {
    /** The system property naming the modules the launcher has not built (comma-separated). */
    public static final String UNBUILT_PROPERTY = "elman.rnn.unbuilt";
    /** The exit status for an unknown subcommand while some modules are not built. */
    public static final int NOT_BUILT = 3;

    private final CommandLine line;
    private final List<String> unbuilt;

    /** The {@code rnn} command itself: the global options, inherited by every subcommand. */
    @Command(name = "rnn")
    private static final class Rnn {
        @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "print stack traces of errors")
        boolean verbose;

        @Option(names = {"--help", "-h"}, usageHelp = true, scope = ScopeType.INHERIT, description = "this help")
        boolean help;
    }

    /**
     * @param subcommands the subcommands offered, in the order {@code --help} lists them
     * @throws IllegalArgumentException when two have the same name or one is not a picocli command
     */
    public Main(List<Subcommand> subcommands) {
        this(subcommands, List.of());
    }

    /**
     * @param subcommands the subcommands offered, in the order {@code --help} lists them
     * @param unbuilt the modules with more subcommands that are not on the path (see {@link Main})
     * @throws IllegalArgumentException when two have the same name or one is not a picocli command
     */
    public Main(List<Subcommand> subcommands, List<String> unbuilt) {
        this.unbuilt = List.copyOf(unbuilt);
        line = new CommandLine(new Rnn());
        for (Subcommand subcommand : subcommands) {
            CommandLine command;
            try {
                command = new CommandLine(subcommand);
            } catch (CommandLine.InitializationException e) {
                throw new IllegalArgumentException(subcommand.getClass().getName() + " is not a valid picocli command: "
                        + e.getMessage(), e);
            }
            String name = command.getCommandName();
            if (line.getSubcommands().containsKey(name)) {
                throw new IllegalArgumentException("two subcommands are named '" + name + "': "
                        + line.getSubcommands().get(name).getCommand().getClass().getName() + " and "
                        + subcommand.getClass().getName());
            }
            line.addSubcommand(name, command);
        }
    }

    /**
     * Runs {@code ./rnn} and exits the JVM with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        List<Subcommand> subcommands = new ArrayList<>(Subcommands.all());
        ServiceLoader.load(Subcommand.class).forEach(subcommands::add);
        String unbuilt = System.getProperty(UNBUILT_PROPERTY, "").strip();
        System.exit(new Main(subcommands, unbuilt.isEmpty() ? List.of() : List.of(unbuilt.split("\\s*,\\s*")))
                .run(args, System.out, System.err));
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
        List<String> arguments = Arrays.asList(args);
        // Known before parsing, so that a parse failure, too, can show its trace.
        boolean verbose = arguments.contains("--verbose");
        boolean help = arguments.contains("--help") || arguments.contains("-h");
        if (!arguments.isEmpty() && arguments.get(0).equals("help")) {
            out.print(HelpText.overview(line.getCommandSpec(), unbuilt));
            return 0;
        }
        ParseResult parsed;
        try {
            parsed = line.parseArgs(args);
        } catch (ParameterException e) {
            CommandLine failed = e.getCommandLine();
            if (failed != line) {
                if (help) {
                    out.print(HelpText.of(failed));
                    return 0;
                }
                Subcommand subcommand = failed.getCommand();
                String command = failed.getCommandSpec().qualifiedName();
                report(err, subcommand.describe(UsageMistake.of(e, command, arguments)), e, verbose);
                return 2;
            }
            String name = e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()
                    ? unmatched.getUnmatched().get(0) : arguments.get(0);
            return unknownSubcommand(name, e, err, verbose);
        }
        // With --help picocli accepts what it does not know; a word before it still names a subcommand.
        if (!parsed.hasSubcommand() && !parsed.unmatched().isEmpty() && !parsed.unmatched().get(0).startsWith("-")) {
            return unknownSubcommand(parsed.unmatched().get(0), null, err, verbose);
        }
        ParseResult sub = parsed.subcommand();
        if (sub == null) {
            // "rnn --help" asked for the overview; a bare "rnn" did not say what to do, which a script
            // must be able to tell from success: the overview on standard error, and the usage status.
            if (help) {
                out.print(HelpText.overview(line.getCommandSpec(), unbuilt));
                return 0;
            }
            err.print(HelpText.overview(line.getCommandSpec(), unbuilt));
            err.flush();
            return 2;
        }
        CommandLine command = sub.commandSpec().commandLine();
        if (sub.isUsageHelpRequested()) {
            out.print(HelpText.of(command));
            return 0;
        }
        Subcommand subcommand = command.getCommand();
        try {
            return subcommand.run(out);
        } catch (UsageException e) {
            report(err, e.getMessage(), e, verbose);
            return 2;
        } catch (dev.elman.engine.io.NonFiniteValueException e) {
            // NaN in weights is bad data given, as NaN in an input is: the same status.
            report(err, sub.commandSpec().qualifiedName() + ": " + describe(e), e, verbose);
            return 2;
        } catch (NonFiniteResultException e) {
            report(err, e.getMessage(), e, verbose);
            return NonFiniteResultException.STATUS;
        } catch (OutOfMemoryError e) {
            // The commands estimate their memory up front (MemoryBudget); what still does not fit is
            // the same mistake, options too large for the heap: one line and the usage status.
            report(err, sub.commandSpec().qualifiedName() + ": out of memory (the heap is "
                    + MemoryBudget.size(Runtime.getRuntime().maxMemory()) + "): the options ask for more than fits;"
                    + " choose smaller values (or give the JVM more with ELMAN_JAVA_OPTS=-Xmx…)", e, verbose);
            return 2;
        } catch (Exception | StackOverflowError e) {
            report(err, sub.commandSpec().qualifiedName() + ": " + describe(e), e, verbose);
            return 1;
        }
    }

    /** An unknown subcommand: perhaps one of an unbuilt module (see {@link Main}), else a usage mistake. */
    private int unknownSubcommand(String name, Exception e, PrintStream err, boolean verbose) {
        if (!unbuilt.isEmpty() && !name.startsWith("-")) {
            return NOT_BUILT;
        }
        report(err, "rnn: unknown subcommand '" + name + "' (one of: " + String.join(", ", known()) + ")", e, verbose);
        return 2;
    }

    /**
     * The subcommands a user can run: those loaded, and those of the modules the launcher has not
     * built yet (it builds them when one is asked for), so that the list names every subcommand.
     */
    private List<String> known() {
        List<String> names = new ArrayList<>(line.getSubcommands().keySet());
        for (String module : unbuilt) {
            for (String name : UNBUILT_SUBCOMMANDS.getOrDefault(module, List.of())) {
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** The subcommands each optional module provides (as a {@link Subcommand} service), by module. */
    private static final java.util.Map<String, List<String>> UNBUILT_SUBCOMMANDS = java.util.Map.of("jmh", List.of("bench"));

    private static void report(PrintStream err, String line, Throwable e, boolean verbose) {
        err.println(line);
        if (verbose && e != null) {
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
}
