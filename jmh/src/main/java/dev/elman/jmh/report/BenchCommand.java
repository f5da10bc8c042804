package dev.elman.jmh.report;

import dev.elman.cli.Subcommand;
import dev.elman.cli.UsageException;
import dev.elman.cli.UsageMistake;
import dev.elman.engine.io.AtomicFileWriter;
import dev.elman.engine.parallel.Parallelism;
import dev.elman.jmh.ReferenceBudget;
import dev.elman.kernels.WeightPrecision;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.InvalidPathException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code rnn bench [--quick] [--threads LIST] [--precision LIST] [--peers FILE...] [--out DIR]}:
 * runs the benchmark sweep, every configuration at each thread count of the list (default 1 and 2),
 * the cells that have a weight precision (the fwd unit at B = 1 and the streaming step) in each
 * precision of its list (default f32, bf16, int8; see {@link SweepPlan}), and writes,
 * into the output folder, JMH's JSON ({@code jmh-result.json}), JMH's log ({@code jmh.log}), the
 * Markdown tables ({@code results.md}) and the charts (SVG and PNG).
 *
 * <p>A subcommand of {@code rnn} like the others, provided by this module as a
 * {@link Subcommand} service; every benchmark forks its own JVM with the Vector API enabled (see
 * {@link ForkedJvm} for how, when {@code ./rnn} runs on the module path). Exit status: 0 when
 * every configuration produced a result, 1 when some failed or the results could not be written,
 * 2 for bad options or an unreadable peers file (nothing is run then). Its mistakes are worded
 * with the usage line: {@code rnn bench: unknown option '--fast'; usage: rnn bench …}.
 */
@Command(name = "bench",
        header = "the JMH benchmark sweep, with tables and charts (./rnn bench --help)",
        customSynopsis = BenchCommand.USAGE,
        description = """
                Runs Elman's JMH benchmarks and writes, into the output folder, JMH's JSON (jmh-result.json),
                its log (jmh.log), Markdown tables with GFLOP/s beside every time (results.md) and charts
                (SVG and PNG): GFLOP/s against hidden size per window, SIMD and reference; step latency;
                ONNX Runtime, measured in the same run, and with --peers PyTorch and oneDNN, beside Elman.
                The fwd unit at B = 1 and the streaming step also run with the recurrent weights stored in
                bf16 and int8 (--precision), with their speed-up over f32.""",
        footer = """
                Benchmarks run one at a time; each shares its passes with a team of --threads threads
                (JMH itself runs one). Anything else running on the machine makes the numbers noisier
                (results.md records the load average).""")
public final class BenchCommand implements Subcommand {
    /** The usage line. */
    public static final String USAGE =
            "usage: rnn bench [--quick] [--threads LIST] [--precision LIST] [--only REGEX] [--peers FILE...] [--out DIR]";

    /** Where results go unless {@code --out} says otherwise (relative to the working directory). */
    public static final Path DEFAULT_OUTPUT = Path.of("rnn-out", "bench");

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

    /** A path that is not empty; picocli's own would take "" as the working directory. */
    static final class NonEmptyPath implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (value.isBlank()) {
                throw new CommandLine.TypeConversionException("an empty path");
            }
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a valid path (" + e.getReason() + ")");
            }
        }
    }

    @Option(names = "--quick", description = {"a coarser grid, shorter measurement: about 14 minutes (default: the full",
            "grid, a few hours)"})
    boolean quick;

    /** A comma-separated list of distinct thread counts, each as the engine takes them. */
    static final class ThreadCounts implements CommandLine.ITypeConverter<List<Integer>> {
        @Override
        public List<Integer> convert(String value) {
            List<Integer> counts = new ArrayList<>();
            for (String part : value.split(",", -1)) {
                int threads;
                try {
                    threads = Parallelism.parseThreads(part, "--threads");
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.TypeConversionException("expects comma-separated numbers of threads from 1 to "
                            + Parallelism.MAX_THREADS + ", e.g. 1,2; got '" + value + "'");
                }
                if (counts.contains(threads)) {
                    throw new CommandLine.TypeConversionException("lists " + threads + " twice: '" + value + "'");
                }
                counts.add(threads);
            }
            return List.copyOf(counts);
        }
    }

    @Option(names = "--threads", paramLabel = "LIST", defaultValue = "1,2", converter = ThreadCounts.class,
            description = "the thread counts to measure every configuration at, comma-separated")
    List<Integer> threads;

    /** A comma-separated list of distinct precisions, f32 among them. */
    static final class Precisions implements CommandLine.ITypeConverter<List<WeightPrecision>> {
        @Override
        public List<WeightPrecision> convert(String value) {
            List<WeightPrecision> precisions = new ArrayList<>();
            for (String part : value.split(",", -1)) {
                WeightPrecision precision;
                try {
                    precision = WeightPrecision.parse(part.strip());
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.TypeConversionException("expects comma-separated precisions from f32, bf16,"
                            + " int8, e.g. f32,int8; got '" + value + "'");
                }
                if (precisions.contains(precision)) {
                    throw new CommandLine.TypeConversionException("lists " + precision.label() + " twice: '" + value + "'");
                }
                precisions.add(precision);
            }
            if (!precisions.contains(WeightPrecision.F32)) {
                throw new CommandLine.TypeConversionException("must list f32, the rows the others are compared with;"
                        + " got '" + value + "'");
            }
            return List.copyOf(precisions);
        }
    }

    @Option(names = "--precision", paramLabel = "LIST", defaultValue = "f32,bf16,int8", converter = Precisions.class,
            description = {"how the fwd B = 1 and streaming-step cells store the recurrent weights,",
                    "comma-separated, f32 among them (the other benchmarks are f32)"})
    List<WeightPrecision> precisions;

    @Option(names = "--only", paramLabel = "REGEX", converter = MethodPattern.class,
            description = {"runs only the benchmarks whose Class.method matches (e.g. StreamingBenchmark.step);",
                    "the report then has only their tables"})
    Pattern only;

    /** {@code --only}: a regular expression, refused when it does not compile. */
    static final class MethodPattern implements CommandLine.ITypeConverter<Pattern> {
        @Override
        public Pattern convert(String value) {
            try {
                return Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new CommandLine.TypeConversionException("is not a regular expression: " + e.getDescription()
                        + " in '" + value + "'");
            }
        }
    }

    @Option(names = "--peers", paramLabel = "FILE...", arity = "1..*", converter = NonEmptyPath.class,
            description = "CSV output of the peers kit (torch_rnn_bench.py, onednn_rnn_bench)")
    List<Path> peers = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "rnn-out/bench", converter = NonEmptyPath.class,
            description = "the output folder")
    Path output;

    /** The public constructor {@link java.util.ServiceLoader} calls. */
    public BenchCommand() {
    }

    /** @return whether the quick sweep was asked for */
    boolean quick() {
        return quick;
    }

    /** @return the thread counts to measure at, in the order given */
    List<Integer> threads() {
        return threads;
    }

    /** @return the precisions the cells with one run in, in the order given */
    List<WeightPrecision> precisions() {
        return precisions;
    }

    /** @return the peers' CSV files, in the order given */
    List<Path> peers() {
        return List.copyOf(peers);
    }

    /** @return the output folder */
    Path output() {
        return output;
    }

    @Override
    public String describe(UsageMistake mistake) {
        String option = mistake.option();
        String reason = switch (mistake.kind()) {
            case UNKNOWN_OPTION -> "unknown option '" + mistake.argument() + "'";
            case UNEXPECTED_ARGUMENT -> (mistake.argument().startsWith("-") ? "unknown option '" : "unexpected argument '")
                    + mistake.argument() + "'";
            case MISSING_VALUE -> switch (option) {
                case "--peers" -> "--peers needs at least one CSV file of the peers kit";
                case "--threads", "--precision" -> option + " needs a comma-separated list";
                default -> option + " needs a folder";
            };
            case REPEATED -> option + " given twice";
            case FLAG_WITH_VALUE -> option + " takes no value";
            case BAD_VALUE -> option + ": " + mistake.detail();
            case MISSING_OPTION -> option + " is required";
        };
        return mistake.command() + ": " + reason + "; " + USAGE;
    }

    @Override
    public int run(PrintStream out) throws UsageException, IOException {
        PeerResults rows;
        try {
            // Read the peers first: a typo in a file name should not cost a sweep.
            rows = PeersCsv.readAllContents(peers);
        } catch (IOException e) {
            throw new UsageException("rnn bench: " + (e instanceof java.nio.file.NoSuchFileException missing
                    ? "no such peers file: " + missing.getFile() : e.getMessage()), e);
        }
        SweepPlan plan = quick ? SweepPlan.quick(threads, precisions) : SweepPlan.full(threads, precisions);
        if (only != null) {
            try {
                plan = plan.only(only);
            } catch (IllegalArgumentException e) {
                throw new UsageException("rnn bench: --only: " + e.getMessage(), e);
            }
        }
        Path folder = output;
        out.printf(Locale.ROOT, "bench: %s sweep, %d configurations (%s); JMH's log: %s%n", plan.name(),
                plan.configurations(), plan.timing().describe(), folder.resolve("jmh.log"));
        long start = System.nanoTime();
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        double loadBefore = MachineInfo.loadAverage();
        SweepRunner.Outcome outcome;
        try {
            outcome = SweepRunner.run(plan, folder.resolve("jmh.log"), out);
        } catch (RunnerException | IOException e) {
            throw new IOException("the sweep could not run: " + e.getMessage(), e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        List<String> facts = new ArrayList<>();
        facts.add("When: " + WHEN.format(started) + "; " + plan.name() + " sweep (" + plan.timing().describe() + "), took "
                + minutes(elapsed));
        facts.add("Command: `" + command() + "`");
        facts.addAll(MachineInfo.describe());
        facts.add(MachineInfo.loadLine(loadBefore, MachineInfo.loadAverage()));
        facts.add(String.format(Locale.ROOT, "Reference kernels: only where one operation costs at most %.0e FLOP"
                + " (ReferenceBudget); other reference rows are not measured.", ReferenceBudget.MAX_FLOP_PER_OPERATION));
        if (!outcome.failures().isEmpty()) {
            facts.add("FAILED, no result: " + String.join("; ", outcome.failures()));
        }
        try {
            List<Path> written = write(folder, outcome.results(), facts, rows);
            out.printf(Locale.ROOT, "bench: %d results in %s; wrote %s%n", outcome.results().size(), minutes(elapsed),
                    folder.toAbsolutePath().normalize());
            for (Path file : written) {
                out.println("  " + file.getFileName());
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("could not write the results: " + e.getMessage(), e);
        }
        if (!outcome.failures().isEmpty()) {
            throw new IllegalStateException(outcome.failures().size() + " configuration(s) failed: "
                    + String.join("; ", outcome.failures()));
        }
        return 0;
    }

    /** @return the command line as the report records it, from the options as given */
    private String command() {
        StringBuilder line = new StringBuilder("./rnn bench");
        if (quick) {
            line.append(" --quick");
        }
        if (!threads.equals(SweepPlan.DEFAULT_THREADS)) {
            line.append(" --threads ").append(String.join(",", threads.stream().map(String::valueOf).toList()));
        }
        if (!precisions.equals(SweepPlan.DEFAULT_PRECISIONS)) {
            line.append(" --precision ").append(String.join(",", precisions.stream().map(WeightPrecision::label).toList()));
        }
        if (only != null) {
            line.append(" --only ").append(only.pattern());
        }
        if (!peers.isEmpty()) {
            line.append(" --peers");
            peers.forEach(peer -> line.append(' ').append(peer));
        }
        if (!output.equals(DEFAULT_OUTPUT)) {
            line.append(" --out ").append(output);
        }
        return line.toString();
    }

    /**
     * Writes JMH's JSON, the Markdown report and the charts.
     *
     * @param folder where
     * @param results JMH's results
     * @param facts the report's head lines
     * @param peers the peers' rows and sgemm rates
     * @return the files written
     * @throws IOException when one cannot be written
     */
    static List<Path> write(Path folder, List<RunResult> results, List<String> facts, PeerResults peers)
            throws IOException {
        List<Path> written = new ArrayList<>();
        Path json = folder.resolve("jmh-result.json");
        SweepRunner.writeJson(results, json);
        written.add(json);
        List<Measurement> measurements = results.stream().map(MeasurementReader::read).toList();
        Path markdown = folder.resolve("results.md");
        AtomicFileWriter.writeText(markdown, new MarkdownReport(facts, measurements, peers).render());
        written.add(markdown);
        written.addAll(new ReportCharts(measurements, peers.rows()).write(folder));
        written.add(folder.resolve("jmh.log"));
        return written;
    }

    private static String minutes(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        return seconds < 60 ? seconds + " s" : seconds / 60 + " min " + seconds % 60 + " s";
    }
}
