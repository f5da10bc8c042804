package dev.elman.jmh.report;

import dev.elman.jmh.OrtPeer;
import dev.elman.kernels.WeightPrecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every benchmark method runs once, at its smallest sizes, Elman's with both kernels (ONNX Runtime's
 * on its own; those with a precision on the SIMD kernels in bf16 and int8 too), at 1 and 2 threads,
 * in-process and for a few milliseconds, through the same runner
 * and report as {@code rnn bench}: a benchmark that no longer sets up or runs, or that the report
 * cannot read, fails the build. Times measured here mean
 * nothing (nothing is warmed up).
 */
class BenchmarkSmokeTest {
    @Test
    void everyBenchmarkIsKnownToTheReport() {
        Set<String> generated = BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8), VerboseMode.SILENT), List.of())
                .stream().map(BenchmarkListEntry::getUsername).collect(Collectors.toCollection(TreeSet::new));
        Set<String> known = Arrays.stream(Workload.values()).map(w -> RunGroup.PACKAGE + w.method())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(known, generated, "each @Benchmark method needs a Workload (its FLOP count, its table) and a place"
                + " in SweepPlan");
    }

    /**
     * JMH's generated metadata: the forward-only benchmarks sweep {@code precision} over f32, bf16
     * and int8; {@code KernelBenchmark.train} and every other benchmark have no such parameter
     * (reduced weights have no backward), while train keeps the parameters it shares with forward.
     */
    @Test
    void onlyTheForwardOnlyBenchmarksHaveAPrecision() {
        Map<String, Map<String, String[]>> params = BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8), VerboseMode.SILENT), List.of())
                .stream().collect(Collectors.toMap(BenchmarkListEntry::getUsername, e -> e.getParams().orElse(Map.of())));
        for (Workload workload : Workload.values()) {
            Map<String, String[]> declared = params.get(RunGroup.PACKAGE + workload.method());
            if (workload.hasPrecision()) {
                assertEquals(List.of("f32", "bf16", "int8"), Arrays.asList(declared.get("precision")), workload.method());
            } else {
                assertFalse(declared.containsKey("precision"), workload.method() + " has a precision parameter");
            }
        }
        Map<String, String[]> train = params.get(RunGroup.PACKAGE + Workload.PEER_TRAIN.method());
        Map<String, String[]> forward = params.get(RunGroup.PACKAGE + Workload.PEER_FORWARD.method());
        assertEquals(new TreeSet<>(List.of("batch", "hidden", "kernels", "threads", "window")), new TreeSet<>(train.keySet()));
        assertEquals(new TreeSet<>(List.of("batch", "hidden", "kernels", "precision", "threads", "window")),
                new TreeSet<>(forward.keySet()));
    }

    @Test
    void everyBenchmarkRunsOnceAndReports(@TempDir Path folder) throws Exception {
        // In-process, the benchmarks' setups read this JVM's properties: no waiting for the JIT here.
        System.setProperty(dev.elman.jmh.JitWarmup.CAP_PROPERTY, "0");
        SweepPlan plan = SweepPlan.smoke();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SweepRunner.Outcome outcome = SweepRunner.run(plan, folder.resolve("jmh.log"),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        String progress = console.toString(StandardCharsets.UTF_8);
        assertTrue(outcome.failures().isEmpty(), "failures: " + outcome.failures() + "\n" + progress + "\nJMH's log:\n"
                + Files.readString(folder.resolve("jmh.log")));
        assertEquals(plan.configurations(), outcome.results().size(), progress);
        List<Workload> elman = Arrays.stream(Workload.values()).filter(Workload::elman).toList();
        List<Workload> jvmPeers = Arrays.stream(Workload.values()).filter(w -> !w.elman()).toList();
        assertEquals(List.of(Workload.ORT_FORWARD, Workload.ORT_STEP), jvmPeers);
        List<Workload> withPrecision = elman.stream().filter(Workload::hasPrecision).toList();
        assertEquals(elman.size() * 2 * 2 + withPrecision.size() * 2 * 2 + jvmPeers.size() * 2, plan.configurations(),
                "every Elman benchmark with both kernels, those with a precision in bf16 and int8 on SIMD, every peer's"
                        + " benchmark, at 1 and 2 threads");

        List<Measurement> measurements = outcome.results().stream().map(MeasurementReader::read).toList();
        for (Workload workload : elman) {
            for (String kernels : List.of("simd", "reference")) {
                for (int threads : List.of(1, 2)) {
                    assertTrue(measurements.stream().anyMatch(m -> m.workload() == workload && m.kernels().equals(kernels)
                            && m.threads() == threads), workload + " with " + kernels + " at " + threads
                            + " threads has no measurement");
                }
            }
        }
        for (Workload workload : withPrecision) {
            for (WeightPrecision precision : List.of(WeightPrecision.BF16, WeightPrecision.INT8)) {
                for (int threads : List.of(1, 2)) {
                    assertTrue(measurements.stream().anyMatch(m -> m.workload() == workload && m.kernels().equals("simd")
                            && m.precision() == precision && m.threads() == threads), workload + " in " + precision
                            + " at " + threads + " threads has no measurement");
                }
            }
        }
        // MeasurementReader: a result without the parameter (train, spans, ORT) is f32.
        assertTrue(measurements.stream().filter(m -> !m.workload().hasPrecision()).noneMatch(Measurement::reduced));
        assertEquals(withPrecision.size() * 2 * 2, measurements.stream().filter(Measurement::reduced).count());
        for (Workload workload : jvmPeers) {
            for (int threads : List.of(1, 2)) {
                assertTrue(measurements.stream().anyMatch(m -> m.workload() == workload
                        && m.kernels().equals(OrtPeer.SYSTEM) && m.threads() == threads), workload + " at "
                        + threads + " threads has no measurement");
            }
        }
        assertEquals(plan.configurations(), progress.lines().filter(l -> l.contains("µs")).count(),
                "one progress line per configuration:\n" + progress);

        List<Path> written = BenchCommand.write(folder, outcome.results(), List.of("smoke test"),
                new PeerResults(List.of(), List.of()));
        for (Path file : written) {
            assertTrue(Files.size(file) > 0, file + " is empty");
        }
        Set<String> names = written.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        for (String expected : List.of("jmh-result.json", "results.md", "jmh.log", "span-forward.svg", "span-forward.png",
                "span-forward-backward.svg", "training.png", "step-latency.svg", "peers.svg")) {
            assertTrue(names.contains(expected), expected + " not among " + names);
        }
        String json = Files.readString(folder.resolve("jmh-result.json"));
        assertTrue(json.contains("\"benchmark\" : \"dev.elman.jmh.StreamingBenchmark.step\""), json);
        assertTrue(json.contains("\"benchmark\" : \"dev.elman.jmh.OrtStreamingBenchmark.step\""), json);
        String markdown = Files.readString(folder.resolve("results.md"));
        assertTrue(markdown.contains("## Streaming step latency"), markdown);
        assertTrue(markdown.contains("| Elman simd | Elman simd bf16 | Elman simd int8 | Elman reference | " + OrtPeer.SYSTEM
                + " |"), markdown);
        assertTrue(markdown.contains("| simd | int8 | 32 | 1 |"), markdown);
    }
}
