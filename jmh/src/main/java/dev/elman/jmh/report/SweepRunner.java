package dev.elman.jmh.report;

import dev.elman.engine.io.AtomicFileWriter;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link SweepPlan} through JMH's Runner API: one JMH run per {@link RunGroup}, JMH's own
 * output into a log file, a progress line per configuration on the console.
 */
public final class SweepRunner {
    private SweepRunner() {
    }

    /**
     * What a sweep produced.
     *
     * @param results JMH's results, in run order
     * @param failures the configurations that ended without a result, described
     */
    public record Outcome(List<RunResult> results, List<String> failures) {
        /** Copies the lists. */
        public Outcome {
            results = List.copyOf(results);
            failures = List.copyOf(failures);
        }
    }

    /**
     * Runs every group of a plan.
     *
     * @param plan what to run
     * @param log where JMH's own output goes (created or replaced)
     * @param console where the progress lines go
     * @return the results and the failures
     * @throws RunnerException when JMH cannot run at all (e.g. no benchmark matches a group)
     * @throws IOException when the log cannot be written
     */
    public static Outcome run(SweepPlan plan, Path log, PrintStream console) throws RunnerException, IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<RunResult> results = new ArrayList<>();
        String modulePath = ForkedJvm.hostModulePath();
        String classPath = System.getProperty("java.class.path");
        try (OutputStream file = Files.newOutputStream(log);
             PrintStream logStream = new PrintStream(file, true, StandardCharsets.UTF_8)) {
            ProgressOutput output = new ProgressOutput(OutputFormatFactory.createFormatInstance(logStream, VerboseMode.NORMAL),
                    console, plan.configurations());
            if (modulePath != null) {
                // JMH reads the forks' class path from this property when it forks (see ForkedJvm).
                System.setProperty("java.class.path", ForkedJvm.classPath(modulePath));
            }
            for (RunGroup group : plan.groups()) {
                results.addAll(new Runner(options(plan.timing(), group, modulePath != null), output).run());
            }
            List<String> failures = new ArrayList<>(output.failures());
            int missing = plan.configurations() - results.size();
            if (missing > failures.size()) {
                failures.add((missing - failures.size()) + " more configurations produced no result (see JMH's log)");
            }
            return new Outcome(results, failures);
        } finally {
            if (modulePath != null) {
                System.setProperty("java.class.path", classPath == null ? "" : classPath);
            }
        }
    }

    /**
     * Writes results as JMH's JSON (what {@code -rf json} writes), replacing the file only when complete.
     *
     * @param results the results
     * @param file the JSON file
     * @throws IOException when it cannot be written
     */
    public static void writeJson(Collection<RunResult> results, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFileWriter.writeStream(file, out -> {
            PrintStream json = new PrintStream(out, false, StandardCharsets.UTF_8);
            ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(results);
            json.flush();
        });
    }

    private static org.openjdk.jmh.runner.options.Options options(Timing timing, RunGroup group, boolean hostOnModulePath) {
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .include(group.include())
                .forks(timing.forks())
                .warmupIterations(timing.warmupIterations())
                .warmupTime(timing.warmupTime())
                .measurementIterations(timing.measurementIterations())
                .measurementTime(timing.measurementTime())
                .shouldFailOnError(false)
                .verbosity(VerboseMode.NORMAL);
        for (Map.Entry<String, List<String>> param : group.params().entrySet()) {
            builder.param(param.getKey(), param.getValue().toArray(String[]::new));
        }
        if (hostOnModulePath) {
            builder.jvmArgs(ForkedJvm.jvmArguments(ManagementFactory.getRuntimeMXBean().getInputArguments())
                    .toArray(String[]::new));
        }
        if (timing.profileAllocation()) {
            builder.addProfiler(GCProfiler.class);
        }
        return builder.build();
    }
}
