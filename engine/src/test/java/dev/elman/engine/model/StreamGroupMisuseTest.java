package dev.elman.engine.model;

import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.kernels.Activation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every misuse of a stream group is refused with a message naming what is wrong, and a refused
 * call changes nothing: no stream's state or step count, not the caller's outputs.
 */
class StreamGroupMisuseTest {
    private Model model;
    private StreamGroup group;
    private int a;
    private int b;

    @BeforeEach
    void setUp() {
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(3).layers(2).outputSize(2).build();
        model = Model.create(config, Initialization.uniform(), 1, KernelsUnderTest.reference());
        group = model.newStreamGroup(3);
        a = group.join();
        b = group.join();
        group.step(new int[] {a, b}, 2, new float[] {0.5f, -0.5f, 0.25f, 1f}, new float[4]);
    }

    @Test
    void aBidirectionalOrReverseModelHasNoGroups() {
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(3).bidirectional(true).build();
        Model bi = Model.create(config, Initialization.uniform(), 1, KernelsUnderTest.reference());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bi.newStreamGroup(4));
        assertTrue(e.getMessage().startsWith("a stream group needs a unidirectional model"), e.getMessage());
        ModelConfig reverse = ModelConfig.builder().inputSize(2).hiddenSize(3).direction(Direction.REVERSE).build();
        Model backwards = Model.create(reverse, Initialization.uniform(), 1, KernelsUnderTest.reference());
        e = assertThrows(IllegalArgumentException.class, () -> backwards.newStreamGroup(4));
        assertEquals("a stream group needs a forward model: a reverse one reads the sequence from its end",
                e.getMessage());
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.newStreamGroup(0));
        assertEquals("capacity must be at least 1 stream, got 0", e.getMessage());
    }

    @Test
    void aFullGroupNamesItsCapacity() {
        group.join();
        IllegalStateException e = assertThrows(IllegalStateException.class, group::join);
        assertEquals("the group is full: all 3 streams of its capacity are members; a stream must leave before"
                + " another can join", e.getMessage());
        assertEquals(3, group.size());
    }

    @Test
    void aStepListingANonMemberChangesNothing() {
        int gone = group.join();
        group.leave(gone);
        refusedStep("streams[1] = " + gone + " is not a member of this group (it left, or never joined)",
                new int[] {a, gone}, 2, new float[4], new float[4]);
        refusedStep("streams[0] = 7 is not a member of this group (handles are 0 … 2, the group's capacity − 1)",
                new int[] {7}, 1, new float[2], new float[2]);
        refusedStep("streams[0] = -1 is not a member of this group (handles are 0 … 2, the group's capacity − 1)",
                new int[] {-1, a}, 2, new float[4], new float[4]);
    }

    @Test
    void aStreamListedTwiceChangesNothing() {
        refusedStep("streams[2] = " + a + " is listed twice (also at streams[0]): a step steps each stream once",
                new int[] {a, b, a}, 3, new float[6], new float[6]);
    }

    @Test
    void wrongLengthsAreNamed() {
        refusedStep("count must be in 0 … 2 (streams.length), got 3", new int[] {a, b}, 3, new float[6], new float[6]);
        refusedStep("count must be in 0 … 2 (streams.length), got -1", new int[] {a, b}, -1, new float[6],
                new float[6]);
        refusedStep("inputs: expected at least 4 floats (count × inputSize = 2 × 2), got length 3",
                new int[] {a, b}, 2, new float[3], new float[4]);
        refusedStep("outputs: expected at least 4 floats (count × outputWidth = 2 × 2), got length 2",
                new int[] {a, b}, 2, new float[4], new float[2]);
        refusedStep("inputs: expected at least 2 floats (count × inputSize = 1 × 2), got null", new int[] {a}, 1, null,
                new float[2]);
        refusedStep("streams must not be null", null, 0, new float[0], new float[0]);
    }

    @Test
    void aNonFiniteInputChangesNothing() {
        refusedStep("inputs[3] is NaN (feature 1 of streams[1] = " + a + "): inputs must be finite",
                new int[] {b, a}, 2, new float[] {1, 2, 3, Float.NaN}, new float[4]);
        refusedStep("inputs[0] is Infinity (feature 0 of streams[0] = " + b + "): inputs must be finite",
                new int[] {b}, 1, new float[] {Float.POSITIVE_INFINITY, 0}, new float[2]);
    }

    @Test
    void aStepThatWouldLeaveFloatRangeChangesNothing() {
        // relu, Wh = I, Wx = 1, b = 0: h_t = max(0, h_{t−1} + x_t), so 3e38 twice is beyond float32.
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(2).activation(Activation.RELU).build();
        Model relu = Model.create(config, Initialization.identity(), 1, KernelsUnderTest.reference());
        Arrays.fill(relu.parameters().get(ParameterNames.inputWeights(0, false)).data(), 1f);
        relu.loadParameters();
        StreamGroup g = relu.newStreamGroup(40);
        int[] all = new int[40];
        for (int i = 0; i < all.length; i++) {
            all[i] = g.join();
        }
        float[] inputs = new float[40];
        Arrays.fill(inputs, 1f);
        g.step(all, 40, inputs, new float[80]);
        int hot = all[34];
        g.step(new int[] {hot}, 1, new float[] {3e38f}, new float[2]);
        float[][] before = states(g, all);

        // The 35th listed stream, in the second block of 32, overflows in both units.
        inputs[34] = 3e38f;
        float[] outputs = new float[80];
        Arrays.fill(outputs, 7f);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> g.step(all, 40, inputs, outputs));
        assertEquals("the new state of layer 0", e.quantity());
        assertEquals(List.of("stream", "unit"), e.axes());
        assertArrayEquals(new int[] {hot, 0}, e.firstPosition());
        assertEquals(2, e.count());
        assertEquals(Float.POSITIVE_INFINITY, e.firstValue());
        assertTrue(e.getMessage().startsWith("StreamGroup step 3 of 40 streams: the new state of layer 0 has 2"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("every stream of the group keeps its state from before this step"),
                e.getMessage());

        float[] untouched = new float[80];
        Arrays.fill(untouched, 7f);
        assertArrayEquals(untouched, outputs, "the caller's outputs are untouched");
        float[][] after = states(g, all);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], after[i], "no stream changed: stream " + all[i]);
        }
        assertEquals(1, g.steps(all[0]));
        assertEquals(2, g.steps(hot));
    }

    @Test
    void snapshotsOfAnotherShapeAndNonMembersAreRefused() {
        ModelConfig wider = ModelConfig.builder().inputSize(2).hiddenSize(4).layers(2).build();
        StateSnapshot foreign = Model.create(wider, Initialization.uniform(), 1, KernelsUnderTest.reference())
                .newSession().snapshot();
        float[] state = group.hidden(a, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> group.restore(a, foreign));
        assertEquals("snapshot has 2 layers of 4 units; this group's model has 2 of 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> group.restore(a, null));
        assertEquals("snapshot must not be null", e.getMessage());
        assertArrayEquals(state, group.hidden(a, 1), "a refused restore changes nothing");
        assertEquals(1, group.steps(a));

        int gone = group.join();
        StateSnapshot mine = group.snapshot(a);
        group.leave(gone);
        String notMember = "stream = " + gone + " is not a member of this group (it left, or never joined)";
        for (Executable call : new Executable[] {() -> group.leave(gone), () -> group.reset(gone),
                () -> group.snapshot(gone), () -> group.restore(gone, mine), () -> group.hidden(gone, 0),
                () -> group.steps(gone)}) {
            e = assertThrows(IllegalArgumentException.class, call);
            assertEquals(notMember, e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class, () -> group.hidden(a, 2));
        assertTrue(e.getMessage().contains("layer"), e.getMessage());
        assertEquals(2, group.size());
    }

    /** Asserts the step is refused with exactly this message and that no stream changed. */
    private void refusedStep(String message, int[] streams, int count, float[] inputs, float[] outputs) {
        float[][] before = states(group, new int[] {a, b});
        long stepsA = group.steps(a);
        long stepsB = group.steps(b);
        float[] outputsBefore = outputs == null ? null : outputs.clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> group.step(streams, count, inputs, outputs));
        assertEquals(message, e.getMessage());
        float[][] after = states(group, new int[] {a, b});
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], after[i], "a refused step changes no state");
        }
        assertEquals(stepsA, group.steps(a));
        assertEquals(stepsB, group.steps(b));
        assertArrayEquals(outputsBefore, outputs, "a refused step leaves the outputs alone");
    }

    private static float[][] states(StreamGroup group, int[] streams) {
        int layers = group.model().config().layers();
        float[][] states = new float[streams.length * layers][];
        for (int i = 0; i < streams.length; i++) {
            for (int l = 0; l < layers; l++) {
                states[i * layers + l] = group.hidden(streams[i], l);
            }
        }
        return states;
    }
}
