package dev.elman.cli;

import java.io.PrintStream;
import java.util.List;

/** One {@code rnn <name>} subcommand. */
public interface Subcommand {

    /** @return the name typed after {@code rnn} */
    String name();

    /** @return one line for the subcommand list */
    String summary();

    /** @return a paragraph for {@code --help} */
    default String description() {
        return summary();
    }

    /** @return the options it accepts ({@code --help} and {@code --verbose} are handled by {@link Main}) */
    List<Option> options();

    /**
     * Runs the subcommand.
     *
     * @param options the parsed options
     * @param out standard output
     * @return the exit status, 0 for success
     * @throws Exception any failure; {@link Main} prints it as one line
     */
    int run(ParsedOptions options, PrintStream out) throws Exception;
}
