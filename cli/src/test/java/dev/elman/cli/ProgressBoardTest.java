package dev.elman.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBoardTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void plainOutputIsOneLinePerTenthOfEachRow() {
        ProgressBoard board = new ProgressBoard(out, false, new String[] {"tanh", "irnn"}, new long[] {100, 50});
        for (int step = 1; step <= 100; step++) {
            board.update(0, step, 0.5, 200);
            if (step <= 50) {
                board.update(1, step, 0.25, 100);
            }
        }
        board.finish();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        // A line at the first update (tenth 0) and at each tenth after: 11 per row.
        assertEquals(22, lines.length, String.join("\n", lines));
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\033"), "no terminal escapes in plain output");
        String[] tanh = java.util.Arrays.stream(lines).filter(l -> l.startsWith("tanh")).toArray(String[]::new);
        assertEquals(11, tanh.length);
        assertTrue(tanh[0].startsWith("tanh     1/100  loss 0.5000"), tanh[0]);
        assertTrue(tanh[1].startsWith("tanh    10/100  loss 0.5000") && tanh[1].endsWith("200.0 steps/s  ETA 0:00"), tanh[1]);
        assertTrue(tanh[10].startsWith("tanh   100/100  loss 0.5000") && tanh[10].contains("elapsed"), tanh[10]);
        assertTrue(lines[1].startsWith("irnn    1/50  loss 0.2500"), lines[1]);
    }

    @Test
    void aTerminalGetsABarRedrawnInPlace() {
        ProgressBoard board = new ProgressBoard(out, true, new String[] {"a", "b"}, new long[] {10, 10});
        board.update(0, 10, Double.NaN, 0);
        board.finish();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("[########################] 10/10  loss --"), text);
        assertTrue(text.contains("\033[2A"), "the second drawing moves up over the two rows");
    }

    @Test
    void namesAndTotalsMustPair() {
        assertThrows(IllegalArgumentException.class, () -> new ProgressBoard(out, false, new String[] {"a"}, new long[0]));
    }
}
