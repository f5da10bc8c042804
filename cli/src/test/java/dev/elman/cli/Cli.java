package dev.elman.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code ./rnn} in-process, through {@link Main} with every subcommand, and keeps what it printed. */
final class Cli {
    private Cli() {
    }

    /**
     * @param status the exit status
     * @param out standard output
     * @param err standard error
     */
    record Result(int status, String out, String err) {
        /** @return the single line on standard error, failing when there are more (a stack trace) */
        String errorLine() {
            String[] lines = err.split("\n");
            if (lines.length != 1) {
                throw new AssertionError("expected one line on standard error, got:\n" + err);
            }
            return lines[0];
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main(Subcommands.all()).run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
