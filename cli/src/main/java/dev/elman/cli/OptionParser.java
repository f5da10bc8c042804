package dev.elman.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code --name value}, {@code --name=value} and {@code --flag} against a subcommand's
 * declared options. Written here rather than taken from a library so the engine keeps its one
 * dependency; it accepts exactly the declared options and names the offending one otherwise.
 */
public final class OptionParser {
    private final String command;
    private final Map<String, Option> options = new LinkedHashMap<>();

    /**
     * @param command the subcommand's full name, for messages ({@code "rnn train"})
     * @param declared its options
     */
    public OptionParser(String command, List<Option> declared) {
        this.command = command;
        for (Option option : declared) {
            if (options.put(option.name(), option) != null) {
                throw new IllegalArgumentException("option --" + option.name() + " declared twice");
            }
        }
    }

    /**
     * @param args the arguments after the subcommand's name
     * @return the parsed options, defaults filled in
     * @throws UsageException for an unknown option, a missing value, a positional argument or a
     *     missing required option
     */
    public ParsedOptions parse(String[] args) throws UsageException {
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException(command + ": unexpected argument '" + arg + "' (options start with --; see "
                        + command + " --help)");
            }
            String name = arg.substring(2);
            String inlineValue = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                inlineValue = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            Option option = options.get(name);
            if (option == null) {
                throw new UsageException(command + ": unknown option --" + name + " (see " + command + " --help)");
            }
            if (option.isFlag()) {
                if (inlineValue != null) {
                    throw new UsageException(command + ": --" + name + " takes no value");
                }
                flags.add(name);
                continue;
            }
            String value = inlineValue;
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(command + ": --" + name + " needs a value (" + option.valueLabel() + ")");
                }
                value = args[++i];
            }
            if (values.put(name, value) != null) {
                throw new UsageException(command + ": --" + name + " given twice");
            }
        }
        Set<String> given = new HashSet<>(values.keySet());
        for (Option option : options.values()) {
            if (!option.isFlag() && !values.containsKey(option.name())) {
                if (option.required()) {
                    throw new UsageException(command + ": --" + option.name() + " " + option.valueLabel() + " is required");
                }
                if (option.defaultValue() != null) {
                    values.put(option.name(), option.defaultValue());
                }
            }
        }
        return new ParsedOptions(command, values, flags, given);
    }

    /**
     * @param summary one paragraph saying what the subcommand does
     * @return the {@code --help} text
     */
    public String help(String summary) {
        StringBuilder text = new StringBuilder();
        text.append("Usage: ").append(command).append(" [options]\n\n").append(summary).append("\n\nOptions:\n");
        int width = 0;
        for (Option option : options.values()) {
            width = Math.max(width, label(option).length());
        }
        for (Option option : options.values()) {
            String label = label(option);
            text.append("  ").append(label).append(" ".repeat(width - label.length() + 2)).append(option.description());
            if (option.required()) {
                text.append(" (required)");
            } else if (option.defaultValue() != null) {
                text.append(" (default ").append(option.defaultValue()).append(')');
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String label(Option option) {
        return "--" + option.name() + (option.isFlag() ? "" : " " + option.valueLabel());
    }
}
