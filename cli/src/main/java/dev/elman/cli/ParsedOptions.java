package dev.elman.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options a subcommand was given, with typed getters that turn a malformed value into a
 * {@link UsageException} naming the option.
 */
public final class ParsedOptions {
    private final String command;
    private final Map<String, String> values;
    private final Set<String> flags;
    private final Set<String> given;

    ParsedOptions(String command, Map<String, String> values, Set<String> flags, Set<String> given) {
        this.command = command;
        this.values = Map.copyOf(values);
        this.flags = Set.copyOf(flags);
        this.given = Set.copyOf(given);
    }

    /**
     * @param name an option name
     * @return whether the option was given on the command line (defaults do not count)
     */
    public boolean has(String name) {
        return flags.contains(name) || given.contains(name);
    }

    /**
     * @param name a flag's name
     * @return whether the flag was given
     */
    public boolean flag(String name) {
        return flags.contains(name);
    }

    /**
     * @param name an option name
     * @return its value or default, or null when it has neither
     */
    public String string(String name) {
        return values.get(name);
    }

    /**
     * @param name an option name
     * @return its value as a path, or null
     */
    public Path path(String name) {
        String value = values.get(name);
        return value == null ? null : Path.of(value);
    }

    /**
     * @param name an option name
     * @param min the smallest accepted value
     * @return its value as an int
     * @throws UsageException when absent, not an integer or below {@code min}
     */
    public int integer(String name, int min) throws UsageException {
        String value = require(name);
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(prefix(name) + "expects an integer, got '" + value + "'");
        }
        if (parsed < min) {
            throw new UsageException(prefix(name) + "must be at least " + min + ", got " + parsed);
        }
        return parsed;
    }

    /**
     * @param name an option name
     * @param min the smallest accepted value
     * @return its value as a long
     * @throws UsageException when absent, not an integer or below {@code min}
     */
    public long longInteger(String name, long min) throws UsageException {
        String value = require(name);
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(prefix(name) + "expects an integer, got '" + value + "'");
        }
        if (parsed < min) {
            throw new UsageException(prefix(name) + "must be at least " + min + ", got " + parsed);
        }
        return parsed;
    }

    /**
     * @param name an option name
     * @param min the smallest accepted value
     * @param max the largest accepted value
     * @return its value as a finite double
     * @throws UsageException when absent, not a finite number or out of range
     */
    public double number(String name, double min, double max) throws UsageException {
        String value = require(name);
        double parsed;
        try {
            parsed = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(prefix(name) + "expects a number, got '" + value + "'");
        }
        if (!Double.isFinite(parsed) || parsed < min || parsed > max) {
            throw new UsageException(prefix(name) + "must be a number in [" + min + ", " + max + "], got " + value);
        }
        return parsed;
    }

    /**
     * @param name an option name
     * @return its value as a positive, finite double
     * @throws UsageException when absent, not a number, not positive or not finite
     */
    public double positiveNumber(String name) throws UsageException {
        String value = require(name);
        double parsed;
        try {
            parsed = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(prefix(name) + "expects a number, got '" + value + "'");
        }
        if (!(parsed > 0) || Double.isInfinite(parsed)) {
            throw new UsageException(prefix(name) + "must be a positive number, got " + value);
        }
        return parsed;
    }

    /**
     * @param name an option name
     * @param choices the accepted values, lower case
     * @return the value, lower-cased
     * @throws UsageException when absent or not one of {@code choices}
     */
    public String choice(String name, String... choices) throws UsageException {
        String value = require(name).trim().toLowerCase(Locale.ROOT);
        for (String choice : choices) {
            if (choice.equals(value)) {
                return value;
            }
        }
        throw new UsageException(prefix(name) + "must be one of " + String.join(", ", choices)
                + ", got '" + values.get(name) + "'");
    }

    private String require(String name) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            throw new UsageException(prefix(name) + "is required");
        }
        return value;
    }

    private String prefix(String name) {
        return command + ": --" + name + " ";
    }
}
