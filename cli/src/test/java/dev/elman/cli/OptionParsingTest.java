package dev.elman.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link Main} parses a subcommand's options with picocli, and the one-line messages for mistakes. */
class OptionParsingTest {
    @Command(name = "test", header = "a test", description = "Does a test.")
    static final class Probe implements Subcommand {
        @Option(names = "--input", paramLabel = "FILE", required = true, description = "the input")
        Path input;

        @Option(names = "--steps", paramLabel = "N", defaultValue = "10", converter = NumberValues.AtLeastOne.class,
                description = "how many")
        int steps;

        @Option(names = "--rate", paramLabel = "R", converter = NumberValues.BelowOne.class, description = "learning rate")
        Double rate;

        @Option(names = "--quick", description = "small")
        boolean quick;

        boolean ran;

        @Override
        public int run(PrintStream out) {
            ran = true;
            return 0;
        }
    }

    private record Run(Probe probe, int status, String out, String err) {
    }

    private static Run run(String... args) {
        Probe probe = new Probe();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> line = new java.util.ArrayList<>(List.of("test"));
        line.addAll(List.of(args));
        int status = new Main(List.of(probe)).run(line.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(probe, status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void parsesValuesFlagsAndDefaults() {
        Run run = run("--input", "x.npy", "--quick", "--rate=0.5");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.probe().ran);
        assertEquals(Path.of("x.npy"), run.probe().input);
        assertEquals(10, run.probe().steps);
        assertEquals(0.5, run.probe().rate);
        assertTrue(run.probe().quick);
        run = run("--input", "x.npy", "--steps", " 3 ");
        assertEquals(3, run.probe().steps, "blanks around a number are ignored");
        assertFalse(run.probe().quick);
        assertNull(run.probe().rate);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --input a --stpes 3         | rnn test: unknown option --stpes (see rnn test --help)
            --input a --stpes=3         | rnn test: unknown option --stpes (see rnn test --help)
            --quick                     | rnn test: --input FILE is required
            --input a --steps           | rnn test: --steps needs a value (N)
            --input a --steps --quick   | rnn test: --steps needs a value (N)
            --input a extra             | rnn test: unexpected argument 'extra' (options start with --; see rnn test --help)
            --input a -x                | rnn test: unexpected argument '-x' (options start with --; see rnn test --help)
            --input a --quick=yes       | rnn test: --quick takes no value
            --input a --input b         | rnn test: --input given twice
            --input a --steps ten       | rnn test: --steps expects an integer, got 'ten'
            --input a --steps 0         | rnn test: --steps must be at least 1, got 0
            --input a --rate 2          | rnn test: --rate must be a number in [0.0, 1.0], got 2
            --input a --rate 1          | rnn test: --rate must be below 1, got 1
            --input a --rate x          | rnn test: --rate expects a number, got 'x'
            """)
    void namesTheOffendingOptionInOneLineWithStatusTwo(String args, String message) {
        Run run = run(args.split(" "));
        assertEquals(2, run.status());
        assertEquals(message + "\n", run.err());
        assertEquals("", run.out());
        assertFalse(run.probe().ran, "nothing runs after a usage mistake");
    }

    @Test
    void helpListsEveryOptionInDeclarationOrder() {
        Run run = run("--help");
        assertEquals(0, run.status());
        assertEquals("""
                Usage: rnn test [options]

                Does a test.

                Options:
                  --input FILE  the input (required)
                  --steps N     how many (default 10)
                  --rate R      learning rate
                  --quick       small
                  --verbose  print stack traces of errors
                """, run.out());
        assertFalse(run.probe().ran);
    }
}
