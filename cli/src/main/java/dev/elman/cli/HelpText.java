package dev.elman.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code rnn}'s help texts, laid out from picocli's model of the commands: the overview (one line
 * per subcommand, from its {@code header}) and each subcommand's {@code --help} (its synopsis,
 * its description as written, then one line per option in declaration order, with
 * {@code (required)} or its default). The layout is the one {@code rnn} has always printed, so it
 * is drawn here rather than by picocli's own help renderer.
 */
final class HelpText {
    /** The last line of every subcommand's option list: the global option. */
    static final String VERBOSE_LINE = "  --verbose  print stack traces of errors\n";

    private HelpText() {
    }

    /**
     * @param top the {@code rnn} command with its subcommands
     * @param unbuilt modules with more subcommands that the launcher has not built yet
     * @return the overview
     */
    static String overview(CommandSpec top, List<String> unbuilt) {
        StringBuilder text = new StringBuilder("Usage: rnn <subcommand> [options]   (rnn <subcommand> --help for its options)\n\n"
                + "Elman: vanilla RNNs on the JVM.\n\nSubcommands:\n");
        int width = top.subcommands().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (var entry : top.subcommands().entrySet()) {
            String[] header = entry.getValue().getCommandSpec().usageMessage().header();
            text.append("  ").append(entry.getKey()).append(" ".repeat(width - entry.getKey().length() + 2))
                    .append(header.length == 0 ? "" : header[0]).append('\n');
        }
        if (!unbuilt.isEmpty()) {
            text.append("  (more come with ").append(String.join(", ", unbuilt)).append(", not built yet; ./rnn builds it"
                    + " when one of its subcommands is named)\n");
        }
        text.append("\nGlobal: --verbose prints stack traces of errors.\n");
        return text.toString();
    }

    /**
     * @param command a subcommand
     * @return its {@code --help} text
     */
    static String of(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        String[] synopsis = spec.usageMessage().customSynopsis();
        StringBuilder text = new StringBuilder(synopsis.length > 0 ? String.join("\n", synopsis)
                : "Usage: " + spec.qualifiedName() + " [options]");
        text.append("\n\n").append(String.join("\n", spec.usageMessage().description())).append("\n\nOptions:\n");
        List<OptionSpec> listed = new ArrayList<>();
        int width = 0;
        for (OptionSpec option : spec.options()) {
            if (!option.usageHelp() && !option.inherited() && !option.hidden()) {
                listed.add(option);
                width = Math.max(width, label(option).length());
            }
        }
        for (OptionSpec option : listed) {
            String label = label(option);
            String[] description = option.description();
            text.append("  ").append(label).append(" ".repeat(width - label.length() + 2));
            for (int i = 0; i < description.length; i++) {
                if (i > 0) {
                    text.append('\n').append(" ".repeat(width + 4));
                }
                text.append(description[i]);
            }
            if (option.required()) {
                text.append(" (required)");
            } else if (option.defaultValue() != null && !option.defaultValue().isEmpty()) {
                text.append(" (default ").append(option.defaultValue()).append(')');
            }
            text.append('\n');
        }
        text.append(VERBOSE_LINE);
        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0) {
            text.append('\n').append(String.join("\n", footer)).append('\n');
        }
        return text.toString();
    }

    /** {@code --length T}; a flag is its name alone. */
    private static String label(OptionSpec option) {
        return option.longestName() + (option.arity().max() == 0 ? "" : " " + option.paramLabel());
    }
}
