package dev.elman.cli;

import java.io.PrintStream;

/**
 * One {@code rnn <name>} subcommand: a picocli command whose options {@link Main} parses before
 * calling {@link #run}.
 *
 * <p>An implementation is annotated {@code @Command(name = …, header = …, description = …)}: the
 * name typed after {@code rnn}, one line for the subcommand list, and the paragraph of its
 * {@code --help}. Its options are {@code @Option} fields (or {@code @Mixin} groups of them) with a
 * {@code paramLabel} and a one-line description; {@code --help} and {@code --verbose} are Main's.
 * The help lists the options in declaration order with their defaults, in {@link HelpText}'s
 * layout.
 *
 * <p>Subcommands outside this module are found through {@link java.util.ServiceLoader}: a module
 * {@code provides dev.elman.cli.Subcommand with …} (or, on the class path, names the class in
 * {@code META-INF/services/dev.elman.cli.Subcommand}). The package holding the command class must
 * be open to {@code info.picocli}, which fills its fields.
 */
public interface Subcommand {

    /**
     * Runs the subcommand; its option fields have been filled and converted.
     *
     * @param out standard output
     * @return the exit status, 0 for success
     * @throws UsageException a mistake on the command line or in a file the user named (status 2)
     * @throws Exception any other failure (status 1); {@link Main} prints it as one line
     */
    int run(PrintStream out) throws Exception;

    /**
     * The line {@code rnn} prints for a mistake picocli found while parsing this subcommand's
     * options. A subcommand with wording of its own overrides this; the default is the form
     * every built-in subcommand uses ({@code rnn train: unknown option --stpes (see rnn train --help)}).
     *
     * @param mistake what is wrong
     * @return one line, without the newline
     */
    default String describe(UsageMistake mistake) {
        return mistake.message();
    }
}
