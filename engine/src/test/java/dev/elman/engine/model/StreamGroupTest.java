package dev.elman.engine.model;

import dev.elman.engine.testing.Allocation;
import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream group is one streaming session per stream, stepped together: over random models and
 * random lives of a group (joins, leaves, resets, snapshots, restores, steps of random subsets in
 * random order, more streams than one block of 32), every output, state and step count equals that
 * of a session per stream bit for bit, on both kernels. That is the kernels' own property, not a
 * tolerance: the reference computes every row alone in double, and the SIMD kernels sum every
 * element in one fixed order whichever register tile, batch or thread computes it, so a row of a
 * batch is the float a lone row gives. Thread counts 1 and 2 give the same results bit for bit,
 * and a step allocates nothing.
 */
class StreamGroupTest {
    /** Sizes at 1 and around the vector widths (8 and 16 floats), their multiples and a tile's 64 columns. */
    private static final int[] HIDDEN = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65, 130};
    private static final int[] INPUT = {1, 2, 5, 8, 16, 17};
    private static final int[] OUTPUT = {1, 3, 8, 16, 17};

    static Stream<Arguments> equivalenceCases() {
        return KernelsUnderTest.all().stream().flatMap(kernels -> Trials.seeds("group-sessions", Trials.tries(30))
                .mapToObj(seed -> Arguments.of(kernels.name(), seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("equivalenceCases")
    void aGroupStepsEachStreamAsItsOwnSessionWould(String kernelsName, long seed) {
        RecurrentKernels kernels = CompositionTest.kernels(kernelsName);
        Random random = new Random(seed);
        ModelConfig config = draw(random);
        // Past one block of 32 in a third of the cases.
        int capacity = random.nextInt(3) == 0 ? 33 + random.nextInt(40) : 1 + random.nextInt(32);
        Model model = Model.create(config, Initialization.uniform(), random.nextLong(), kernels);
        StreamGroup group = model.newStreamGroup(capacity);
        assertEquals(capacity, group.capacity());
        GroupSchedule schedule = new GroupSchedule(group, random.nextLong(), true);
        schedule.run(32);
        assertTrue(schedule.stepsRun() > 0, "the schedule stepped");
    }

    static Stream<Arguments> threadCases() {
        return KernelsUnderTest.all().stream().flatMap(kernels -> Trials.seeds("group-threads", Trials.tries(8))
                .mapToObj(seed -> Arguments.of(kernels.name(), seed)));
    }

    /**
     * Shapes on both sides of the kernels' split thresholds: batches of 8 or more streams of a
     * layer large enough to split by sequences, and a few streams of H = 512 to split by units.
     */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("threadCases")
    void twoThreadsGiveTheResultsOfOneBitForBit(String kernelsName, long seed) {
        Random random = new Random(seed);
        boolean rowSplit = random.nextInt(3) == 0;
        int hidden = rowSplit ? 512 : new int[] {64, 65, 128, 129}[random.nextInt(4)];
        int input = rowSplit ? 1 + random.nextInt(8) : 64 + random.nextInt(70);
        ModelConfig.Builder b = ModelConfig.builder().inputSize(input).hiddenSize(hidden)
                .layers(1 + random.nextInt(2)).activation(random.nextBoolean() ? Activation.TANH : Activation.RELU);
        if (random.nextBoolean()) {
            b.outputSize(1 + random.nextInt(20));
        }
        ModelConfig config = b.build();
        int capacity = rowSplit ? 1 + random.nextInt(3) : 8 + random.nextInt(33);
        long modelSeed = random.nextLong();
        long scheduleSeed = random.nextLong();
        int operations = rowSplit ? 8 : 20;
        List<float[]> one;
        List<float[]> two;
        try (Model model = Model.create(config, Initialization.uniform(), modelSeed, CompositionTest.kernels(kernelsName))) {
            model.setThreads(1);
            one = new GroupSchedule(model.newStreamGroup(capacity), scheduleSeed, false).run(operations);
            model.setThreads(2);
            two = new GroupSchedule(model.newStreamGroup(capacity), scheduleSeed, false).run(operations);
        }
        assertEquals(one.size(), two.size(), config + ": transcript length");
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i), two.get(i), config + " capacity " + capacity + ": transcript entry " + i
                    + ", 2 threads against 1");
        }
    }

    @Test
    void aStepAllocatesNothingAfterWarmUp() {
        ModelConfig config = ModelConfig.builder().inputSize(4).hiddenSize(16).layers(2).outputSize(3).build();
        Model model = Model.create(config, Initialization.uniform(), 3, KernelsUnderTest.reference());
        int capacity = 70;
        StreamGroup group = model.newStreamGroup(capacity);
        for (int s = 0; s < capacity; s++) {
            group.join();
        }
        Random random = new Random(5);
        // Lists of every size from 1 to the whole group (three blocks), in shuffled orders.
        int lists = 16;
        int[][] streams = new int[lists][];
        int[] counts = new int[lists];
        for (int k = 0; k < lists; k++) {
            streams[k] = shuffledSlots(random, capacity);
            counts[k] = k == 0 ? capacity : 1 + random.nextInt(capacity);
        }
        float[] inputs = RandomData.uniform(random, capacity * 4, 1.0);
        float[] outputs = new float[capacity * 3];
        Runnable steps = () -> {
            for (int i = 0; i < 400; i++) {
                group.step(streams[i % lists], counts[i % lists], inputs, outputs);
            }
        };
        for (int i = 0; i < 20; i++) {
            steps.run();
        }
        long allocated = Allocation.leastBytes(3, steps);
        // 400 steps allocating even one object each would show as ≥ 6 400.
        assertTrue(allocated < 1_000, "400 steps allocated " + allocated + " bytes");
    }

    @Test
    void handlesAreReusedAfterLeavingAndStartAtZero() {
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(3).build();
        Model model = Model.create(config, Initialization.uniform(), 1, KernelsUnderTest.reference());
        StreamGroup group = model.newStreamGroup(3);
        assertEquals(0, group.join());
        assertEquals(1, group.join());
        group.step(new int[] {1, 0}, 2, new float[] {1, 1, 1, 1}, new float[6]);
        assertEquals(1, group.steps(1));
        group.leave(1);
        assertEquals(1, group.size());
        assertEquals(1, group.join(), "the slot given back is the next handed out");
        assertEquals(0, group.steps(1));
        assertArrayEquals(new float[3], group.hidden(1, 0), "a rejoined slot starts at the zero state");
        assertEquals(2, group.join());
    }

    private static int[] shuffledSlots(Random random, int capacity) {
        int[] slots = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = i;
        }
        for (int i = capacity - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = slots[i];
            slots[i] = slots[j];
            slots[j] = t;
        }
        return slots;
    }

    /** A random unidirectional model: 1–3 layers, tanh or relu, with or without a head and biases. */
    private static ModelConfig draw(Random random) {
        ModelConfig.Builder b = ModelConfig.builder()
                .inputSize(INPUT[random.nextInt(INPUT.length)])
                .hiddenSize(HIDDEN[random.nextInt(HIDDEN.length)])
                .layers(1 + random.nextInt(3))
                .activation(random.nextBoolean() ? Activation.TANH : Activation.RELU)
                .bias(random.nextBoolean());
        if (random.nextBoolean()) {
            b.outputSize(OUTPUT[random.nextInt(OUTPUT.length)]).headBias(random.nextBoolean());
        }
        return b.build();
    }
}
