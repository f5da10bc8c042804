package dev.elman.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Command(name = "fail", header = "always fails", description = "Fails in the way --what says.")
    static final class Failing implements Subcommand {
        @Option(names = "--what", paramLabel = "KIND", defaultValue = "io", description = "how to fail")
        String what;

        @Override
        public int run(PrintStream out) throws Exception {
            switch (what) {
                case "io" -> throw new NoSuchFileException("weights.safetensors");
                case "usage" -> throw new UsageException("rnn fail: --what is wrong");
                default -> throw new IllegalStateException("state broke");
            }
        }
    }

    @Command(name = "big", header = "needs much", description = "Runs out of memory.")
    static final class Big implements Subcommand {
        @Override
        public int run(PrintStream out) {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    /** Stands for a subcommand another module provides, with a longer name. */
    @Command(name = "bench", header = "the JMH benchmark sweep, with tables and charts (./rnn bench --help)")
    static final class Provided implements Subcommand {
        @Override
        public int run(PrintStream out) {
            return 0;
        }
    }

    private int run(String... args) {
        return run(List.of(), args);
    }

    private int run(List<String> unbuilt, String... args) {
        return new Main(List.of(new Failing(), new Provided()), unbuilt).run(args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
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
        assertEquals(2, run("nope", "--help"));
        assertTrue(errText().startsWith("rnn: unknown subcommand 'nope'"), errText());
        err.reset();
        assertEquals(2, run("fail", "--bogus"));
        assertTrue(errText().startsWith("rnn fail: unknown option --bogus"), errText());
    }

    @Test
    void verboseAddsTheStackTrace() {
        assertEquals(1, run("fail", "--what", "state", "--verbose"));
        assertTrue(errText().startsWith("rnn fail: state broke\njava.lang.IllegalStateException"), errText());
        err.reset();
        // Before the subcommand too: it is a global option.
        assertEquals(1, run("--verbose", "fail", "--what", "state"));
        assertTrue(errText().startsWith("rnn fail: state broke\njava.lang.IllegalStateException"), errText());
    }

    @Test
    void helpListsSubcommandsAndOptions() {
        assertEquals(0, run("--help"));
        String overview = out.toString(StandardCharsets.UTF_8);
        // Names are padded to the longest, here "bench" (a subcommand provided like the jmh module's).
        assertTrue(overview.contains("\n  fail   always fails\n"), overview);
        assertTrue(overview.contains("\n  bench  the JMH benchmark sweep"), overview);
        out.reset();
        assertEquals(0, run("fail", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--what KIND"));
    }

    @Test
    void helpPrintsTheOverview() {
        assertEquals(0, run("--help"));
        String overview = out.toString(StandardCharsets.UTF_8);
        assertTrue(overview.startsWith("Usage: rnn <subcommand> [options]"), overview);
        for (String args : List.of("-h", "help")) {
            out.reset();
            assertEquals(0, run(args));
            assertEquals(overview, out.toString(StandardCharsets.UTF_8), args);
        }
        assertEquals("", errText());
    }

    /** A bare {@code rnn} names nothing to do: the overview goes to standard error, with the usage status. */
    @Test
    void noSubcommandPrintsTheOverviewAsAMistake() {
        assertEquals(0, run("--help"));
        String overview = out.toString(StandardCharsets.UTF_8);
        out.reset();
        for (String[] args : List.of(new String[0], new String[] {"--verbose"})) {
            err.reset();
            assertEquals(2, run(args), String.join(" ", args));
            assertEquals(overview, errText());
            assertEquals("", out.toString(StandardCharsets.UTF_8));
        }
    }

    /** The list of an unknown subcommand names those of unbuilt modules too (bench, of jmh). */
    @Test
    void theUnknownSubcommandListNamesTheUnbuiltModulesSubcommands() {
        Main withoutBench = new Main(List.of(new Failing()), List.of("jmh"));
        assertEquals(2, withoutBench.run(new String[] {"--bogus"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals("rnn: unknown subcommand '--bogus' (one of: fail, bench)\n", errText());
    }

    /** An OutOfMemoryError that the estimates missed is one line with the usage status, not a trace. */
    @Test
    void runningOutOfMemoryIsOneLineWithTheUsageStatus() {
        Main main = new Main(List.of(new Big()));
        assertEquals(2, main.run(new String[] {"big"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(errText().startsWith("rnn big: out of memory (the heap is "), errText());
        assertEquals(1, errText().lines().count(), errText());
    }

    @Test
    void helpAnywhereAfterASubcommandWinsOverMistakes() {
        assertEquals(0, run("fail", "--bogus", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: rnn fail [options]\n\nFails in the way"));
        out.reset();
        assertEquals(0, run("fail", "--what", "-h"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: rnn fail [options]"));
        assertEquals("", errText());
    }

    /** The launcher's protocol: modules it has not built may hold the subcommand; it builds them and asks again. */
    @Test
    void anUnknownSubcommandWhileModulesAreUnbuiltAsksTheLauncherToBuildThem() {
        assertEquals(Main.NOT_BUILT, run(List.of("jmh"), "nope"));
        assertEquals(Main.NOT_BUILT, run(List.of("jmh"), "nope", "--help"));
        assertEquals("", errText());
        // Options are never a subcommand: no build for them.
        assertEquals(2, run(List.of("jmh"), "--bogus"));
        assertTrue(errText().startsWith("rnn: unknown subcommand '--bogus'"), errText());
        out.reset();
        assertEquals(0, run(List.of("jmh"), "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("(more come with jmh, not built yet"));
    }

    @Test
    void twoSubcommandsOfOneNameAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Main(List.of(new Failing(), new Failing())));
        assertTrue(e.getMessage().startsWith("two subcommands are named 'fail'"), e.getMessage());
    }
}
