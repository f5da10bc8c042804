package dev.elman.simd;

import dev.elman.kernels.Activation;
import dev.elman.kernels.HeadGradients;
import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Team;
import dev.elman.kernels.WeightPrecision;
import dev.elman.kernels.Workspace;
import dev.elman.kernels.WorkspacePurpose;
import dev.elman.reference.ReferenceKernels;
import dev.elman.testing.Trials;
import dev.elman.testing.Uniform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A workspace made for {@link WorkspacePurpose#INFERENCE}: forward passes with it give the states
 * a training workspace gives, bit for bit, for every implementation, precision and team; backward
 * passes refuse it by name and write nothing; and the SIMD one holds none of the backward room.
 */
class InferenceWorkspaceTest {
    private static final List<RecurrentKernels> IMPLEMENTATIONS = List.of(new ReferenceKernels(), new VectorKernels());

    static Stream<ThreadCountTest.Shape> shapes() {
        return ThreadCountTest.shapes().limit(Math.max(1, Trials.tries(60) / 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void forwardGivesTheTrainingWorkspaceStates(ThreadCountTest.Shape shape) {
        for (RecurrentKernels kernels : IMPLEMENTATIONS) {
            for (WeightPrecision precision : WeightPrecision.values()) {
                for (int threads = 1; threads <= 3; threads += 2) {
                    Team team = threads == 1 ? Team.SOLO : new ThreadTeamForTests(threads);
                    String at = shape + ", " + kernels.name() + ", " + precision.label() + ", " + threads
                            + " threads: h";
                    assertArrayEquals(forward(kernels, shape, team, precision, WorkspacePurpose.TRAINING),
                            forward(kernels, shape, team, precision, WorkspacePurpose.INFERENCE), at);
                }
            }
        }
    }

    @Test
    void backwardRefusesAnInferenceWorkspaceAndWritesNothing() {
        for (RecurrentKernels kernels : IMPLEMENTATIONS) {
            int steps = 5;
            int batch = 3;
            int input = 4;
            int hidden = 6;
            Random random = new Random(11);
            RecurrentWeights weights = kernels.newRecurrentWeights(input, hidden, Activation.TANH, 0f, true);
            weights.load(Uniform.floats(random, hidden * input, 0.5), Uniform.floats(random, hidden * hidden, 0.4),
                    Uniform.floats(random, hidden, 0.5));
            float[] x = Uniform.floats(random, steps * batch * input, 1.0);
            Workspace workspace = kernels.newWorkspace(input, hidden, steps, batch, Team.SOLO,
                    WorkspacePurpose.INFERENCE);
            assertEquals(WorkspacePurpose.INFERENCE, workspace.purpose());
            float[] h = new float[steps * batch * hidden];
            kernels.forward(weights, workspace, steps, batch, false, x, 0, null, h, 0, null);
            RecurrentGradients gradients = new RecurrentGradients(input, hidden, true);
            float[] dh = Uniform.floats(random, h.length, 1.0);
            float[] dx = new float[x.length];
            float[] dh0 = new float[batch * hidden];
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> kernels.backward(weights, workspace, steps, batch, false, x, 0, null, h, 0, null, dh, 0,
                            null, gradients, dx, 0, dh0));
            assertTrue(refused.getMessage().startsWith("workspace: made for INFERENCE"), refused.getMessage());
            assertTrue(refused.getMessage().contains("WorkspacePurpose.TRAINING"), refused.getMessage());
            assertArrayEquals(new float[hidden * input], gradients.dWx(), kernels.name() + ": dWx written");
            assertArrayEquals(new float[hidden * hidden], gradients.dWh(), kernels.name() + ": dWh written");
            assertArrayEquals(new float[hidden], gradients.db(), kernels.name() + ": db written");
            assertArrayEquals(new float[x.length], dx, kernels.name() + ": dx written");
            assertArrayEquals(new float[dh0.length], dh0, kernels.name() + ": dh0 written");

            HeadWeights head = kernels.newHeadWeights(hidden, 2, true);
            head.load(Uniform.floats(random, 2 * hidden, 0.5), Uniform.floats(random, 2, 0.5));
            int rows = steps * batch;
            float[] y = new float[rows * 2];
            kernels.headForward(head, workspace, rows, h, 0, y, 0);
            HeadGradients headGradients = HeadGradients.of(head);
            float[] dhHead = new float[h.length];
            IllegalArgumentException headRefused = assertThrows(IllegalArgumentException.class,
                    () -> kernels.headBackward(head, workspace, rows, h, 0, y, 0, headGradients, dhHead, 0));
            assertTrue(headRefused.getMessage().contains("headBackward"), headRefused.getMessage());
            assertArrayEquals(new float[2 * hidden], headGradients.dW(), kernels.name() + ": dWy written");
            assertArrayEquals(new float[h.length], dhHead, kernels.name() + ": dh written");
        }
    }

    @Test
    void aNullPurposeIsRefused() {
        for (RecurrentKernels kernels : IMPLEMENTATIONS) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> kernels.newWorkspace(4, 4, 2, 2, Team.SOLO, null));
            assertTrue(refused.getMessage().contains("purpose"), refused.getMessage());
        }
    }

    /**
     * The SIMD inference workspace of a single stream of H = 1024 holds no {@code dL/dz}, no
     * weight gradient's product (four MiB in a training one) and no blocks; a stream group's holds
     * one widened block per participant.
     */
    @Test
    void theSimdInferenceWorkspaceHoldsNoBackwardRoom() {
        RecurrentKernels kernels = new VectorKernels();
        SpanWorkspace training = (SpanWorkspace) kernels.newWorkspace(1024, 1024, 1, 1, Team.SOLO,
                WorkspacePurpose.TRAINING);
        assertEquals(1024 * 1024, training.product.length);
        SpanWorkspace stream = (SpanWorkspace) kernels.newWorkspace(1024, 1024, 1, 1, Team.SOLO,
                WorkspacePurpose.INFERENCE);
        assertEquals(0, stream.dz.length + stream.carry.length + stream.carryNext.length + stream.product.length
                + stream.blocks.length);
        int rows = 64;
        assertTrue(NarrowGemm.needsScratch(rows));
        SpanWorkspace group = (SpanWorkspace) kernels.newWorkspace(1024, 1024, 1, rows, new ThreadTeamForTests(3),
                WorkspacePurpose.INFERENCE);
        assertEquals(0, group.dz.length + group.product.length);
        assertEquals(NarrowGemm.BLOCK_FLOATS, group.blockFloats);
        assertEquals(3 * NarrowGemm.BLOCK_FLOATS, group.blocks.length);
        SpanWorkspace groupTraining = (SpanWorkspace) kernels.newWorkspace(1024, 1024, 1, rows,
                new ThreadTeamForTests(3), WorkspacePurpose.TRAINING);
        assertEquals(3 * Gemm.PANEL_FLOATS, groupTraining.blocks.length);
    }

    private static float[] forward(RecurrentKernels kernels, ThreadCountTest.Shape s, Team team,
                                   WeightPrecision precision, WorkspacePurpose purpose) {
        Random random = new Random(s.seed() ^ 0x5DEECE66DL);
        int stateCount = s.batch() * s.hiddenSize();
        RecurrentWeights weights = kernels.newRecurrentWeights(s.inputSize(), s.hiddenSize(), s.activation(),
                s.clip(), s.bias(), precision);
        weights.load(Uniform.floats(random, s.hiddenSize() * s.inputSize(), 1.0 / Math.sqrt(s.inputSize())),
                Uniform.floats(random, s.hiddenSize() * s.hiddenSize(), 1.2 / Math.sqrt(s.hiddenSize())),
                s.bias() ? Uniform.floats(random, s.hiddenSize(), 0.5) : null);
        float[] x = Uniform.floats(random, s.steps() * s.batch() * s.inputSize(), 1.0);
        float[] h0 = s.withH0() ? Uniform.floats(random, stateCount, 0.9) : null;
        int[] lengths = null;
        if (s.padded()) {
            lengths = new int[s.batch()];
            for (int n = 0; n < s.batch(); n++) {
                lengths[n] = random.nextInt(s.steps() + 1);
            }
        }
        float[] h = new float[s.steps() * stateCount];
        Workspace workspace = kernels.newWorkspace(s.inputSize(), s.hiddenSize(), s.steps(), s.batch(), team,
                purpose);
        kernels.forward(weights, workspace, s.steps(), s.batch(), s.reverse(), x, 0, h0, h, 0, lengths);
        return h;
    }
}
