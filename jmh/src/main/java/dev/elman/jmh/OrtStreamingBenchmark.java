package dev.elman.jmh;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * ONNX Runtime on {@link StreamingBenchmark}'s unit: one streaming step of a single stream
 * (B = 1), the state carried from step to step. The model is StreamingBenchmark's (one tanh layer,
 * {@code I = H}, no head, the same seed and initialisation), exported to ONNX by the onnx module;
 * each step is one ORT run of its {@code RNN} node alone ({@link BareRnnGraph}) with {@code T = 1}:
 * {@code X [1, 1, I]} and {@code initial_h} in, {@code Y_h} out, and {@code Y_h} of one run is
 * {@code initial_h} of the next. The steps cycle through the same
 * {@value StreamingBenchmark#INPUTS} input vectors as StreamingBenchmark's.
 *
 * <p>Every tensor is pinned (a direct buffer made once): the inputs, and two state buffers used in
 * turn — a run reads the state from one and ORT writes the new state into the other as its pinned
 * output — so the state is fed back without a copy and no run reads and writes the same buffer.
 * Scored as StreamingBenchmark is: single steps timed (SampleTime), the report gives the median
 * and p99 in microseconds. Session options: {@link OrtPeer}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class OrtStreamingBenchmark {
    /** Steps run in {@link #setUp} before JMH's warm-up: ORT sizes its arena and packs the weights on the first. */
    static final int SETUP_STEPS = 100;

    /** H, and I = H. */
    @Param({"64", "256", "1024"})
    public int hidden;

    /** ORT's intra-op threads, the benchmark's own included. */
    @Param({"1", "2"})
    public int threads;

    private OrtPeer peer;
    private OnnxTensor[] inputs;
    private OnnxTensor[] states;
    private FloatBuffer[] stateBuffers;
    /** {@code runs[s][k]}: input {@code k} with the state read from buffer {@code s}, written into the other. */
    private Run[][] runs;
    private int next;
    private int current;

    /**
     * Builds StreamingBenchmark's model, exports it, opens the session, pins every tensor and runs
     * {@value #SETUP_STEPS} steps.
     *
     * @throws OrtException when ORT cannot load or run the model
     */
    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        ModelConfig config = ModelConfig.builder().inputSize(hidden).hiddenSize(hidden).build();
        try (Model model = Model.create(config, Initialization.uniform(), StreamingBenchmark.SEED)) {
            peer = OrtPeer.open(model, true, threads);
        }
        if (peer.inputNames().size() < 2 || peer.outputNames().size() < 2) {
            throw new IllegalStateException("the exported model needs an initial-state input and a final-state output"
                    + " for the streaming step; it has inputs " + peer.inputNames() + " and outputs " + peer.outputNames());
        }
        String xName = peer.inputNames().get(0);
        String stateIn = peer.inputNames().get(1);
        String stateOut = peer.outputNames().get(1);
        long[] xShape = peer.shape(xName, true, 1, 1, hidden);
        long[] stateShape = peer.shape(stateIn, false, 1, 1, hidden);
        if (!Arrays.equals(stateShape, peer.shape(stateOut, false, 1, 1, hidden))) {
            throw new IllegalStateException("the exported model's state input '" + stateIn + "' and output '" + stateOut
                    + "' differ in rank; the step feeds one into the other");
        }
        float[] values = StreamingBenchmark.inputs(hidden);
        int count = StreamingBenchmark.INPUTS;
        inputs = new OnnxTensor[count];
        for (int k = 0; k < count; k++) {
            inputs[k] = peer.tensor(OrtPeer.directBuffer(Arrays.copyOfRange(values, k * hidden, (k + 1) * hidden)), xShape);
        }
        stateBuffers = new FloatBuffer[2];
        states = new OnnxTensor[2];
        for (int s = 0; s < 2; s++) {
            stateBuffers[s] = OrtPeer.directBuffer(new float[hidden]);
            states[s] = peer.tensor(stateBuffers[s], stateShape);
        }
        runs = new Run[2][count];
        for (int s = 0; s < 2; s++) {
            Map<String, OnnxTensor> output = Map.of(stateOut, states[1 - s]);
            for (int k = 0; k < count; k++) {
                runs[s][k] = new Run(Map.of(xName, inputs[k], stateIn, states[s]), output);
            }
        }
        for (int i = 0; i < SETUP_STEPS; i++) {
            step();
        }
        reset();
    }

    /** Starts the stream again: state zero, the first input next. */
    void reset() {
        for (FloatBuffer buffer : stateBuffers) {
            buffer.clear();
            buffer.put(new float[hidden]);
            buffer.clear();
        }
        current = 0;
        next = 0;
    }

    /**
     * Closes the tensors and the session.
     *
     * @throws OrtException when ORT fails to release them
     */
    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        for (OnnxTensor[] tensors : new OnnxTensor[][] {inputs, states}) {
            for (OnnxTensor tensor : tensors == null ? new OnnxTensor[0] : tensors) {
                tensor.close();
            }
        }
        inputs = states = null;
        if (peer != null) {
            peer.close();
            peer = null;
        }
    }

    /**
     * One step of the stream.
     *
     * @return the new state {@code Y_h}, for JMH to consume
     * @throws OrtException when the run fails
     */
    @Benchmark
    public FloatBuffer step() throws OrtException {
        Run run = runs[current][next];
        OrtSession.Result result = peer.session().run(run.inputs(), run.outputs());
        // The result holds only the pinned output, which it does not own: closing it frees nothing of ours.
        result.close();
        current = 1 - current;
        next = (next + 1) % StreamingBenchmark.INPUTS;
        return stateBuffers[current];
    }

    /** One step's tensors: the input and the state it reads, and the pinned state it writes. */
    private record Run(Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> outputs) {
    }
}
