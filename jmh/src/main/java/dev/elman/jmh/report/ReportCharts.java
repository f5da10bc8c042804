package dev.elman.jmh.report;

import dev.elman.cli.chart.Figure;
import dev.elman.cli.chart.LineChart;
import dev.elman.jmh.Flops;
import dev.elman.kernels.WeightPrecision;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The charts of a sweep, each written as SVG and PNG: GFLOP/s against hidden size (one line per
 * window; SIMD and reference in separate panels) for the span passes and for training, step latency
 * against hidden size, and, given peers' rows or ONNX Runtime's, Elman beside PyTorch, oneDNN and
 * ONNX Runtime on the same axes.
 *
 * <p>Hidden sizes double from one to the next, so the x axis is {@code log₂ H}; the chart
 * component draws linear x axes, and the label says how to read it. GFLOP/s are drawn on linear
 * axes, one panel per implementation and batch (the reference is some 50 times slower than SIMD,
 * and each would flatten the other); latency spans decades (H = 64 against 1024, p50 against
 * p99.9) and is drawn on a log axis. A series of a single point draws nothing: the plans give
 * every line at least two hidden sizes. Rows of reduced-precision weights get lines of their own,
 * named by their precision ({@code simd int8 2t}); on the latency chart only their median, so that
 * the float32 percentiles stay readable; the peers (float32) are set beside Elman's float32 lines.
 */
public final class ReportCharts {
    private static final String HIDDEN_AXIS = "log2 H   (5 = 32, 6 = 64, ... 10 = 1024)";
    private static final String RATE_AXIS = "GFLOP/s";

    private final List<Measurement> measurements;
    private final List<PeerRow> peers;

    /**
     * @param measurements the measured rows
     * @param peers the peers' rows, possibly none
     */
    public ReportCharts(List<Measurement> measurements, List<PeerRow> peers) {
        this.measurements = List.copyOf(measurements);
        this.peers = List.copyOf(peers);
    }

    /**
     * Writes every chart there is data for.
     *
     * @param directory where
     * @return the files written
     * @throws IOException when one cannot be written
     */
    public List<Path> write(Path directory) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, Figure> figure : figures().entrySet()) {
            written.addAll(figure.getValue().write(directory, figure.getKey()));
        }
        return written;
    }

    /** @return the figures there is data for, by file name (without extension) */
    public Map<String, Figure> figures() {
        Map<String, Figure> figures = new TreeMap<>();
        spanFigure(Workload.SPAN_FORWARD, "span-forward", figures);
        spanFigure(Workload.SPAN_FORWARD_BACKWARD, "span-forward-backward", figures);
        spanFigure(Workload.TRAINING, "training", figures);
        latencyFigure(figures);
        peersFigure(figures);
        return figures;
    }

    private void spanFigure(Workload workload, String name, Map<String, Figure> figures) {
        List<LineChart> panels = new ArrayList<>();
        for (String kernels : List.of("simd", "reference")) {
            for (int batch : batches(m -> m.workload() == workload && m.kernels().equals(kernels))) {
                LineChart panel = new LineChart(workload.label() + ", " + kernels + ", B = " + batch, HIDDEN_AXIS, RATE_AXIS,
                        false);
                // One line per window and thread count, windows first.
                TreeMap<Long, List<Measurement>> byWindow = new TreeMap<>();
                for (Measurement m : measurements) {
                    if (m.workload() == workload && m.kernels().equals(kernels) && m.batch() == batch) {
                        byWindow.computeIfAbsent((long) m.window() << 32 | m.threads(), w -> new ArrayList<>()).add(m);
                    }
                }
                byWindow.forEach((key, rows) -> addLine(panel, "window " + rows.getFirst().window()
                        + threadsLabel(rows.getFirst()), rows, Measurement::gigaflopsPerSecond));
                panels.add(panel);
            }
        }
        if (!panels.isEmpty()) {
            figures.put(name, new Figure(panels.toArray(LineChart[]::new)));
        }
    }

    private void latencyFigure(Map<String, Figure> figures) {
        List<Measurement> steps = measurements.stream().filter(m -> m.workload() == Workload.STREAMING_STEP).toList();
        if (steps.isEmpty()) {
            return;
        }
        LineChart elman = new LineChart("streaming step latency, B = 1", HIDDEN_AXIS, "µs per step", true);
        for (String kernels : List.of("simd", "reference")) {
            for (WeightPrecision precision : WeightPrecision.values()) {
                for (int threads : threadCounts()) {
                    List<Measurement> rows = steps.stream().filter(m -> m.kernels().equals(kernels)
                            && m.precision() == precision && m.threads() == threads).toList();
                    if (!rows.isEmpty()) {
                        String name = kernels + precisionLabel(precision) + threadsLabel(rows.getFirst());
                        addLine(elman, name + " p50", rows, Measurement::microsPerStep);
                        if (precision == WeightPrecision.F32) {
                            addLine(elman, name + " p99", rows, Measurement::p99Micros);
                            addLine(elman, name + " p99.9", rows, Measurement::p999Micros);
                        }
                    }
                }
            }
        }
        List<PeerRow> peerSteps = peers.stream().filter(p -> p.mode().equals("step") && p.batch() == 1).toList();
        List<Measurement> jvmPeerSteps = measurements.stream().filter(m -> m.workload() == Workload.ORT_STEP).toList();
        if (peerSteps.isEmpty() && jvmPeerSteps.isEmpty()) {
            figures.put("step-latency", new Figure(elman));
            return;
        }
        LineChart side = new LineChart("step latency beside the peers", HIDDEN_AXIS, "µs per step", true);
        for (int threads : threadCounts()) {
            List<Measurement> simd = steps.stream().filter(m -> m.kernels().equals("simd") && !m.reduced()
                    && m.threads() == threads).toList();
            if (!simd.isEmpty()) {
                String name = "Elman simd" + threadsLabel(simd.getFirst());
                addLine(side, name + " median", simd, Measurement::microsPerStep);
                addLine(side, name + " p99", simd, Measurement::p99Micros);
            }
        }
        for (String label : new TreeSet<>(jvmPeerSteps.stream().map(ReportCharts::peerLabel).toList())) {
            List<Measurement> rows = jvmPeerSteps.stream().filter(m -> peerLabel(m).equals(label)).toList();
            addLine(side, label + " median", rows, Measurement::microsPerStep);
            addLine(side, label + " p99", rows, Measurement::p99Micros);
        }
        for (String label : new TreeSet<>(peerSteps.stream().map(PeerRow::label).toList())) {
            List<PeerRow> rows = peerSteps.stream().filter(p -> p.label().equals(label)).toList();
            addPeerLine(side, label + " median", rows, PeerRow::microsPerStep);
            addPeerLine(side, label + " p99", rows, PeerRow::p99MicrosPerStep);
        }
        figures.put("step-latency", new Figure(elman, side));
    }

    private void peersFigure(Map<String, Figure> figures) {
        if (peers.isEmpty() && measurements.stream().noneMatch(m -> m.workload() == Workload.ORT_FORWARD)) {
            return;
        }
        List<LineChart> panels = new ArrayList<>();
        for (Workload workload : List.of(Workload.PEER_FORWARD, Workload.PEER_TRAIN)) {
            String mode = workload.peerMode().orElseThrow();
            for (int batch : batches(m -> m.workload() == workload)) {
                List<Measurement> elman = measurements.stream()
                        .filter(m -> m.workload() == workload && m.batch() == batch).toList();
                int window = elman.getFirst().window();
                String title = (mode.equals("fwd") ? "fwd" : "train K=" + window) + ", B = " + batch + ", T = "
                        + workload.steps();
                LineChart panel = new LineChart(title, HIDDEN_AXIS, RATE_AXIS, false);
                for (String kernels : List.of("simd", "reference")) {
                    for (WeightPrecision precision : WeightPrecision.values()) {
                        for (int threads : threadCounts()) {
                            List<Measurement> rows = elman.stream().filter(m -> m.kernels().equals(kernels)
                                    && m.precision() == precision && m.threads() == threads).toList();
                            if (!rows.isEmpty()) {
                                addLine(panel, "Elman " + kernels + precisionLabel(precision)
                                        + threadsLabel(rows.getFirst()), rows, Measurement::gigaflopsPerSecond);
                            }
                        }
                    }
                }
                List<Measurement> jvmPeer = measurements.stream().filter(m -> !m.workload().elman()
                        && m.workload().peerMode().orElseThrow().equals(mode) && m.batch() == batch).toList();
                for (String label : new TreeSet<>(jvmPeer.stream().map(ReportCharts::peerLabel).toList())) {
                    addLine(panel, label, jvmPeer.stream().filter(m -> peerLabel(m).equals(label)).toList(),
                            Measurement::gigaflopsPerSecond);
                }
                List<PeerRow> matching = peers.stream().filter(p -> p.mode().equals(mode) && p.batch() == batch
                        && p.steps() == workload.steps() && p.window() == window && p.input() == p.hidden()).toList();
                for (String label : new TreeSet<>(matching.stream().map(PeerRow::label).toList())) {
                    List<PeerRow> rows = matching.stream().filter(p -> p.label().equals(label)).toList();
                    addPeerLine(panel, label, rows, p -> Flops.gigaflopsPerSecond(p.flopPerStep(), p.microsPerStep()));
                }
                panels.add(panel);
            }
        }
        if (!panels.isEmpty()) {
            figures.put("peers", new Figure(panels.toArray(LineChart[]::new)));
        }
    }

    /** @return the thread counts measured, ascending */
    private List<Integer> threadCounts() {
        return measurements.stream().map(Measurement::threads).distinct().sorted().toList();
    }

    /**
     * @return how a line names its thread count, as the peers' labels do ({@code " 2t"}); nothing
     *     when every measurement ran at the same count
     */
    private String threadsLabel(Measurement m) {
        return threadCounts().size() > 1 ? " " + m.threads() + "t" : "";
    }

    /** @return how a line names a reduced precision ({@code " int8"}); nothing for float32 */
    private static String precisionLabel(WeightPrecision precision) {
        return precision == WeightPrecision.F32 ? "" : " " + precision.label();
    }

    /** @return a peer run in the JVM as the peers kit's rows are labelled: {@code onnxruntime-1.29.0 2t} */
    private static String peerLabel(Measurement m) {
        return m.kernels() + " " + m.threads() + "t";
    }

    private List<Integer> batches(Predicate<Measurement> which) {
        return measurements.stream().filter(which).map(Measurement::batch).distinct().sorted().toList();
    }

    /** One point per hidden size; repeated rows of one size (there should be none) give their median. */
    private static void addLine(LineChart panel, String name, List<Measurement> rows, ToDoubleFunction<Measurement> y) {
        TreeMap<Integer, List<Double>> byHidden = new TreeMap<>();
        for (Measurement m : rows) {
            byHidden.computeIfAbsent(m.hidden(), h -> new ArrayList<>()).add(y.applyAsDouble(m));
        }
        addPoints(panel, name, byHidden);
    }

    /** One point per hidden size, the median of the peers' repeated passes. */
    private static void addPeerLine(LineChart panel, String name, List<PeerRow> rows, ToDoubleFunction<PeerRow> y) {
        TreeMap<Integer, List<Double>> byHidden = new TreeMap<>();
        for (PeerRow p : rows) {
            byHidden.computeIfAbsent(p.hidden(), h -> new ArrayList<>()).add(y.applyAsDouble(p));
        }
        addPoints(panel, name, byHidden);
    }

    private static void addPoints(LineChart panel, String name, TreeMap<Integer, List<Double>> byHidden) {
        double[] x = new double[byHidden.size()];
        double[] y = new double[byHidden.size()];
        int i = 0;
        for (Map.Entry<Integer, List<Double>> point : byHidden.entrySet()) {
            x[i] = Math.log(point.getKey()) / Math.log(2);
            y[i] = MarkdownReport.median(point.getValue().stream().mapToDouble(Double::doubleValue).toArray());
            i++;
        }
        panel.add(name, x, y);
    }
}
