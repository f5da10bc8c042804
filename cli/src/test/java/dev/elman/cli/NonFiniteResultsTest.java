package dev.elman.cli;

import dev.elman.engine.io.Npy;
import dev.elman.engine.io.Safetensors;
import dev.elman.engine.io.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code rnn run} and {@code rnn grad} on finite files whose result leaves float32's range: one
 * line naming the quantity in torch's terms, how many values and where the first is, exit status
 * 4, and nothing written (an existing output survives). They used to write {@code inf} with status 0.
 */
class NonFiniteResultsTest {
    @TempDir
    Path dir;

    /** A relu nn.RNN, I = 1, H = 2, no recurrence: unit 0 multiplies the input by {@code gain}, unit 1 by 1. */
    private Path weights(float gain) throws IOException {
        Map<String, Tensor> dict = new LinkedHashMap<>();
        dict.put("weight_ih_l0", Tensor.of(new float[] {gain, 1f}, 2, 1));
        dict.put("weight_hh_l0", Tensor.zeros(2, 2));
        dict.put("bias_ih_l0", Tensor.zeros(2));
        dict.put("bias_hh_l0", Tensor.zeros(2));
        Path file = dir.resolve("W" + gain + ".safetensors");
        Safetensors.write(file, dict);
        return file;
    }

    private Path npy(String name, float[] values, int... shape) throws IOException {
        Path file = dir.resolve(name);
        Npy.write(file, Tensor.of(values, shape));
        return file;
    }

    @Test
    void runReportsAnOverflowingOutputWithItsOwnStatusAndWritesNothing() throws IOException {
        Path w = weights(1e30f);
        Path x = npy("X.npy", new float[] {1f, 1e9f, 1f, 1e9f}, 2, 2, 1);
        Path y = dir.resolve("Y.npy");
        Path hn = dir.resolve("HN.npy");
        Files.writeString(y, "the previous result");
        Cli.Result r = Cli.run("run", "--weights", w.toString(), "--input", x.toString(), "--nonlinearity", "relu",
                "--output", y.toString(), "--hn", hn.toString());
        assertEquals(4, r.status(), r.err());
        // Sequence 1 overflows at step 0; at step 1 the zero Wh times that infinity is NaN in both units.
        assertEquals("rnn run: the output Y has 3 non-finite values (the first, Infinity, at step 0, sequence 1,"
                + " feature 0): the computation left float32's range; nothing was written", r.errorLine());
        assertEquals("the previous result", Files.readString(y));
        assertFalse(Files.exists(hn));

        // The same network on ordinary inputs runs as before.
        Path small = npy("small.npy", new float[] {1e-3f, 2e-3f}, 2, 1, 1);
        Cli.Result ok = Cli.run("run", "--weights", w.toString(), "--input", small.toString(), "--nonlinearity", "relu",
                "--output", y.toString());
        assertEquals(0, ok.status(), ok.err());
    }

    @Test
    void gradReportsNonFiniteStatesAndGradientsInTorchTerms() throws IOException {
        Path g = dir.resolve("G.safetensors");
        Path overflowing = weights(1e30f);
        Path x = npy("X.npy", new float[] {1f, 1e9f}, 2, 1);
        Path gy = npy("GY.npy", new float[4], 2, 2);
        Cli.Result forward = Cli.run("grad", "--weights", overflowing.toString(), "--input", x.toString(),
                "--nonlinearity", "relu", "--grad-output", gy.toString(), "--output", g.toString());
        assertEquals(4, forward.status(), forward.err());
        assertEquals("rnn grad: the output Y has 1 non-finite value (Infinity, at step 1, sequence 0, feature 0): the"
                + " computation left float32's range; nothing was written", forward.errorLine());
        assertFalse(Files.exists(g));

        // A finite forward whose backward overflows: dL/dWx = GY · x = 3e38 · 2.
        Path unit = weights(1f);
        Path two = npy("two.npy", new float[] {2f}, 1, 1);
        Path huge = npy("huge.npy", new float[] {3e38f, 3e38f}, 1, 2);
        Cli.Result backward = Cli.run("grad", "--weights", unit.toString(), "--input", two.toString(),
                "--nonlinearity", "relu", "--grad-output", huge.toString(), "--output", g.toString());
        assertEquals(4, backward.status(), backward.err());
        assertEquals("rnn grad: the gradient of weight_ih_l0 has 2 non-finite values (the first, Infinity, at row 0,"
                + " column 0): the computation left float32's range; nothing was written", backward.errorLine());
        assertFalse(Files.exists(g));

        // dL/dx = Wxᵀ · GY = 3e38 + 3e38 while every weight gradient stays finite (x = 1).
        Path one = npy("one.npy", new float[] {1f}, 1, 1);
        Cli.Result input = Cli.run("grad", "--weights", unit.toString(), "--input", one.toString(),
                "--nonlinearity", "relu", "--grad-output", huge.toString(), "--output", g.toString());
        assertEquals(4, input.status(), input.err());
        assertEquals("rnn grad: the gradient of the input (input) has 1 non-finite value (Infinity, at step 0,"
                + " sequence 0, feature 0): the computation left float32's range; nothing was written",
                input.errorLine());
        assertFalse(Files.exists(g));
    }
}
