package dev.elman.jmh.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest {
    @Test
    void defaultsAreTheFullSweepIntoRnnOutBench() {
        BenchOptions options = BenchOptions.parse();
        assertFalse(options.quick());
        assertEquals(List.of(), options.peers());
        assertEquals(Path.of("rnn-out", "bench"), options.output());
    }

    @Test
    void peersTakeEveryFileUpToTheNextOption() {
        BenchOptions options = BenchOptions.parse("--peers", "a.csv", "b.csv", "--quick", "--out", "here", "--peers", "c.csv");
        assertTrue(options.quick());
        assertEquals(List.of(Path.of("a.csv"), Path.of("b.csv"), Path.of("c.csv")), options.peers());
        assertEquals(Path.of("here"), options.output());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --fast              | unknown option '--fast'
            stray               | unexpected argument 'stray'
            --peers             | --peers needs at least one CSV file of the peers kit
            --peers --quick     | --peers needs at least one CSV file of the peers kit
            --out               | --out needs a folder
            --out a --out b     | --out given twice
            """)
    void badArgumentsGetOneLine(String args, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(args.split(" ")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void badOptionsExitWithStatusTwoAndOneLineBeforeAnythingRuns(@TempDir Path folder) {
        Run run = run("--quick", "--bogus");
        assertEquals(2, run.status);
        assertEquals("rnn bench: unknown option '--bogus'; " + BenchOptions.USAGE + "\n", run.err);
        assertEquals("", run.out);

        Path missing = folder.resolve("missing.csv");
        run = run("--peers", missing.toString());
        assertEquals(2, run.status);
        assertEquals("rnn bench: no such peers file: " + missing + "\n", run.err);
    }

    @Test
    void aBadPeersFileStopsTheCommandBeforeTheSweep(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("peers.csv");
        Files.writeString(file, "# header\nonednn,1,1,64\n");
        Run run = run("--quick", "--peers", file.toString(), "--out", folder.resolve("out").toString());
        assertEquals(2, run.status);
        assertTrue(run.err.startsWith("rnn bench: " + file + ":2: expected 14 comma-separated fields"), run.err);
        assertEquals(1, run.err.lines().count(), run.err);
        assertFalse(Files.exists(folder.resolve("out")), "nothing ran, nothing was written");
    }

    @Test
    void helpGoesToStandardOutput() {
        Run run = run("--help");
        assertEquals(0, run.status);
        assertTrue(run.out.startsWith(BenchOptions.USAGE), run.out);
        assertEquals("", run.err);
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
