package dev.elman.onnx;

import dev.elman.kernels.RecurrentKernels;
import dev.elman.reference.ReferenceKernels;
import dev.elman.onnx.proto.ModelProto;
import dev.elman.onnx.proto.ValueInfoProto;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One case in ONNX's backend-test layout, as ONNX Runtime's {@code onnx_test_runner} reads it: a
 * folder holding {@code model.onnx} and one or more {@code test_data_set_*} folders of
 * {@code input_N.pb} and {@code output_N.pb} tensors, bound to the graph's inputs (those without an
 * initializer) and outputs in order.
 *
 * <p>{@link #run} evaluates the model on every data set and compares each output with ONNX's
 * tolerance, {@code |actual − expected| ≤ atol + rtol·|expected|} with {@value #RTOL} and
 * {@value #ATOL} (NaN matches NaN), and shapes exactly. The result is one line:
 * {@code PASS <name>: …}, {@code FAIL <name>: <output, worst error>} or
 * {@code UNSUPPORTED <name>: <reason>} for a model that asks for what Elman does not compute.
 */
public final class OnnxTestCase {
    /** ONNX's relative tolerance of backend tests. */
    public static final double RTOL = 1e-3;
    /** ONNX's absolute tolerance of backend tests. */
    public static final double ATOL = 1e-7;

    /** How a case ended. */
    public enum Status {
        /** Every output of every data set is within tolerance. */
        PASS,
        /** An output differs, or the case cannot be read (the line says which and why). */
        FAIL,
        /** The model asks for something Elman does not compute (the line names it). */
        UNSUPPORTED
    }

    /**
     * @param status how the case ended
     * @param line the one line to print, beginning with the status and the case's folder name
     */
    public record Result(Status status, String line) {
    }

    private OnnxTestCase() {
    }

    /**
     * Runs one case on the reference kernels. A conformance check compares with ONNX's absolute
     * tolerance of 1e-7, finer than a fast tanh's error (about 4e-7): the reference sums every
     * pre-activation in double and rounds each state once, the float32 result closest to the
     * operator's definition, and backend cases are small enough that its speed does not matter.
     *
     * @param folder the case's folder
     * @return its result; a case that cannot be read is a FAIL, never an exception
     */
    public static Result run(Path folder) {
        return run(folder, new ReferenceKernels());
    }

    /**
     * Runs one case.
     *
     * @param folder the case's folder
     * @param kernels the implementation to compute with
     * @return its result; a case that cannot be read is a FAIL, never an exception
     */
    public static Result run(Path folder, RecurrentKernels kernels) {
        String name = folder.getFileName() == null ? folder.toString() : folder.getFileName().toString();
        try {
            return new Result(Status.PASS, "PASS " + name + ": " + evaluate(folder, kernels));
        } catch (UnsupportedOnnxException e) {
            return new Result(Status.UNSUPPORTED, "UNSUPPORTED " + name + ": " + oneLine(e.getMessage()));
        } catch (Mismatch e) {
            return new Result(Status.FAIL, "FAIL " + name + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof java.nio.file.NoSuchFileException) {
                message = "no such file: " + message;
            }
            return new Result(Status.FAIL, "FAIL " + name + ": " + oneLine(message));
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ');
    }

    /** An output outside the tolerance (or of the wrong shape); the message names it and the worst error. */
    private static final class Mismatch extends Exception {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message);
        }
    }

    private static String evaluate(Path folder, RecurrentKernels kernels) throws IOException, Mismatch {
        if (!Files.isDirectory(folder)) {
            throw new OnnxException(folder + " is not a folder");
        }
        Path modelFile = folder.resolve("model.onnx");
        if (!Files.isRegularFile(modelFile)) {
            throw new OnnxException("no model.onnx in " + folder);
        }
        ModelProto proto = OnnxFiles.readModel(modelFile);
        GraphEvaluator graph = GraphEvaluator.load(proto, modelFile, kernels);
        List<Path> sets = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "test_data_set_*")) {
            for (Path p : entries) {
                if (Files.isDirectory(p)) {
                    sets.add(p);
                }
            }
        }
        if (sets.isEmpty()) {
            throw new OnnxException("no test_data_set_* folder in " + folder);
        }
        sets.sort(null);
        double worst = 0;
        int compared = 0;
        for (Path set : sets) {
            TensorCodec.Budget budget = new TensorCodec.Budget();
            List<Named> inputs = tensors(set, "input_", budget);
            List<Named> expected = tensors(set, "output_", budget);
            List<String> inputNames = graph.inputs().stream().map(ValueInfoProto::getName).toList();
            List<String> allInputs = graph.graph().getInputList().stream().map(ValueInfoProto::getName).toList();
            // Bound by the tensors' own names when every one names a graph input (overriding an
            // initializer too), else in order to the inputs without initializers, as ONNX's runners do.
            Map<String, GraphTensor> fed = new HashMap<>();
            if (!inputs.isEmpty() && inputs.stream().allMatch(n -> allInputs.contains(n.name()))) {
                inputs.forEach(n -> fed.put(n.name(), n.tensor()));
            } else {
                if (inputs.size() != inputNames.size()) {
                    throw new OnnxException(set.getFileName() + " holds " + inputs.size() + " inputs; the graph takes "
                            + inputNames.size());
                }
                for (int i = 0; i < inputs.size(); i++) {
                    fed.put(inputNames.get(i), inputs.get(i).tensor());
                }
            }
            if (expected.isEmpty() || expected.size() > graph.outputs().size()) {
                throw new OnnxException(set.getFileName() + " holds " + expected.size() + " outputs; the graph has "
                        + graph.outputs().size());
            }
            Map<String, GraphTensor> produced = graph.run(fed);
            boolean byName = expected.stream().allMatch(n -> produced.containsKey(n.name()));
            for (int k = 0; k < expected.size(); k++) {
                String name = byName ? expected.get(k).name() : graph.outputs().get(k);
                worst = Math.max(worst, compare(name, graph.outputs().indexOf(name), expected.get(k).tensor(),
                        produced.get(name), sets.size() > 1 ? " in " + set.getFileName() : ""));
                compared++;
            }
        }
        return String.format(Locale.ROOT, "%d output%s in %d data set%s, worst |error| %.3g", compared,
                compared == 1 ? "" : "s", sets.size(), sets.size() == 1 ? "" : "s", worst);
    }

    /** A tensor file's contents and the name it carries (empty when none). */
    private record Named(String name, GraphTensor tensor) {
    }

    /** input_0.pb, input_1.pb, … in order, until the first missing number. */
    private static List<Named> tensors(Path set, String prefix, TensorCodec.Budget budget) throws IOException {
        List<Named> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            Path file = set.resolve(prefix + i + ".pb");
            if (!Files.isRegularFile(file)) {
                return out;
            }
            String where = set.getFileName() + "/" + file.getFileName();
            var proto = OnnxFiles.readTensor(file);
            out.add(new Named(proto.getName(), TensorCodec.decode(proto, null, where, budget)));
        }
    }

    /** @return the largest absolute difference; throws when an element is outside the tolerance */
    private static double compare(String name, int index, GraphTensor expected, GraphTensor actual, String where)
            throws Mismatch {
        String output = "output '" + name + "' (#" + index + ")" + where;
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new Mismatch(output + ": shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
        }
        double worstExcess = 0;
        int worstAt = -1;
        double largest = 0;
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.get(i);
            double a = actual.get(i);
            if (Double.isNaN(e) && Double.isNaN(a)) {
                continue;
            }
            double diff = Math.abs(a - e);
            double bound = ATOL + RTOL * Math.abs(e);
            if (Double.isNaN(diff) || (e != a && diff > bound)) {
                double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / bound;
                if (worstAt < 0 || excess > worstExcess) {
                    worstExcess = excess;
                    worstAt = i;
                }
            }
            if (!Double.isNaN(diff) && e != a) {
                largest = Math.max(largest, diff);
            }
        }
        if (worstAt >= 0) {
            double e = expected.get(worstAt);
            double a = actual.get(worstAt);
            throw new Mismatch(String.format(Locale.ROOT, "%s: worst error %.3g at %s (expected %.9g, got %.9g;"
                    + " rtol %.0e, atol %.0e)", output, Math.abs(a - e), Arrays.toString(index(worstAt, expected.shape())),
                    e, a, RTOL, ATOL));
        }
        return largest;
    }

    private static int[] index(int flat, int[] shape) {
        int[] out = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            out[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return out;
    }
}
