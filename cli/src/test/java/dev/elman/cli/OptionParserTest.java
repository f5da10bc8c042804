package dev.elman.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionParserTest {
    private final OptionParser parser = new OptionParser("rnn test", List.of(
            Option.required("input", "FILE", "the input"),
            Option.value("steps", "N", "how many", "10"),
            Option.value("rate", "R", "learning rate", null),
            Option.flag("quick", "small")));

    @Test
    void parsesValuesFlagsAndDefaults() throws UsageException {
        ParsedOptions options = parser.parse(new String[] {"--input", "x.npy", "--quick", "--rate=0.5"});
        assertEquals("x.npy", options.string("input"));
        assertEquals(10, options.integer("steps", 1));
        assertEquals(0.5, options.number("rate", 0, 1));
        assertTrue(options.flag("quick"));
        assertFalse(options.has("steps"));
    }

    @Test
    void namesTheOffendingOption() {
        assertMessage("rnn test: unknown option --stpes", "--input", "a", "--stpes", "3");
        assertMessage("rnn test: --input FILE is required", "--quick");
        assertMessage("rnn test: --steps needs a value (N)", "--input", "a", "--steps");
        assertMessage("rnn test: unexpected argument 'extra'", "--input", "a", "extra");
        assertMessage("rnn test: --quick takes no value", "--input", "a", "--quick=yes");
        assertMessage("rnn test: --input given twice", "--input", "a", "--input", "b");
    }

    @Test
    void typedGettersRejectMalformedValues() throws UsageException {
        ParsedOptions options = parser.parse(new String[] {"--input", "a", "--steps", "ten", "--rate", "2"});
        UsageException e = assertThrows(UsageException.class, () -> options.integer("steps", 1));
        assertEquals("rnn test: --steps expects an integer, got 'ten'", e.getMessage());
        e = assertThrows(UsageException.class, () -> options.number("rate", 0, 1));
        assertTrue(e.getMessage().startsWith("rnn test: --rate must be a number in [0.0, 1.0]"), e.getMessage());
        ParsedOptions negative = parser.parse(new String[] {"--input", "a", "--steps", "0"});
        e = assertThrows(UsageException.class, () -> negative.integer("steps", 1));
        assertEquals("rnn test: --steps must be at least 1, got 0", e.getMessage());
        assertNull(negative.string("rate"));
    }

    @Test
    void helpListsEveryOption() {
        String help = parser.help("Does a test.");
        assertTrue(help.contains("--input FILE") && help.contains("(required)") && help.contains("(default 10)")
                && help.contains("--quick"), help);
    }

    private void assertMessage(String start, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> parser.parse(args));
        assertTrue(e.getMessage().startsWith(start), () -> "'" + e.getMessage() + "' should start with '" + start + "'");
    }
}
