package dev.elman.jmh.report;

import dev.elman.jmh.OrtPeer;
import dev.elman.kernels.WeightPrecision;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's arithmetic and layout on hand-made rows: B = 2, H = I = 10, so a forward step is
 * 2·2·10·(10+10) = 800 FLOP and a forward-plus-backward step 2 400 FLOP.
 */
class MarkdownReportTest {
    private static final double NONE = Double.NaN;

    private static Measurement span(Workload workload, String kernels, double micros, double error, double bytes) {
        return new Measurement(workload, kernels, 1, 2, 10, 10, 16, micros, error, NONE, NONE, bytes);
    }

    @Test
    void gflopsFollowThePeersConvention() {
        Measurement forward = span(Workload.SPAN_FORWARD, "simd", 0.5, NONE, NONE);
        assertEquals(800, forward.flopPerStep());
        assertEquals(1.6, forward.gigaflopsPerSecond(), 1e-12, "800 FLOP in 0.5 µs");
        Measurement both = span(Workload.SPAN_FORWARD_BACKWARD, "simd", 0.5, NONE, NONE);
        assertEquals(2400, both.flopPerStep());
        assertEquals(4.8, both.gigaflopsPerSecond(), 1e-12);
        Measurement training = new Measurement(Workload.TRAINING, "simd", 1, 2, 10, 10, 64, 0.5, NONE, NONE, NONE, NONE);
        assertEquals(2400, training.flopPerStep(), "training counts forward + backward");
        assertEquals(0.256, training.millisPerSequence(), 1e-12, "512 steps of 0.5 µs");
        Measurement step = new Measurement(Workload.STREAMING_STEP, "simd", 1, 1, 10, 10, 0, 0.25, NONE, 1, 2, 0);
        assertEquals(400, step.flopPerStep(), "B = 1: 2·1·10·20");
        assertEquals(1.6, step.gigaflopsPerSecond(), 1e-12);
    }

    @Test
    void measurementsRejectImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> span(Workload.SPAN_FORWARD, "simd", 0, NONE, NONE));
        assertThrows(IllegalArgumentException.class, () -> span(Workload.SPAN_FORWARD, "simd", NONE, NONE, NONE));
        assertThrows(IllegalArgumentException.class,
                () -> new Measurement(Workload.SPAN_FORWARD, "simd", 1, 0, 10, 10, 16, 1, NONE, NONE, NONE, NONE));
        assertThrows(IllegalArgumentException.class,
                () -> new Measurement(Workload.SPAN_FORWARD, "simd", 0, 2, 10, 10, 16, 1, NONE, NONE, NONE, NONE));
        IllegalArgumentException noPrecision = assertThrows(IllegalArgumentException.class,
                () -> new Measurement(Workload.PEER_FORWARD, "simd", null, 1, 1, 10, 10, 256, 1, NONE, NONE, NONE, NONE));
        assertTrue(noPrecision.getMessage().contains("precision"), noPrecision.getMessage());
    }

    @Test
    void everyRowHasItsTimeAndRate() {
        String report = new MarkdownReport(List.of("When: test"), List.of(
                span(Workload.SPAN_FORWARD_BACKWARD, "simd", 0.5, 0.01, 0.04),
                span(Workload.SPAN_FORWARD, "reference", 40, NONE, NONE),
                span(Workload.SPAN_FORWARD, "simd", 0.5, 0.01, 0.04),
                new Measurement(Workload.TRAINING, "simd", 1, 2, 10, 10, 64, 0.5, 0.02, NONE, NONE, 0.1),
                new Measurement(Workload.STREAMING_STEP, "simd", 1, 1, 10, 10, 0, 0.25, NONE, 1.5, 12.25, 0)), List.of())
                .render();
        assertTrue(report.startsWith("# Elman benchmarks\n\n- When: test\n"), report);
        // SIMD before reference, forward before forward+backward; ± is JMH's error; 0.04 B shows as 0.0.
        assertContainsInOrder(report,
                "| forward | simd | 2 | 10 | 16 | 1 | 0.500 ± 0.010 | 1.60 | 0.0 |",
                "| forward | reference | 2 | 10 | 16 | 1 | 40.0 | 0.020 | — |",
                "| forward+backward | simd | 2 | 10 | 16 | 1 | 0.500 ± 0.010 | 4.80 | 0.0 |",
                "| simd | 2 | 10 | 64 | 1 | 0.500 ± 0.020 | 4.80 | 0.256 | 0.1 |",
                "| simd | 10 | 1 | 0.250 | 1.50 | 12.3 | 1.60 | 0.0 |");
        assertTrue(report.contains("No peers file was given"), report);
    }

    @Test
    void peersStandBesideTheSameWorkUnit() {
        List<Measurement> elman = List.of(
                new Measurement(Workload.PEER_TRAIN, "simd", 1, 2, 10, 10, 64, 2.0, NONE, NONE, NONE, NONE),
                new Measurement(Workload.PEER_FORWARD, "simd", 1, 2, 10, 10, 256, 1.0, NONE, NONE, NONE, NONE),
                new Measurement(Workload.STREAMING_STEP, "simd", 1, 1, 10, 10, 0, 0.5, NONE, 0.75, 2, NONE));
        List<PeerRow> peers = List.of(
                // Three passes of one torch cell: the median time (4.0) is reported, its rate recomputed.
                peer("torch-1.13", "train", 2, 256, 64, 3.0, 0),
                peer("torch-1.13", "train", 2, 256, 64, 5.0, 0),
                peer("torch-1.13", "train", 2, 256, 64, 4.0, 0),
                peer("onednn-2.6.3", "fwd", 2, 256, 256, 0.5, 0),
                peer("onednn-2.6.3", "step", 1, 1, 1, 0.4, 0.9),
                // A unit Elman did not measure (K = 16) is not a row.
                peer("onednn-2.6.3", "train", 2, 256, 16, 1.0, 0));
        String report = new MarkdownReport(List.of(), elman, peers).render();
        assertContainsInOrder(report,
                "| B | H | mode | threads | Elman simd | torch-1.13 | onednn-2.6.3 |",
                "| 1 | 10 | step | 1 | 0.500 / 0.750 | — | 0.400 / 0.900 |",
                "| 2 | 10 | fwd | 1 | 1.00 / 0.800 | — | 0.500 / 1.60 |",
                "| 2 | 10 | train K=64 | 1 | 2.00 / 1.20 | 4.00 / 0.600 | — |");
        assertFalse(report.contains("K=16"), report);
    }

    /** Each Elman row stands beside the peers' rows of its own thread count, never another's. */
    @Test
    void peersStandBesideTheSameThreadCount() {
        List<Measurement> elman = List.of(
                new Measurement(Workload.PEER_FORWARD, "simd", 1, 2, 10, 10, 256, 1.0, NONE, NONE, NONE, NONE),
                new Measurement(Workload.PEER_FORWARD, "simd", 2, 2, 10, 10, 256, 0.5, NONE, NONE, NONE, NONE));
        List<PeerRow> peers = List.of(
                peer("onednn-2.6.3", 2, "fwd", 2, 256, 256, 0.4, 0),
                peer("onednn-2.6.3", 1, "fwd", 2, 256, 256, 0.8, 0),
                // Elman did not run 4 threads: no row for them.
                peer("onednn-2.6.3", 4, "fwd", 2, 256, 256, 0.2, 0));
        String report = new MarkdownReport(List.of(), elman, peers).render();
        assertContainsInOrder(report,
                "| B | H | mode | threads | Elman simd | onednn-2.6.3 |",
                "| 2 | 10 | fwd | 1 | 1.00 / 0.800 | 0.800 / 1.00 |",
                "| 2 | 10 | fwd | 2 | 0.500 / 1.60 | 0.400 / 2.00 |");
        assertFalse(report.contains("| fwd | 4 |"), report);
    }

    /**
     * ONNX Runtime's rows, from the same JMH run, are a column of their own beside Elman's at the same
     * thread count, with Elman's speed-up over it; it has no train cells.
     */
    @Test
    void ortIsAColumnBesideElmanAtTheSameThreadCount() {
        String ort = OrtPeer.SYSTEM;
        List<Measurement> rows = List.of(
                new Measurement(Workload.PEER_FORWARD, "simd", 1, 2, 10, 10, 256, 1.0, NONE, NONE, NONE, NONE),
                new Measurement(Workload.PEER_FORWARD, "simd", 2, 2, 10, 10, 256, 0.5, NONE, NONE, NONE, NONE),
                new Measurement(Workload.PEER_TRAIN, "simd", 1, 2, 10, 10, 64, 2.0, NONE, NONE, NONE, NONE),
                new Measurement(Workload.STREAMING_STEP, "simd", 1, 1, 10, 10, 0, 0.5, NONE, 0.75, 2, NONE),
                // As MeasurementReader reads them: the peer's name in place of kernels, fwd's window T.
                new Measurement(Workload.ORT_FORWARD, ort, 1, 2, 10, 10, 256, 2.5, NONE, NONE, NONE, NONE),
                new Measurement(Workload.ORT_FORWARD, ort, 2, 2, 10, 10, 256, 2.0, NONE, NONE, NONE, NONE),
                new Measurement(Workload.ORT_STEP, ort, 1, 1, 10, 10, 0, 1.5, NONE, 3, 4, 2000));
        List<PeerRow> peers = List.of(peer("onednn-2.6.3", "fwd", 2, 256, 256, 0.5, 0));
        String report = new MarkdownReport(List.of(), rows, peers).render();
        assertContainsInOrder(report,
                ort + " ran in the same JMH run",
                "| B | H | mode | threads | Elman simd | " + ort + " | onednn-2.6.3 | Elman simd vs " + ort + " |",
                // The step: medians 1.5 against 0.5, p99 beside each.
                "| 1 | 10 | step | 1 | 0.500 / 0.750 | 1.50 / 3.00 | — | 3.00× |",
                // fwd: 800 FLOP per step; ORT's 2.5 µs is 0.32 GFLOP/s, 2.5× Elman's time.
                "| 2 | 10 | fwd | 1 | 1.00 / 0.800 | 2.50 / 0.320 | 0.500 / 1.60 | 2.50× |",
                "| 2 | 10 | fwd | 2 | 0.500 / 1.60 | 2.00 / 0.400 | — | 4.00× |",
                "| 2 | 10 | train K=64 | 1 | 2.00 / 1.20 | — | — | — |");
        // A peer's rows are in the peers' table only, and their allocation is no sign of uncompiled code.
        assertFalse(report.contains("| " + ort + " | 10 |"), report);
        assertFalse(rows.getLast().allocatesLikeUncompiledCode());
        assertEquals(1, report.split("\\| 1 \\| 10 \\| step \\|", -1).length - 1, report);
    }

    /**
     * Rows of reduced-precision weights, as a sweep's results hold them (the fwd unit at B = 1 and the
     * streaming step, SIMD): columns of their own beside float32 and the peers' float32 figures,
     * with the speed-up over float32; GFLOP/s count the same FLOP, the share of sgemm stays float32's.
     */
    @Test
    void reducedPrecisionsStandBesideF32WithTheirSpeedUp() {
        String ort = OrtPeer.SYSTEM;
        WeightPrecision bf16 = WeightPrecision.BF16;
        WeightPrecision int8 = WeightPrecision.INT8;
        List<Measurement> rows = List.of(
                // fwd at B = 1, H = I = 10: 400 FLOP per step in every precision.
                new Measurement(Workload.PEER_FORWARD, "simd", 1, 1, 10, 10, 256, 1.0, NONE, NONE, NONE, NONE),
                new Measurement(Workload.PEER_FORWARD, "simd", int8, 1, 1, 10, 10, 256, 0.25, NONE, NONE, NONE, 0),
                new Measurement(Workload.PEER_FORWARD, "simd", bf16, 1, 1, 10, 10, 256, 0.5, NONE, NONE, NONE, 0),
                // B = 32 runs in f32 only.
                new Measurement(Workload.PEER_FORWARD, "simd", 1, 32, 10, 10, 256, 4.0, NONE, NONE, NONE, NONE),
                new Measurement(Workload.STREAMING_STEP, "simd", 1, 1, 10, 10, 0, 0.8, NONE, 1.2, 2, 0),
                new Measurement(Workload.STREAMING_STEP, "simd", bf16, 1, 1, 10, 10, 0, 0.5, NONE, 1, 3, 0),
                new Measurement(Workload.STREAMING_STEP, "simd", int8, 1, 1, 10, 10, 0, 0.4, NONE, 0.9, 4, 0),
                // A reduced row without its f32 row (H = 20) has no speed-up to show.
                new Measurement(Workload.STREAMING_STEP, "simd", int8, 1, 1, 20, 20, 0, 1.6, NONE, 2, 4, 0),
                new Measurement(Workload.STREAMING_STEP, "reference", 1, 1, 10, 10, 0, 8, NONE, 9, 10, 0),
                new Measurement(Workload.ORT_FORWARD, ort, 1, 1, 10, 10, 256, 2.0, NONE, NONE, NONE, NONE),
                new Measurement(Workload.ORT_STEP, ort, 1, 1, 10, 10, 0, 1.6, NONE, 3, 4, 0));
        List<PeerRow> peers = List.of(peer("onednn-2.6.3", "fwd", 1, 256, 256, 0.5, 0));
        List<SgemmRate> sgemm = List.of(new SgemmRate(1, 1024, 0.8, 1, 10));
        String report = new MarkdownReport(List.of(), rows, new PeerResults(peers, sgemm)).render();
        assertTrue(report.contains("`precision` bf16 or int8: the recurrent weights"), report);
        // The streaming table: one row per precision, f32 first, the median's speed-up over f32.
        assertContainsInOrder(report,
                "| kernels | precision | H | threads | p50 µs | p99 µs | p99.9 µs | GFLOP/s at p50 | speed-up over f32 | B/step |",
                "| simd | f32 | 10 | 1 | 0.800 | 1.20 | 2.00 | 0.500 | — | 0.0 |",
                "| simd | bf16 | 10 | 1 | 0.500 | 1.00 | 3.00 | 0.800 | 1.60× | 0.0 |",
                "| simd | int8 | 10 | 1 | 0.400 | 0.900 | 4.00 | 1.00 | 2.00× | 0.0 |",
                "| simd | int8 | 20 | 1 | 1.60 | 2.00 | 4.00 | 1.00 | — | 0.0 |",
                "| reference | f32 | 10 | 1 | 8.00 | 9.00 | 10.0 | 0.050 | — | 0.0 |");
        // The peers' table: f32, bf16, int8 columns of SIMD, then the reference, the peers; % of sgemm for
        // f32 only (0.4 GFLOP/s of 0.8), then Elman's speed-up over ORT and each precision's over f32.
        assertContainsInOrder(report,
                "Elman simd bf16, Elman simd int8: the same units with the recurrent weights stored in that precision",
                "| B | H | mode | threads | Elman simd | Elman simd bf16 | Elman simd int8 | Elman reference | " + ort
                        + " | onednn-2.6.3 | Elman simd % of sgemm | Elman reference % of sgemm | Elman simd vs " + ort
                        + " | Elman simd bf16 vs f32 | Elman simd int8 vs f32 |",
                "| 1 | 10 | fwd | 1 | 1.00 / 0.400 | 0.500 / 0.800 | 0.250 / 1.60 | — | 2.00 / 0.200 | 0.500 / 0.800 | 50.0 % | — | 2.00× | 2.00× | 4.00× |",
                "| 1 | 10 | step | 1 | 0.800 / 1.20 | 0.500 / 1.00 | 0.400 / 0.900 | 8.00 / 9.00 | 1.60 / 3.00 | — | — | — | 2.00× | 1.60× | 2.00× |",
                "| 1 | 20 | step | 1 | — | — | 1.60 / 2.00 | — | — | — | — | — | — | — | — |",
                "| 32 | 10 | fwd | 1 | 4.00 / 3.20 | — | — | — | — | — | 400 % | — | — | — | — |");
        Measurement int8Forward = rows.get(1);
        assertTrue(int8Forward.reduced());
        assertEquals(rows.getFirst().flopPerStep(), int8Forward.flopPerStep(), "the same FLOP in every precision");
        assertFalse(rows.getFirst().reduced());
    }

    /** Results of f32 only (older files, or --precision f32) render as they did: no precision column anywhere. */
    @Test
    void f32OnlyResultsHaveNoPrecisionColumns() {
        String report = new MarkdownReport(List.of(), List.of(
                new Measurement(Workload.STREAMING_STEP, "simd", WeightPrecision.F32, 1, 1, 10, 10, 0, 0.25, NONE, 1.5, 12.25,
                        0),
                new Measurement(Workload.STREAM_GROUP_STEP, "simd", 1, 8, 10, 10, 0, 0.1, NONE, NONE, NONE, 0),
                new Measurement(Workload.PEER_FORWARD, "simd", 1, 2, 10, 10, 256, 1.0, NONE, NONE, NONE, NONE)), List.of())
                .render();
        assertContainsInOrder(report,
                "| kernels | H | threads | p50 µs | p99 µs | p99.9 µs | GFLOP/s at p50 | B/step |",
                "| simd | 10 | 1 | 0.250 | 1.50 | 12.3 | 1.60 | 0.0 |",
                "| kernels | streams | H | threads | µs/stream-step | GFLOP/s | B/step |",
                "| B | H | mode | threads | Elman simd |\n");
        assertFalse(report.contains("precision") || report.contains("vs f32"), report);
    }

    /** Each Elman rate is set against sgemm at its own thread count, at the largest n measured. */
    @Test
    void ratesStandAgainstSgemmAtTheSameThreadCount() {
        List<Measurement> elman = List.of(
                new Measurement(Workload.PEER_FORWARD, "simd", 1, 2, 10, 10, 256, 1.0, NONE, NONE, NONE, NONE),
                new Measurement(Workload.PEER_FORWARD, "simd", 2, 2, 10, 10, 256, 0.5, NONE, NONE, NONE, NONE),
                new Measurement(Workload.STREAMING_STEP, "simd", 1, 1, 10, 10, 0, 0.5, NONE, 0.75, 2, NONE));
        List<SgemmRate> sgemm = List.of(new SgemmRate(1, 256, 100, 120, 10), new SgemmRate(1, 1024, 1.6, 2, 10),
                new SgemmRate(2, 1024, 6.4, 7, 10), new SgemmRate(2, 1024, 3.2, 7, 10), new SgemmRate(2, 1024, 8, 9, 10));
        String report = new MarkdownReport(List.of(), elman, new PeerResults(List.of(), sgemm)).render();
        // 1 thread: 0.8 GFLOP/s against 1.6 (n = 1024, not 256's 100); 2 threads: 1.6 against the median 6.4.
        assertContainsInOrder(report,
                "1 thread: 1.60 GFLOP/s, 2 threads: 6.40 GFLOP/s",
                "| B | H | mode | threads | Elman simd | Elman simd % of sgemm |",
                "| 1 | 10 | step | 1 | 0.500 / 0.750 | — |",
                "| 2 | 10 | fwd | 1 | 1.00 / 0.800 | 50.0 % |",
                "| 2 | 10 | fwd | 2 | 0.500 / 1.60 | 25.0 % |");
        assertTrue(new MarkdownReport(List.of(), elman, List.of()).render().contains("No sgemm rate was given"));
    }

    @Test
    void numbersKeepAboutThreeSignificantDigits() {
        assertEquals("1196", ReportNumbers.format(1195.5));
        assertEquals("69.2", ReportNumbers.format(69.178));
        assertEquals("3.94", ReportNumbers.format(3.944));
        assertEquals("0.245", ReportNumbers.format(0.2451));
        assertEquals("0.0012", ReportNumbers.format(0.00123));
        assertEquals("—", ReportNumbers.format(Double.NaN));
        assertEquals("0.0", ReportNumbers.bytes(-0.001), "the GC profiler's rounding can go a hair below zero");
        assertEquals("20873 ⚠", ReportNumbers.bytes(20872.566), "allocation like uncompiled vector code is marked");
        assertEquals("1000", ReportNumbers.bytes(1000));
    }

    private static PeerRow peer(String system, String mode, int batch, int steps, int window, double micros, double p99) {
        return peer(system, 1, mode, batch, steps, window, micros, p99);
    }

    private static PeerRow peer(String system, int threads, String mode, int batch, int steps, int window, double micros,
                                double p99) {
        double flop = 2.0 * batch * 10 * 20 * (mode.equals("train") ? 3 : 1);
        return new PeerRow(system, threads, batch, 10, 10, steps, window, mode, micros * steps / 1e3, micros,
                flop / (micros * 1e3), 5, 1.0, p99);
    }

    private static void assertContainsInOrder(String text, String... parts) {
        int from = 0;
        for (String part : parts) {
            int at = text.indexOf(part, from);
            assertTrue(at >= 0, "expected, after position " + from + ": " + part + "\nin:\n" + text);
            from = at + part.length();
        }
    }
}
