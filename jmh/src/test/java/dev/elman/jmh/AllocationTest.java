package dev.elman.jmh;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code -prof gc} shows for the streaming step and the training step, checked in the build:
 * once the JIT has compiled them, they allocate nothing (the training operation: one summary per
 * sequence, nothing per update).
 *
 * <p>Before C2 compiles the Vector API code, every vector operation allocates, so each check runs
 * rounds of work until one round allocates (almost) nothing, within a time limit; allocation on the
 * hot path would show in every round.
 *
 * <p>H = 32 for training: there the SIMD GEMM's column-tail tiles do the whole product, which is
 * where C1 once gave up on a kernel and left it allocating for good (see {@code JitCompilationTest}
 * in simd-kernels).
 */
class AllocationTest {
    private static final long TIME_LIMIT_NANOS = 30_000_000_000L;

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2})
    void aStreamingStepAllocatesNothing(int threads) {
        for (String kernels : new String[] {"simd", "reference"}) {
            StreamingBenchmark benchmark = new StreamingBenchmark();
            benchmark.hidden = 64;
            benchmark.kernels = kernels;
            benchmark.threads = threads;
            benchmark.precision = "f32";
            assertStepsAllocateNothing(benchmark, kernels + ", " + threads + " threads");
        }
    }

    /** The same of a model whose recurrent weights are stored reduced (the SIMD kernels' packed bf16 and int8 paths). */
    @ParameterizedTest(name = "{0}, {1} threads")
    @CsvSource({"bf16, 1", "bf16, 2", "int8, 1", "int8, 2"})
    void aReducedPrecisionStreamingStepAllocatesNothing(String precision, int threads) {
        StreamingBenchmark benchmark = new StreamingBenchmark();
        benchmark.hidden = 64;
        benchmark.kernels = "simd";
        benchmark.threads = threads;
        benchmark.precision = precision;
        assertStepsAllocateNothing(benchmark, "simd " + precision + ", " + threads + " threads");
    }

    private static void assertStepsAllocateNothing(StreamingBenchmark benchmark, String what) {
        benchmark.setUp();
        try {
            long least = leastBytes(0, () -> {
                for (int i = 0; i < 10_000; i++) {
                    benchmark.step();
                }
            });
            // 10 000 steps allocating even one 16-byte object each would show as 160 000.
            assertTrue(least == 0, what + ": 10 000 steps allocated at least " + least + " bytes");
        } finally {
            benchmark.tearDown();
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2})
    void aTrainingStepAllocatesNothingPerUpdate(int threads) {
        TrainingBenchmark benchmark = new TrainingBenchmark();
        benchmark.hidden = 32;
        benchmark.window = 16;
        benchmark.batch = 4;
        benchmark.kernels = "simd";
        benchmark.threads = threads;
        benchmark.setUp();
        try {
            long least = leastBytes(1_000, () -> {
                for (int i = 0; i < 10; i++) {
                    benchmark.train();
                }
            });
            // Ten operations of 32 updates each return ten summaries (≈ 60 bytes each); one object per
            // update would add at least 320 × 16 = 5 120 bytes.
            assertTrue(least < 1_000, threads + " threads: 10 sequences (320 updates) allocated at least " + least
                    + " bytes");
        } finally {
            benchmark.tearDown();
        }
    }

    /**
     * Runs the work in rounds (at least three) until one allocates at most {@code enough} bytes or
     * the time limit passes.
     *
     * @return the least any round allocated
     */
    private static long leastBytes(long enough, Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        long start = System.nanoTime();
        for (int round = 0; round < 3 || (least > enough && System.nanoTime() - start < TIME_LIMIT_NANOS); round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            work.run();
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }
}
