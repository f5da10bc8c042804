package dev.elman.jmh;

import ai.onnxruntime.OrtEnvironment;
import dev.elman.engine.model.ForwardResult;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.model.StreamingSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ONNX Runtime's benchmarks set up, run and compute Elman's numbers: a session opens on the
 * exported model with its native library loaded, the streaming unit's pinned state is fed back step
 * after step, and the fwd unit's pinned output is the whole sequence. Small sizes, a fraction of a
 * second.
 *
 * <p>The bound, {@value #BOUND}, is for wiring, not arithmetic: wrong weights, a state not fed back,
 * the wrong input or a transposed output make differences of order 0.1, while two float32 passes of
 * this contracting layer (weights ±1/√H) agree to about 1e-6. How closely ORT and Elman agree is
 * the onnx module's oracle tests' subject, under the project's tolerance rule.
 */
class OrtPeerTest {
    private static final double BOUND = 1e-4;
    private static final int HIDDEN = 32;

    @Test
    void theRuntimeIsTheVersionTheReportNames() {
        assertEquals(OrtPeer.VERSION, OrtEnvironment.getEnvironment().getVersion());
        assertEquals("onnxruntime-" + OrtPeer.VERSION, OrtPeer.SYSTEM);
    }

    /** More steps than inputs and both state buffers in turn: the stream as StreamingBenchmark steps it. */
    @ParameterizedTest(name = "threads = {0}")
    @ValueSource(ints = {1, 2})
    void aStreamingStepIsElmansStep(int threads) throws Exception {
        OrtStreamingBenchmark ort = new OrtStreamingBenchmark();
        ort.hidden = HIDDEN;
        ort.threads = threads;
        ort.setUp();
        ModelConfig config = ModelConfig.builder().inputSize(HIDDEN).hiddenSize(HIDDEN).build();
        try (Model model = Model.create(config, Initialization.uniform(), StreamingBenchmark.SEED)) {
            StreamingSession session = model.newSession();
            float[] inputs = StreamingBenchmark.inputs(HIDDEN);
            for (int t = 0; t < 3 * StreamingBenchmark.INPUTS; t++) {
                FloatBuffer state = ort.step();
                float[] expected = session.step(inputs, (t % StreamingBenchmark.INPUTS) * HIDDEN);
                assertEquals(HIDDEN, state.capacity());
                for (int i = 0; i < HIDDEN; i++) {
                    float actual = state.get(i);
                    int step = t;
                    int unit = i;
                    assertTrue(Math.abs(actual - expected[i]) <= BOUND, () -> "step " + step + ", unit " + unit + ": ORT "
                            + actual + ", Elman " + expected[unit]);
                }
            }
        } finally {
            ort.tearDown();
        }
    }

    @ParameterizedTest(name = "threads = {0}")
    @ValueSource(ints = {1, 2})
    void theForwardUnitIsElmansForward(int threads) throws Exception {
        int batch = 3;
        OrtKernelBenchmark ort = new OrtKernelBenchmark();
        ort.hidden = HIDDEN;
        ort.batch = batch;
        ort.threads = threads;
        ort.setUp();
        SeededLayer layer = SeededLayer.draw(HIDDEN, batch, KernelBenchmark.SEQUENCE);
        try (Model model = OrtKernelBenchmark.model(layer, HIDDEN)) {
            FloatBuffer y = ort.forward();
            ForwardResult expected = model.forward(new SequenceBatch(layer.inputs(), KernelBenchmark.SEQUENCE, batch, HIDDEN));
            assertEquals(expected.output().length, y.capacity(), "Y holds [T, B, H]");
            for (int i = 0; i < expected.output().length; i++) {
                float actual = y.get(i);
                int at = i;
                assertTrue(Math.abs(actual - expected.output()[i]) <= BOUND, () -> "Y[" + at + "]: ORT " + actual + ", Elman "
                        + expected.output()[at]);
            }
        } finally {
            ort.tearDown();
        }
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        ModelConfig config = ModelConfig.builder().inputSize(4).hiddenSize(4).build();
        try (Model model = Model.create(config, Initialization.uniform(), 1)) {
            IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
                    () -> OrtPeer.open(model, false, 0));
            assertTrue(threads.getMessage().contains("threads"), threads.getMessage());
            try (OrtPeer peer = OrtPeer.open(model, true, 1)) {
                IllegalStateException missing = assertThrows(IllegalStateException.class,
                        () -> peer.shape("nothing", true, 1, 1, 4));
                assertTrue(missing.getMessage().contains("'nothing'"), missing.getMessage());
                String x = peer.inputNames().getFirst();
                // X is [sequence, batch, 4]: a feature size of 5 does not fit.
                IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> peer.shape(x, true, 1, 1, 5));
                assertTrue(wrong.getMessage().contains("'" + x + "'") && wrong.getMessage().contains("F = 5"),
                        wrong.getMessage());
                IllegalArgumentException heap = assertThrows(IllegalArgumentException.class,
                        () -> peer.tensor(FloatBuffer.allocate(4), 1, 1, 4));
                assertTrue(heap.getMessage().contains("direct"), heap.getMessage());
                IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                        () -> peer.tensor(OrtPeer.directBuffer(new float[3]), 1, 1, 4));
                assertTrue(size.getMessage().contains("[1, 1, 4]"), size.getMessage());
            }
        }
    }
}
