package dev.elman.jmh.report;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * JMH's output split in two: everything JMH prints goes to a log (its usual human-readable
 * format), and the console gets one line per finished configuration with its time and GFLOP/s, so
 * a sweep of hundreds of configurations stays readable. Remembers the configurations that ended
 * without a result.
 */
final class ProgressOutput implements OutputFormat {
    private final OutputFormat log;
    private final PrintStream console;
    private final int total;
    private final List<String> failures = new ArrayList<>();
    private int finished;
    private BenchmarkParams current;

    /**
     * @param log JMH's own format, writing to the log
     * @param console where the progress lines go
     * @param total the configurations the sweep will run, for the counter
     */
    ProgressOutput(OutputFormat log, PrintStream console, int total) {
        this.log = log;
        this.console = console;
        this.total = total;
    }

    /** @return the configurations that ended without a result, described */
    List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        current = params;
        log.startBenchmark(params);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        log.endBenchmark(result);
        finished++;
        String counter = String.format(Locale.ROOT, "[%" + String.valueOf(total).length() + "d/%d] ", finished, total);
        if (result == null || result.getPrimaryResult() == null) {
            String what = current == null ? "a benchmark" : describe(current);
            failures.add(what);
            console.println(counter + what + ": FAILED (the reason is in JMH's log)");
        } else {
            console.println(counter + describe(result.getParams()) + ": " + summary(result));
        }
        console.flush();
    }

    static String describe(BenchmarkParams params) {
        String name = params.getBenchmark();
        StringBuilder text = new StringBuilder(name.startsWith(RunGroup.PACKAGE) ? name.substring(RunGroup.PACKAGE.length()) : name);
        for (String key : params.getParamsKeys()) {
            text.append(' ').append(key).append('=').append(params.getParam(key));
        }
        return text.toString();
    }

    private static String summary(BenchmarkResult result) {
        try {
            Measurement m = MeasurementReader.read(new RunResult(result.getParams(), List.of(result)));
            String time = m.hasPercentiles()
                    ? "p50 " + ReportNumbers.format(m.microsPerStep()) + " µs, p99 " + ReportNumbers.format(m.p99Micros()) + " µs"
                    : ReportNumbers.format(m.microsPerStep()) + " µs/step";
            return time + ", " + ReportNumbers.format(m.gigaflopsPerSecond()) + " GFLOP/s"
                    + (m.allocatesLikeUncompiledCode() ? ", " + ReportNumbers.bytes(m.bytesPerStep())
                    + " B/step: not JIT-compiled, see JMH's log" : "");
        } catch (IllegalArgumentException e) {
            return result.getPrimaryResult().toString();
        }
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        log.iteration(benchParams, params, iteration);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration, IterationResult data) {
        log.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public void startRun() {
        log.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        log.endRun(result);
    }

    @Override
    public void print(String s) {
        log.print(s);
    }

    @Override
    public void println(String s) {
        log.println(s);
    }

    @Override
    public void flush() {
        log.flush();
    }

    /** Flushes only: JMH closes its output after every run, and a sweep is several runs into one log. */
    @Override
    public void close() {
        log.flush();
    }

    @Override
    public void verbosePrintln(String s) {
        log.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        log.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        log.write(b);
    }
}
