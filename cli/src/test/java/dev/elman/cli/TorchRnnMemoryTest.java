package dev.elman.cli;

import dev.elman.engine.model.ModelConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rnn run} and {@code rnn grad} refuse, before any pass, an input whose states cannot fit in
 * the heap: an input file of a few values per step asks for {@code L·D·H} states per step (three
 * times that for gradients). Checked on the shapes alone, since a file that large has no place in
 * a test.
 */
class TorchRnnMemoryTest {
    private static final ModelConfig DEEP = ModelConfig.builder().inputSize(1).hiddenSize(1024).layers(4)
            .bidirectional(true).build();

    @Test
    void anInputWhoseStatesCannotFitIsRefusedNamingTheFileAndTheEstimate() {
        UsageException e = assertThrows(UsageException.class, () -> TorchRnnInvocation.checkMemory("rnn run",
                Path.of("x.npy"), new int[] {2_000_000, 1, 1}, DEEP, false));
        assertTrue(e.getMessage().startsWith("rnn run: x.npy of shape [2000000, 1, 1] with 4 layer(s) of hidden size 1024"
                + " would need at least "), e.getMessage());
        assertTrue(e.getMessage().contains("heap available"), e.getMessage());
    }

    @Test
    void gradientsCountTheirBuffersAndSmallInputsPass() {
        assertDoesNotThrow(() -> TorchRnnInvocation.checkMemory("rnn grad", Path.of("x.npy"), new int[] {256, 32, 1},
                DEEP, true));
        // heap / 64 KiB steps of one value: 8 192 states and 2 048 outputs per step, 0.63 of the heap forward;
        // 3 · 8 192 states with gradients, 1.6 times the heap.
        long heap = Runtime.getRuntime().maxMemory();
        int steps = (int) Math.min(Integer.MAX_VALUE, heap / (4L * 8 * 1024 * 2));
        assertDoesNotThrow(() -> TorchRnnInvocation.checkMemory("rnn run", Path.of("x.npy"), new int[] {steps, 1},
                DEEP, false));
        assertThrows(UsageException.class, () -> TorchRnnInvocation.checkMemory("rnn grad", Path.of("x.npy"),
                new int[] {steps, 1}, DEEP, true));
    }
}
