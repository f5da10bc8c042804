package dev.elman.jmh;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.elman.engine.model.Model;
import dev.elman.onnx.OnnxModels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime as the benchmarks run it: one session over an Elman model exported to ONNX by the
 * onnx module (reduced to its one RNN node, {@link BareRnnGraph}), configured the fastest way ONNX
 * Runtime's threading and performance documentation describes for one request at a time on the
 * CPU, and the pinned (direct, native-order) tensors its Java API computes in place.
 *
 * <p>Session options, and why:
 * <ul>
 *   <li><b>intra-op threads = the benchmark's {@code threads}</b>, so that ORT shares each operator
 *       over as many threads as Elman's team has, the calling thread included: at 1 ORT runs
 *       everything on the caller and starts no pool.</li>
 *   <li><b>inter-op threads = 1, sequential execution</b>: the graph is one node, so there is
 *       nothing to run side by side; the documentation recommends parallel execution only for
 *       graphs with many branches.</li>
 *   <li><b>graph optimization level ALL</b> (the documented default for speed): every
 *       optimisation ORT has, applied once when the session opens (on one node there is little to
 *       do, and nothing is left to pay per run).</li>
 *   <li><b>intra-op spinning on</b> ({@code session.intra_op.allow_spinning = 1}, ORT's default,
 *       set explicitly): idle pool threads spin for the next piece of work instead of sleeping,
 *       which the documentation names as the setting for latency, at the cost of CPU time; Elman's
 *       team spins briefly too before it parks.</li>
 *   <li><b>CPU arena allocator and memory patterns on</b> (defaults, set explicitly): ORT's
 *       intermediate buffers come from a pool reused run after run.</li>
 * </ul>
 * Inputs and outputs are {@link OnnxTensor}s over direct buffers made once, and the outputs are
 * passed to {@link OrtSession#run(Map, Map)} as pinned outputs, so ORT writes into them and
 * allocates no output tensors; what remains per run is the Java API's own small bookkeeping (the
 * name and handle arrays and the {@link OrtSession.Result}).
 *
 * <p>ORT's RNN operator does not train: there is no ORT counterpart of the {@code train} unit.
 */
public final class OrtPeer implements AutoCloseable {
    /** The ONNX Runtime version the benchmarks are built with (the jmh module's dependency). */
    public static final String VERSION = "1.29.0";
    /** How reports name this peer, as the peers kit names its systems ({@code onednn-2.6.3}). */
    public static final String SYSTEM = "onnxruntime-" + VERSION;

    private final OrtEnvironment environment;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final List<String> inputNames;
    private final List<String> outputNames;

    /**
     * Exports a model with the onnx module's exporter ({@link OnnxModels#toBytes(Model, boolean)}),
     * reduces the graph to its one RNN node ({@link BareRnnGraph}) and opens a session on it.
     *
     * @param model a one-layer, single-direction Elman model without head (its parameters are
     *     exported as they are now)
     * @param initialStateInput whether the graph takes the initial state as its second input (the
     *     streaming step's {@code initial_h}); without it the state starts at zero
     * @param threads ORT's intra-op threads, the calling thread included, at least 1
     * @return the session
     * @throws OrtException when ORT cannot load the model
     * @throws IllegalArgumentException when {@code threads} is below 1
     */
    public static OrtPeer open(Model model, boolean initialStateInput, int threads) throws OrtException {
        return new OrtPeer(BareRnnGraph.of(OnnxModels.toBytes(model, initialStateInput)), threads);
    }

    /**
     * @param onnx an ONNX model's bytes
     * @param threads ORT's intra-op threads, the calling thread included, at least 1
     * @throws OrtException when ORT cannot load the model
     * @throws IllegalArgumentException when {@code threads} is below 1
     */
    public OrtPeer(byte[] onnx, int threads) throws OrtException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "elman-bench");
        options = new OrtSession.SessionOptions();
        OrtSession opened = null;
        try {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.addConfigEntry("session.intra_op.allow_spinning", "1");
            options.setCPUArenaAllocator(true);
            options.setMemoryPatternOptimization(true);
            opened = environment.createSession(onnx, options);
            inputNames = List.copyOf(opened.getInputInfo().keySet());
            outputNames = List.copyOf(opened.getOutputInfo().keySet());
        } catch (OrtException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            options.close();
            throw e;
        }
        session = opened;
    }

    /** @return the session */
    public OrtSession session() {
        return session;
    }

    /** @return the environment tensors are made in */
    public OrtEnvironment environment() {
        return environment;
    }

    /** @return the graph's input names, in the model's order */
    public List<String> inputNames() {
        return inputNames;
    }

    /** @return the graph's output names, in the model's order */
    public List<String> outputNames() {
        return outputNames;
    }

    /**
     * The shape an input or output has for given sizes, from its declared rank: the sequence
     * {@code X} is {@code [T, B, I]}; {@code Y} is {@code [T, 1, B, H]} as the RNN operator writes it
     * or {@code [T, B, H]} with the direction axis squeezed; a state ({@code initial_h},
     * {@code Y_h}) is {@code [1, B, H]}, or {@code [B, H]} squeezed.
     *
     * @param name an input or output of the graph
     * @param sequence whether it is a sequence ({@code X}, {@code Y}) rather than a state
     * @param steps T
     * @param batch B
     * @param features I for {@code X}, else H
     * @return the shape
     * @throws OrtException when ORT cannot describe the value
     * @throws IllegalStateException when the value is not a float tensor of a rank that fits, or a
     *     fixed dimension it declares differs from the sizes given
     */
    public long[] shape(String name, boolean sequence, int steps, int batch, int features) throws OrtException {
        NodeInfo node = session.getInputInfo().containsKey(name) ? session.getInputInfo().get(name)
                : session.getOutputInfo().get(name);
        if (node == null || !(node.getInfo() instanceof TensorInfo tensor)) {
            throw new IllegalStateException("the exported model has no tensor named '" + name + "'; inputs "
                    + inputNames + ", outputs " + outputNames);
        }
        long[] declared = tensor.getShape();
        long[] shape;
        if (sequence) {
            shape = switch (declared.length) {
                case 4 -> new long[] {steps, 1, batch, features};
                case 3 -> new long[] {steps, batch, features};
                default -> null;
            };
        } else {
            shape = switch (declared.length) {
                case 3 -> new long[] {1, batch, features};
                case 2 -> new long[] {batch, features};
                default -> null;
            };
        }
        boolean fits = shape != null && tensor.type == OnnxJavaType.FLOAT;
        for (int axis = 0; fits && axis < declared.length; axis++) {
            fits = declared[axis] < 0 || declared[axis] == shape[axis];
        }
        if (!fits) {
            throw new IllegalStateException("the exported model's '" + name + "' is " + tensor.type + " "
                    + Arrays.toString(declared) + "; expected float32 " + (sequence ? "[T, B, F] or [T, 1, B, F]"
                    : "[1, B, H] or [B, H]") + " for T = " + steps + ", B = " + batch + ", F = " + features);
        }
        return shape;
    }

    /**
     * A pinned tensor: ORT reads or writes the buffer in place.
     *
     * @param values a direct buffer in native order, as {@link #directBuffer} makes
     * @param shape the tensor's shape; its element count must be the buffer's capacity
     * @return the tensor over the buffer
     * @throws OrtException when ORT cannot make it
     * @throws IllegalArgumentException when the buffer is not direct or the shape does not fit it
     */
    public OnnxTensor tensor(FloatBuffer values, long... shape) throws OrtException {
        if (!values.isDirect()) {
            throw new IllegalArgumentException("a pinned tensor needs a direct buffer");
        }
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        if (count != values.capacity()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                    + " values, the buffer " + values.capacity());
        }
        return OnnxTensor.createTensor(environment, values, shape);
    }

    /**
     * @param values the initial values, copied
     * @return a direct, native-order buffer holding them, positioned at 0
     */
    public static FloatBuffer directBuffer(float[] values) {
        FloatBuffer buffer = ByteBuffer.allocateDirect(Math.multiplyExact(values.length, Float.BYTES))
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        buffer.put(values).flip();
        return buffer;
    }

    /** Closes the session and its options (the environment is ORT's process-wide one and stays). */
    @Override
    public void close() throws OrtException {
        try {
            session.close();
        } finally {
            options.close();
        }
    }
}
