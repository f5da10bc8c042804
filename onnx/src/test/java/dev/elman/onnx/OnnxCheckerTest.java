package dev.elman.onnx;

import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Merge;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.kernels.Activation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code onnx.checker.check_model} (full check, with shape inference) accepts every exported file,
 * when a Python with the {@code onnx} package is installed (Debian's python3-onnx); skipped
 * otherwise. In addition to, never instead of, {@link ExportRoundTripTest}, which always runs and
 * has ONNX Runtime execute the exports.
 */
class OnnxCheckerTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path folder;

    @BeforeAll
    static void onnxIsInstalled() {
        assumeTrue(run(List.of(PYTHON, "-c", "import onnx")) == 0, "python3 with the onnx package is not installed");
    }

    @Test
    void theCheckerAcceptsEveryExportShape() throws IOException {
        List<String> files = new ArrayList<>();
        int k = 0;
        for (Activation activation : ExportActivations.all()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (int shape = 0; shape < 4; shape++) {
                    ModelConfig.Builder b = ModelConfig.builder().inputSize(3).hiddenSize(4).layers(layers)
                            .activation(activation).bias(shape != 1);
                    if (shape >= 2) {
                        b.bidirectional(true).merge(shape == 3 ? Merge.SUM : Merge.CONCAT);
                    }
                    if (shape != 0) {
                        b.outputSize(2).headBias(shape != 2);
                    }
                    try (Model model = Model.create(b.build(), Initialization.uniform(), k)) {
                        Path file = folder.resolve("m" + k++ + ".onnx");
                        OnnxModels.write(model, file, shape % 2 == 0);
                        files.add(file.toString());
                    }
                }
            }
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, "-c", "import sys, onnx\n"
                + "for f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\n"));
        command.addAll(files);
        assertEquals(0, run(command), "onnx.checker refused an export (see the test's output)");
    }

    private static int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            if (p.exitValue() != 0) {
                System.out.println(out);
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
