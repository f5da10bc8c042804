package dev.elman.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.List;
import java.util.Locale;

/**
 * An option value that is one of a few words ({@code --task adding|copy|sine|chars}), matched
 * ignoring case and surrounding blanks and returned in lower case. Each option's set of words is a
 * small subclass, since picocli instantiates converters without arguments.
 */
abstract class Choice implements ITypeConverter<String> {
    private final List<String> choices;

    /**
     * @param choices the accepted words, lower case, in the order the message lists them
     */
    Choice(List<String> choices) {
        this.choices = List.copyOf(choices);
    }

    @Override
    public final String convert(String value) {
        String word = value.trim().toLowerCase(Locale.ROOT);
        if (choices.contains(word)) {
            return word;
        }
        throw new TypeConversionException("must be one of " + String.join(", ", choices) + ", got '" + value + "'");
    }
}
