package dev.elman.cli;

/**
 * One {@code --name [value]} option of a subcommand.
 *
 * @param name the name without dashes
 * @param valueLabel what the value is ({@code N}, {@code FILE}), or null for a flag
 * @param description one line for {@code --help}
 * @param defaultValue the value when the option is absent, or null
 * @param required whether the option must be given
 */
public record Option(String name, String valueLabel, String description, String defaultValue, boolean required) {

    /**
     * A flag: present or absent.
     *
     * @param name the name without dashes
     * @param description one line for {@code --help}
     * @return the option
     */
    public static Option flag(String name, String description) {
        return new Option(name, null, description, null, false);
    }

    /**
     * An option with a value and a default.
     *
     * @param name the name without dashes
     * @param valueLabel what the value is
     * @param description one line for {@code --help}
     * @param defaultValue the value when absent, or null for none
     * @return the option
     */
    public static Option value(String name, String valueLabel, String description, String defaultValue) {
        return new Option(name, valueLabel, description, defaultValue, false);
    }

    /**
     * An option that must be given.
     *
     * @param name the name without dashes
     * @param valueLabel what the value is
     * @param description one line for {@code --help}
     * @return the option
     */
    public static Option required(String name, String valueLabel, String description) {
        return new Option(name, valueLabel, description, null, true);
    }

    /** @return whether the option is a flag */
    public boolean isFlag() {
        return valueLabel == null;
    }
}
