package dev.elman.engine.model;

import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.WeightPrecision;
import dev.elman.kernels.WorkspacePurpose;
import dev.elman.testing.Activations;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A runner made for {@link WorkspacePurpose#INFERENCE} ({@link Model#newRunner(int, int,
 * WorkspacePurpose)}): its outputs and states are a training runner's bit for bit, over chunks,
 * both kernels and 1 or 2 threads; it refuses {@code backward} by name and writes no gradient; and
 * a reduced-precision model's runners are for inference whatever is asked.
 */
class RunnerPurposeTest {

    static Stream<Arguments> cases() {
        return KernelsUnderTest.all().stream().flatMap(kernels -> Trials.seeds("runner purpose", Trials.tries(20))
                .mapToObj(seed -> Arguments.of(kernels.name(), seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void anInferenceRunnerGivesTheTrainingRunnersOutputs(String kernelsName, long seed) {
        Random random = new Random(seed);
        int hidden = 1 + random.nextInt(random.nextBoolean() ? 16 : 300);
        int input = 1 + random.nextInt(40);
        ModelConfig.Builder builder = ModelConfig.builder().inputSize(input).hiddenSize(hidden)
                .layers(1 + random.nextInt(2)).activation(Activations.CLASSIC.get(random.nextInt(3)))
                .bias(random.nextBoolean());
        if (random.nextBoolean()) {
            builder.outputSize(1 + random.nextInt(4));
        }
        ModelConfig config = builder.build();
        int steps = 1 + random.nextInt(12);
        int batch = 1 + random.nextInt(hidden > 64 ? 8 : 33);
        int chunk = 1 + random.nextInt(steps);
        int threads = 1 + random.nextInt(2);
        int[] lengths = random.nextBoolean() ? RandomData.lengths(random, steps, batch) : null;
        float[] x = RandomData.uniform(random, steps * batch * input, 1.0);
        float[] initial = random.nextBoolean()
                ? RandomData.uniform(random, config.layers() * batch * hidden, 0.5) : null;
        String name = config + " T=" + steps + " B=" + batch + " chunk=" + chunk + " threads=" + threads
                + (lengths != null ? " lengths" : "") + (initial != null ? " h0" : "");
        RecurrentKernels kernels = CompositionTest.kernels(kernelsName);
        try (Model model = Model.create(config, Initialization.uniform(), random.nextLong(), kernels)) {
            model.setThreads(threads);
            StackRunner training = model.newRunner(chunk, batch);
            StackRunner inference = model.newRunner(chunk, batch, WorkspacePurpose.INFERENCE);
            assertEquals(WorkspacePurpose.TRAINING, training.purpose());
            assertEquals(WorkspacePurpose.INFERENCE, inference.purpose());
            training.reset(batch, initial);
            inference.reset(batch, initial);
            for (int first = 0; first < steps; first += chunk) {
                int span = Math.min(chunk, steps - first);
                int[] spanLengths = lengths == null ? null : spanLengths(lengths, first, span);
                training.detach();
                inference.detach();
                training.advance(span, x, first * batch * input, spanLengths);
                inference.advance(span, x, first * batch * input, spanLengths);
                int outputs = span * batch * config.outputWidth();
                assertArrayEquals(Arrays.copyOf(training.output(), outputs),
                        Arrays.copyOf(inference.output(), outputs), name + ": outputs from step " + first);
            }
            float[] expected = new float[config.layers() * batch * hidden];
            float[] actual = new float[expected.length];
            training.finalStates(expected);
            inference.finalStates(actual);
            assertArrayEquals(expected, actual, name + ": final states");
        }
    }

    @Test
    void anInferenceRunnerRefusesBackwardAndWritesNoGradient() {
        for (RecurrentKernels kernels : KernelsUnderTest.all()) {
            ModelConfig config = ModelConfig.builder().inputSize(3).hiddenSize(5).outputSize(2).build();
            try (Model model = Model.create(config, Initialization.uniform(), 7L, kernels)) {
                StackRunner runner = model.newRunner(4, 2, WorkspacePurpose.INFERENCE);
                runner.reset(2, null);
                runner.advance(4, RandomData.uniform(new Random(3), 4 * 2 * 3, 1.0), 0, null);
                ModelGradients gradients = new ModelGradients(config);
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> runner.backward(4, gradients, true, false));
                assertTrue(refused.getMessage().contains("WorkspacePurpose.INFERENCE"), refused.getMessage());
                assertEquals(0.0, gradients.parameters().norm(), kernels.name() + ": a gradient was written");
            }
        }
    }

    @Test
    void aNullPurposeIsRefused() {
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(3).build();
        try (Model model = Model.create(config, Initialization.uniform(), 1L, KernelsUnderTest.reference())) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> model.newRunner(2, 2, null));
            assertTrue(refused.getMessage().contains("purpose"), refused.getMessage());
        }
    }

    @Test
    void aReducedPrecisionModelsRunnersAreForInference() {
        for (RecurrentKernels kernels : KernelsUnderTest.all()) {
            ModelConfig config = ModelConfig.builder().inputSize(3).hiddenSize(5).build();
            try (Model model = Model.create(config, Initialization.uniform(), 5L, kernels);
                 Model reduced = model.withInferencePrecision(WeightPrecision.BF16)) {
                assertEquals(WorkspacePurpose.INFERENCE, reduced.newRunner(3, 2).purpose(), kernels.name());
                assertEquals(WorkspacePurpose.TRAINING, model.newRunner(3, 2).purpose(), kernels.name());
            }
        }
    }

    /** Each sequence's length within the span {@code [first, first + span)}, from 0 to span. */
    private static int[] spanLengths(int[] lengths, int first, int span) {
        int[] within = new int[lengths.length];
        for (int n = 0; n < lengths.length; n++) {
            within[n] = Math.max(0, Math.min(span, lengths[n] - first));
        }
        return within;
    }
}
