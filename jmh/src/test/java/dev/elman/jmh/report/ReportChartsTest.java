package dev.elman.jmh.report;

import dev.elman.cli.chart.Figure;
import dev.elman.jmh.OrtPeer;
import dev.elman.kernels.WeightPrecision;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportChartsTest {
    private static final double NONE = Double.NaN;

    @Test
    void oneLinePerWindowPerPanelAndThePeersOnTheSameAxes() {
        List<Measurement> rows = new ArrayList<>();
        for (int hidden : new int[] {64, 256}) {
            for (int window : new int[] {16, 64}) {
                for (int batch : new int[] {1, 32}) {
                    rows.add(new Measurement(Workload.SPAN_FORWARD, "simd", 1, batch, hidden, hidden, window, 1, NONE, NONE, NONE,
                            NONE));
                }
                rows.add(new Measurement(Workload.SPAN_FORWARD, "reference", 1, 1, hidden, hidden, window, 9, NONE, NONE, NONE,
                        NONE));
            }
            rows.add(new Measurement(Workload.STREAMING_STEP, "simd", 1, 1, hidden, hidden, 0, 1, NONE, 2, 3, 0));
            rows.add(new Measurement(Workload.PEER_FORWARD, "simd", 1, 32, hidden, hidden, 256, 1, NONE, NONE, NONE, NONE));
        }
        List<PeerRow> peers = List.of(
                new PeerRow("torch", 1, 32, 64, 64, 256, 256, "fwd", 1, 4, 1, 5, 1, 5),
                new PeerRow("torch", 1, 32, 256, 256, 256, 256, "fwd", 1, 8, 1, 5, 1, 9),
                new PeerRow("onednn", 1, 1, 64, 64, 1, 1, "step", 1, 0.5, 1, 5, 1, 0.8));
        Map<String, Figure> figures = new ReportCharts(rows, peers).figures();
        assertEquals(Set.of("span-forward", "step-latency", "peers"), figures.keySet());

        String spans = figures.get("span-forward").toSvg();
        // Three panels (simd B = 1, simd B = 32, reference B = 1), two windows each.
        assertEquals(3, count(spans, "window 16"), spans);
        assertTrue(spans.contains("forward, reference, B = 1"), spans);
        String peersChart = figures.get("peers").toSvg();
        assertTrue(peersChart.contains("Elman simd") && peersChart.contains("torch 1t"), peersChart);
        String latency = figures.get("step-latency").toSvg();
        assertTrue(latency.contains("simd p99.9") && latency.contains("onednn 1t median"), latency);
    }

    /** ONNX Runtime's rows come from the same run: they draw the peers' charts even without a peers file. */
    @Test
    void ortIsDrawnBesideElmanWithoutAPeersFile() {
        String ort = OrtPeer.SYSTEM;
        List<Measurement> rows = new ArrayList<>();
        for (int hidden : new int[] {64, 256}) {
            for (int threads : new int[] {1, 2}) {
                rows.add(new Measurement(Workload.STREAMING_STEP, "simd", threads, 1, hidden, hidden, 0, 1, NONE, 2, 3, 0));
                rows.add(new Measurement(Workload.PEER_FORWARD, "simd", threads, 32, hidden, hidden, 256, 1, NONE, NONE, NONE,
                        NONE));
                rows.add(new Measurement(Workload.ORT_STEP, ort, threads, 1, hidden, hidden, 0, 4, NONE, 6, 9, 500));
                rows.add(new Measurement(Workload.ORT_FORWARD, ort, threads, 32, hidden, hidden, 256, 3, NONE, NONE, NONE,
                        NONE));
            }
        }
        Map<String, Figure> figures = new ReportCharts(rows, List.of()).figures();
        assertEquals(Set.of("step-latency", "peers"), figures.keySet());
        String peersChart = figures.get("peers").toSvg();
        assertTrue(peersChart.contains("Elman simd 2t") && peersChart.contains(ort + " 1t")
                && peersChart.contains(ort + " 2t"), peersChart);
        String latency = figures.get("step-latency").toSvg();
        assertTrue(latency.contains(ort + " 1t median") && latency.contains(ort + " 2t p99"), latency);
    }

    /** Reduced-precision rows draw lines of their own, never merged into float32's. */
    @Test
    void reducedPrecisionsDrawLinesOfTheirOwn() {
        List<Measurement> rows = new ArrayList<>();
        for (int hidden : new int[] {64, 256}) {
            for (WeightPrecision precision : WeightPrecision.values()) {
                double micros = precision == WeightPrecision.F32 ? 4 : 1;
                rows.add(new Measurement(Workload.STREAMING_STEP, "simd", precision, 1, 1, hidden, hidden, 0, micros, NONE,
                        2 * micros, 3 * micros, 0));
                rows.add(new Measurement(Workload.PEER_FORWARD, "simd", precision, 1, 1, hidden, hidden, 256, micros, NONE,
                        NONE, NONE, NONE));
            }
            rows.add(new Measurement(Workload.ORT_FORWARD, OrtPeer.SYSTEM, 1, 1, hidden, hidden, 256, 3, NONE, NONE, NONE,
                    NONE));
        }
        Map<String, Figure> figures = new ReportCharts(rows, List.of()).figures();
        String latency = figures.get("step-latency").toSvg();
        assertTrue(latency.contains("simd p99.9") && latency.contains("simd bf16 p50") && latency.contains("simd int8 p50"),
                latency);
        assertEquals(0, count(latency, "int8 p99"), "reduced lines: the median only");
        String peersChart = figures.get("peers").toSvg();
        assertTrue(peersChart.contains("Elman simd bf16") && peersChart.contains("Elman simd int8"), peersChart);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
