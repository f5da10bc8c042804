package dev.elman.jmh;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.engine.model.Parameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ONNX Runtime on {@link KernelBenchmark}'s {@code fwd} unit: the very same layer (one tanh layer
 * with bias, {@code I = H}, the weights and inputs {@link SeededLayer} draws for KernelBenchmark),
 * exported to ONNX by the onnx module and run by ORT as one {@code RNN} node ({@link BareRnnGraph})
 * over the whole sequence: {@code X [T, B, I] → Y [T, 1, B, H]}, {@code h0 = 0},
 * {@code T = }{@value KernelBenchmark#SEQUENCE}.
 *
 * <p>Scored as KernelBenchmark scores it: microseconds per timestep
 * ({@code @OperationsPerInvocation(T)}), AverageTime, so the report sets the two side by side at
 * the same {@code threads} (ORT's intra-op threads, the calling thread included; see
 * {@link OrtPeer} for every session option and why). Inputs and outputs are pinned tensors over
 * direct buffers made in {@link #setUp}: a run copies nothing in or out. ORT does not train, so
 * there is no counterpart of KernelBenchmark's {@code train}.
 * <pre>
 *   java -jar jmh/target/benchmarks.jar OrtKernelBenchmark -p batch=1
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OrtKernelBenchmark {
    /** Runs in {@link #setUp} before JMH's warm-up: ORT sizes its arena and packs the weights on the first. */
    static final int SETUP_RUNS = 2;

    /** H, and I = H. */
    @Param({"64", "128", "256", "512", "1024"})
    public int hidden;

    /** B. */
    @Param({"1", "32"})
    public int batch;

    /** ORT's intra-op threads, the benchmark's own included. */
    @Param({"1", "2"})
    public int threads;

    private OrtPeer peer;
    private OnnxTensor x;
    private OnnxTensor h0;
    private OnnxTensor y;
    private FloatBuffer outputs;
    private Map<String, OnnxTensor> runInputs;
    private Map<String, OnnxTensor> runOutputs;

    /**
     * Exports the layer, opens the session, pins the inputs and outputs, and runs the pass twice.
     *
     * @throws OrtException when ORT cannot load or run the model
     */
    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        int steps = KernelBenchmark.SEQUENCE;
        SeededLayer layer = SeededLayer.draw(hidden, batch, steps);
        try (Model model = model(layer, hidden)) {
            peer = OrtPeer.open(model, false, threads);
        }
        String xName = peer.inputNames().getFirst();
        String yName = peer.outputNames().getFirst();
        x = peer.tensor(OrtPeer.directBuffer(layer.inputs()), peer.shape(xName, true, steps, batch, hidden));
        runInputs = new LinkedHashMap<>();
        runInputs.put(xName, x);
        if (peer.inputNames().size() > 1) {
            // h0 = 0, as KernelBenchmark's forward starts from.
            String stateName = peer.inputNames().get(1);
            h0 = peer.tensor(OrtPeer.directBuffer(new float[batch * hidden]), peer.shape(stateName, false, 1, batch, hidden));
            runInputs.put(stateName, h0);
        }
        outputs = OrtPeer.directBuffer(new float[steps * batch * hidden]);
        y = peer.tensor(outputs, peer.shape(yName, true, steps, batch, hidden));
        runOutputs = Map.of(yName, y);
        for (int i = 0; i < SETUP_RUNS; i++) {
            forward();
        }
    }

    /**
     * @param layer the weights
     * @param hidden H = I
     * @return a one-layer tanh model holding them
     */
    static Model model(SeededLayer layer, int hidden) {
        ModelConfig config = ModelConfig.builder().inputSize(hidden).hiddenSize(hidden).build();
        Parameters parameters = Parameters.zeros(config);
        System.arraycopy(layer.inputWeights(), 0, parameters.get(ParameterNames.inputWeights(0, false)).data(), 0,
                layer.inputWeights().length);
        System.arraycopy(layer.recurrentWeights(), 0, parameters.get(ParameterNames.recurrentWeights(0, false)).data(), 0,
                layer.recurrentWeights().length);
        System.arraycopy(layer.bias(), 0, parameters.get(ParameterNames.bias(0, false)).data(), 0, layer.bias().length);
        return Model.withParameters(parameters);
    }

    /**
     * Closes the tensors and the session.
     *
     * @throws OrtException when ORT fails to release them
     */
    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        for (OnnxTensor tensor : new OnnxTensor[] {x, h0, y}) {
            if (tensor != null) {
                tensor.close();
            }
        }
        x = h0 = y = null;
        if (peer != null) {
            peer.close();
            peer = null;
        }
    }

    /**
     * The forward pass over the whole sequence, into the pinned {@code Y}.
     *
     * @return the outputs {@code Y}, for JMH to consume
     * @throws OrtException when the run fails
     */
    @Benchmark
    @OperationsPerInvocation(KernelBenchmark.SEQUENCE)
    public FloatBuffer forward() throws OrtException {
        OrtSession.Result result = peer.session().run(runInputs, runOutputs);
        // The result holds only the pinned output, which it does not own: closing it frees nothing of ours.
        result.close();
        return outputs;
    }
}
