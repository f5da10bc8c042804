package dev.elman.cli;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.List;

/**
 * A mistake on a subcommand's command line, as picocli found it, in the terms {@code rnn}'s
 * messages use.
 *
 * @param kind what kind of mistake
 * @param command the subcommand's full name, {@code "rnn train"}
 * @param option the option concerned ({@code "--steps"}), or null for a stray argument
 * @param argument the argument as typed (the unknown option, the stray word, the bad value), or null
 * @param detail for {@link Kind#BAD_VALUE} the converter's reason ({@code "expects an integer, got 'x'"});
 *     for {@link Kind#MISSING_VALUE} and {@link Kind#MISSING_OPTION} the option's value label
 *     ({@code "N"}); otherwise null
 */
public record UsageMistake(Kind kind, String command, String option, String argument, String detail) {

    /** The kinds of mistake picocli reports. */
    public enum Kind {
        /** An argument starting with {@code --} that names no option. */
        UNKNOWN_OPTION,
        /** An argument that is not an option (options start with {@code --}). */
        UNEXPECTED_ARGUMENT,
        /** An option given last, or followed by another option, without its value. */
        MISSING_VALUE,
        /** A required option not given. */
        MISSING_OPTION,
        /** A single-valued option given twice. */
        REPEATED,
        /** A flag given a value ({@code --quick=yes}). */
        FLAG_WITH_VALUE,
        /** A value the option's converter refused. */
        BAD_VALUE
    }

    /**
     * @return the standard one-line message, e.g. {@code rnn train: --steps needs a value (N)}
     */
    public String message() {
        String see = " (see " + command + " --help)";
        return command + ": " + switch (kind) {
            case UNKNOWN_OPTION -> "unknown option " + argument + see;
            case UNEXPECTED_ARGUMENT -> "unexpected argument '" + argument + "' (options start with --; see " + command
                    + " --help)";
            case MISSING_VALUE -> option + " needs a value (" + detail + ")";
            case MISSING_OPTION -> option + " " + detail + " is required";
            case REPEATED -> option + " given twice";
            case FLAG_WITH_VALUE -> option + " takes no value";
            case BAD_VALUE -> option + " " + detail;
        };
    }

    /**
     * Translates picocli's exception.
     *
     * @param e what picocli threw while parsing
     * @param command the full name of the command it was parsing, {@code "rnn train"}
     * @param args the whole command line, to tell a missing option from a missing value
     * @return the mistake
     */
    static UsageMistake of(ParameterException e, String command, List<String> args) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String argument = unmatched.getUnmatched().get(0);
            if (argument.startsWith("--") && argument.length() > 2) {
                int equals = argument.indexOf('=');
                return new UsageMistake(Kind.UNKNOWN_OPTION, command, null,
                        equals > 0 ? argument.substring(0, equals) : argument, null);
            }
            return new UsageMistake(Kind.UNEXPECTED_ARGUMENT, command, null, argument, null);
        }
        if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().get(0) instanceof OptionSpec option) {
            Kind kind = typed(option, args) ? Kind.MISSING_VALUE : Kind.MISSING_OPTION;
            return new UsageMistake(kind, command, option.longestName(), null, option.paramLabel());
        }
        if (e instanceof OverwrittenOptionException repeated && repeated.getOverwritten() instanceof OptionSpec option) {
            return new UsageMistake(Kind.REPEATED, command, option.longestName(), null, null);
        }
        ArgSpec spec = e.getArgSpec();
        if (spec instanceof OptionSpec option) {
            if (option.arity().max() == 0) {
                return new UsageMistake(Kind.FLAG_WITH_VALUE, command, option.longestName(), e.getValue(), null);
            }
            if (e.getCause() instanceof TypeConversionException reason) {
                return new UsageMistake(Kind.BAD_VALUE, command, option.longestName(), e.getValue(), reason.getMessage());
            }
        }
        // Anything else picocli can say (none of today's options reach here): its own words.
        return new UsageMistake(Kind.BAD_VALUE, command, spec instanceof OptionSpec option ? option.longestName() : "",
                e.getValue(), e.getMessage());
    }

    /** Whether the option itself is on the command line (so its value, not the option, is missing). */
    private static boolean typed(OptionSpec option, List<String> args) {
        for (String arg : args) {
            for (String name : option.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
                    return true;
                }
            }
        }
        return false;
    }
}
