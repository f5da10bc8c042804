package dev.elman.jmh.report;

import dev.elman.cli.Main;
import dev.elman.cli.Subcommand;
import dev.elman.kernels.WeightPrecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of {@code rnn bench}, parsed by {@code rnn}'s Main like every subcommand's. */
class BenchOptionsTest {
    private static BenchCommand parse(String... args) {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void defaultsAreTheFullSweepIntoRnnOutBench() {
        BenchCommand options = parse();
        assertFalse(options.quick());
        assertEquals(List.of(), options.peers());
        assertEquals(Path.of("rnn-out", "bench"), options.output());
        assertEquals(BenchCommand.DEFAULT_OUTPUT, options.output());
        assertEquals(List.of(1, 2), options.threads(), "1 and 2 threads, as the peers kit runs");
        assertEquals(List.of(WeightPrecision.F32, WeightPrecision.BF16, WeightPrecision.INT8), options.precisions());
        assertEquals(SweepPlan.DEFAULT_PRECISIONS, options.precisions());
    }

    @Test
    void precisionTakesAListWithF32() {
        assertEquals(List.of(WeightPrecision.F32), parse("--precision", "f32").precisions());
        assertEquals(List.of(WeightPrecision.INT8, WeightPrecision.F32), parse("--precision", "int8,F32").precisions());
    }

    @Test
    void threadsTakeAList() {
        assertEquals(List.of(2, 1, 4), parse("--threads", "2,1,4").threads());
        assertEquals(List.of(1), parse("--threads", "1").threads());
    }

    @Test
    void peersTakeEveryFileUpToTheNextOption() {
        BenchCommand options = parse("--peers", "a.csv", "b.csv", "--quick", "--out", "here", "--peers", "c.csv");
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
            --out --quick       | --out needs a folder
            --out a --out b     | --out given twice
            --threads 0,2       | --threads: expects comma-separated numbers of threads from 1 to 256, e.g. 1,2; got '0,2'
            --threads 1,,2      | --threads: expects comma-separated numbers of threads from 1 to 256, e.g. 1,2; got '1,,2'
            --threads 2,2       | --threads: lists 2 twice: '2,2'
            --threads           | --threads needs a comma-separated list
            --precision         | --precision needs a comma-separated list
            --precision fp16    | --precision: expects comma-separated precisions from f32, bf16, int8, e.g. f32,int8; got 'fp16'
            --precision f32,,b  | --precision: expects comma-separated precisions from f32, bf16, int8, e.g. f32,int8; got 'f32,,b'
            --precision f32,f32 | --precision: lists f32 twice: 'f32,f32'
            --precision int8    | --precision: must list f32, the rows the others are compared with; got 'int8'
            --only (            | --only: is not a regular expression: Unclosed group in '('
            """)
    void badArgumentsGetOneLine(String args, String message) {
        Run run = run(args.split(" "));
        assertEquals(2, run.status);
        assertEquals("rnn bench: " + message + "; " + BenchCommand.USAGE + "\n", run.err);
        assertEquals("", run.out);
    }

    @Test
    void badOptionsExitWithStatusTwoAndOneLineBeforeAnythingRuns(@TempDir Path folder) {
        Run run = run("--quick", "--bogus");
        assertEquals(2, run.status);
        assertEquals("rnn bench: unknown option '--bogus'; " + BenchCommand.USAGE + "\n", run.err);
        assertEquals("", run.out);

        Path missing = folder.resolve("missing.csv");
        run = run("--peers", missing.toString());
        assertEquals(2, run.status);
        assertEquals("rnn bench: no such peers file: " + missing + "\n", run.err);
    }

    @Test
    void onlyMatchingNothingStopsTheCommandBeforeTheSweep(@TempDir Path folder) {
        Run run = run("--quick", "--only", "NoSuchBenchmark", "--out", folder.resolve("out").toString());
        assertEquals(2, run.status);
        assertTrue(run.err.startsWith("rnn bench: --only: no benchmark of the quick sweep matches 'NoSuchBenchmark';"
                + " they are SpanBenchmark.forward, "), run.err);
        assertFalse(Files.exists(folder.resolve("out")), "nothing ran, nothing was written");
    }

    @Test
    void onlyKeepsTheMatchingBenchmarks() {
        SweepPlan plan = SweepPlan.quick().only(Pattern.compile("^StreamingBenchmark\\.step$"));
        assertEquals(List.of("StreamingBenchmark.step"), plan.groups().stream().map(g -> g.workload().method()).distinct()
                .toList());
        assertEquals("quick", plan.name());
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
        assertTrue(run.out.startsWith(BenchCommand.USAGE), run.out);
        assertTrue(run.out.contains("\n  --quick           a coarser grid, shorter measurement: about 14 minutes (default: the full\n"
                + "                    grid, a few hours)\n"), run.out);
        assertTrue(run.out.contains("\n  --precision LIST  how the fwd B = 1 and streaming-step cells store the recurrent weights,\n"
                + "                    comma-separated, f32 among them (the other benchmarks are f32) (default f32,bf16,int8)\n"),
                run.out);
        assertTrue(run.out.contains("\n  --out DIR         the output folder (default rnn-out/bench)\n"), run.out);
        assertEquals("", run.err);
    }

    /** What ./rnn does: Main finds bench through ServiceLoader and lists it with the built-in subcommands. */
    @Test
    void rnnFindsBenchAsAService() {
        List<Subcommand> found = new ArrayList<>();
        ServiceLoader.load(Subcommand.class).forEach(found::add);
        assertEquals(1, found.stream().filter(BenchCommand.class::isInstance).count(), found.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, new Main(found).run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\n  bench  the JMH benchmark sweep"), out.toString());
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> line = new ArrayList<>(List.of("bench"));
        line.addAll(List.of(args));
        int status = new Main(List.of(new BenchCommand())).run(line.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
