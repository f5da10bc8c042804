package dev.elman.jmh.report;

import dev.elman.jmh.ReferenceBudget;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code rnn bench [--quick] [--peers FILE...] [--out DIR]}: runs the benchmark sweep and writes,
 * into the output folder, JMH's JSON ({@code jmh-result.json}), JMH's log ({@code jmh.log}), the
 * Markdown tables ({@code results.md}) and the charts (SVG and PNG).
 *
 * <p>Runs from {@code jmh/target/benchmarks.jar} on the class path (the {@code ./rnn} launcher
 * does this); every benchmark forks its own JVM with the Vector API enabled. Exit status: 0 when
 * every configuration produced a result, 1 when some failed or the results could not be written,
 * 2 for bad options or an unreadable peers file (nothing is run then).
 */
public final class BenchCommand {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

    private BenchCommand() {
    }

    /**
     * @param args the arguments after {@code bench}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after {@code bench}
     * @param out progress and the summary
     * @param err error messages
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        BenchOptions options;
        List<PeerRow> peers;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("rnn bench: " + e.getMessage() + "; " + BenchOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(help());
            return 0;
        }
        try {
            // Read the peers first: a typo in a file name should not cost a sweep.
            peers = PeersCsv.readAll(options.peers());
        } catch (IOException e) {
            err.println("rnn bench: " + (e instanceof java.nio.file.NoSuchFileException missing
                    ? "no such peers file: " + missing.getFile() : e.getMessage()));
            return 2;
        }
        SweepPlan plan = options.quick() ? SweepPlan.quick() : SweepPlan.full();
        Path folder = options.output();
        String command = "./rnn bench " + String.join(" ", args);
        out.printf(Locale.ROOT, "bench: %s sweep, %d configurations (%s); JMH's log: %s%n", plan.name(),
                plan.configurations(), plan.timing().describe(), folder.resolve("jmh.log"));
        long start = System.nanoTime();
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        double loadBefore = MachineInfo.loadAverage();
        SweepRunner.Outcome outcome;
        try {
            outcome = SweepRunner.run(plan, folder.resolve("jmh.log"), out);
        } catch (RunnerException | IOException e) {
            err.println("rnn bench: the sweep could not run: " + e.getMessage());
            return 1;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        List<String> facts = new ArrayList<>();
        facts.add("When: " + WHEN.format(started) + "; " + plan.name() + " sweep (" + plan.timing().describe() + "), took "
                + minutes(elapsed));
        facts.add("Command: `" + command.strip() + "`");
        facts.addAll(MachineInfo.describe());
        facts.add(MachineInfo.loadLine(loadBefore, MachineInfo.loadAverage()));
        facts.add(String.format(Locale.ROOT, "Reference kernels: only where one operation costs at most %.0e FLOP"
                + " (ReferenceBudget); other reference rows are not measured.", ReferenceBudget.MAX_FLOP_PER_OPERATION));
        if (!outcome.failures().isEmpty()) {
            facts.add("FAILED, no result: " + String.join("; ", outcome.failures()));
        }
        try {
            List<Path> written = write(folder, outcome.results(), facts, peers);
            out.printf(Locale.ROOT, "bench: %d results in %s; wrote %s%n", outcome.results().size(), minutes(elapsed),
                    folder.toAbsolutePath().normalize());
            for (Path file : written) {
                out.println("  " + file.getFileName());
            }
        } catch (IOException | RuntimeException e) {
            err.println("rnn bench: could not write the results: " + e.getMessage());
            return 1;
        }
        if (!outcome.failures().isEmpty()) {
            err.println("rnn bench: " + outcome.failures().size() + " configuration(s) failed: "
                    + String.join("; ", outcome.failures()));
            return 1;
        }
        return 0;
    }

    /**
     * Writes JMH's JSON, the Markdown report and the charts.
     *
     * @param folder where
     * @param results JMH's results
     * @param facts the report's head lines
     * @param peers the peers' rows
     * @return the files written
     * @throws IOException when one cannot be written
     */
    static List<Path> write(Path folder, List<RunResult> results, List<String> facts, List<PeerRow> peers)
            throws IOException {
        List<Path> written = new ArrayList<>();
        Path json = folder.resolve("jmh-result.json");
        SweepRunner.writeJson(results, json);
        written.add(json);
        List<Measurement> measurements = results.stream().map(MeasurementReader::read).toList();
        Path markdown = folder.resolve("results.md");
        Path temporary = folder.resolve(".results.md.tmp");
        Files.writeString(temporary, new MarkdownReport(facts, measurements, peers).render(), StandardCharsets.UTF_8);
        Files.move(temporary, markdown, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        written.add(markdown);
        written.addAll(new ReportCharts(measurements, peers).write(folder));
        written.add(folder.resolve("jmh.log"));
        return written;
    }

    private static String minutes(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        return seconds < 60 ? seconds + " s" : seconds / 60 + " min " + seconds % 60 + " s";
    }

    private static String help() {
        return BenchOptions.USAGE + "\n\n"
                + "Runs Elman's JMH benchmarks and writes, into the output folder, JMH's JSON (jmh-result.json),\n"
                + "its log (jmh.log), Markdown tables with GFLOP/s beside every time (results.md) and charts\n"
                + "(SVG and PNG): GFLOP/s against hidden size per window, SIMD and reference; step latency;\n"
                + "and with --peers, PyTorch and oneDNN beside Elman.\n\n"
                + "  --quick          a coarser grid, shorter measurement: 5-7 minutes (default: the full\n"
                + "                   grid, about an hour)\n"
                + "  --peers FILE...  CSV output of the peers kit (torch_rnn_bench.py, onednn_rnn_bench)\n"
                + "  --out DIR        the output folder (default " + BenchOptions.DEFAULT_OUTPUT + ")\n\n"
                + "Benchmarks run one at a time on one thread; anything else running on the machine makes\n"
                + "the numbers noisier (results.md records the load average).";
    }
}
