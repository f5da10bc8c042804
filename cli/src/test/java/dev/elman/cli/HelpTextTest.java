package dev.elman.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every help text, whole: the overview and each built-in subcommand's {@code --help}, against the
 * texts in {@code src/test/resources/help} (what the hand-written parser printed, kept through the
 * move to picocli; only sample's empty "(default )" is gone).
 */
class HelpTextTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"demo", "train", "sample", "diagnose", "evaluate", "run", "grad", "import", "export", "onnx-test"})
    void subcommandHelpIsUnchanged(String name) throws IOException {
        Cli.Result result = Cli.run(name, "--help");
        assertEquals(0, result.status());
        assertEquals("", result.err());
        assertEquals(expected(name), result.out());
        // -h is the same, wherever it stands.
        assertEquals(expected(name), Cli.run(name, "--seed", "-h").out());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--help", "-h", "help"})
    void theOverviewListsEveryBuiltInSubcommand(String arg) throws IOException {
        Cli.Result result = Cli.run(arg);
        assertEquals(0, result.status());
        assertEquals(expected("overview"), result.out());
        Cli.Result alone = Cli.run();
        assertEquals(2, alone.status(), "rnn alone names nothing to do: a usage mistake");
        assertEquals(expected("overview"), alone.err(), "rnn alone prints the overview too, on standard error");
    }

    private static String expected(String name) throws IOException {
        try (InputStream in = HelpTextTest.class.getResourceAsStream("/help/" + name + ".txt")) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
