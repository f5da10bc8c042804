package dev.elman.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private final Subcommand failing = new Subcommand() {
        @Override
        public String name() {
            return "fail";
        }

        @Override
        public String summary() {
            return "always fails";
        }

        @Override
        public List<Option> options() {
            return List.of(Option.value("what", "KIND", "how to fail", "io"));
        }

        @Override
        public int run(ParsedOptions options, PrintStream out) throws Exception {
            switch (options.string("what")) {
                case "io" -> throw new NoSuchFileException("weights.safetensors");
                case "usage" -> throw new UsageException("rnn fail: --what is wrong");
                default -> throw new IllegalStateException("state broke");
            }
        }
    };

    private int run(String... args) {
        return new Main(List.of(failing)).run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void errorsAreOneLineWithNonZeroStatus() {
        assertEquals(1, run("fail"));
        assertEquals("rnn fail: no such file: weights.safetensors\n", errText());
    }

    @Test
    void usageMistakesExitWithTwo() {
        assertEquals(2, run("fail", "--what", "usage"));
        assertEquals("rnn fail: --what is wrong\n", errText());
        err.reset();
        assertEquals(2, run("nope"));
        assertTrue(errText().startsWith("rnn: unknown subcommand 'nope'"), errText());
        err.reset();
        assertEquals(2, run("fail", "--bogus"));
        assertTrue(errText().startsWith("rnn fail: unknown option --bogus"), errText());
    }

    @Test
    void verboseAddsTheStackTrace() {
        assertEquals(1, run("fail", "--what", "state", "--verbose"));
        assertTrue(errText().startsWith("rnn fail: state broke\njava.lang.IllegalStateException"), errText());
    }

    @Test
    void helpListsSubcommandsAndOptions() {
        assertEquals(0, run("--help"));
        String overview = out.toString(StandardCharsets.UTF_8);
        // Names are padded to the longest, "bench" (run by the launcher from the jmh module).
        assertTrue(overview.contains("\n  fail   always fails\n"), overview);
        assertTrue(overview.contains("\n  bench  the JMH benchmark sweep"), overview);
        out.reset();
        assertEquals(0, run("fail", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--what KIND"));
    }
}
