package dev.elman.cli;

import dev.elman.engine.interop.SavedModel;
import dev.elman.onnx.OnnxModels;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** {@code rnn export MODEL.elman --out MODEL.onnx}: an Elman model file as ONNX. */
@Command(name = "export",
        customSynopsis = "Usage: rnn export MODEL.elman --out FILE [--initial-state]",
        header = "export an Elman model file as ONNX (RNN nodes, opset 14) that ONNX Runtime runs with the same outputs",
        description = """
                Writes an Elman model (rnn train, rnn demo, rnn import) as an .onnx file: one RNN node per
                layer, Transpose and Reshape between layers, MatMul and Add for the head. Its input is X
                (sequence, batch, I), time-major; its outputs are Y (sequence, batch, W) and h_n (L·D, batch, H).
                With --initial-state it also takes h0 (L·D, batch, H); otherwise the states start at zero.
                The file is written atomically. Exit status 2 when the model cannot be expressed in ONNX,
                1 when a file cannot be read or written.""")
public final class ExportCommand implements Subcommand {
    @Parameters(index = "0", paramLabel = "MODEL.elman", description = "the Elman model file")
    Path input;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "where to write the .onnx file")
    Path output;

    @Option(names = "--initial-state", description = "give the graph the input h0 (L·D, batch, H) for the initial states")
    boolean initialState;

    @Override
    public int run(PrintStream out) throws Exception {
        String command = "rnn export";
        TorchRnnInvocation.checkOutputs(command, Map.of("model", input), Map.of("out", output));
        SavedModel saved = Checkpoints.load(input);
        try {
            OnnxModels.write(saved.model(), output, initialState);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + input + ": " + e.getMessage(), e);
        }
        out.printf(Locale.ROOT, "Exported  %s%n          %s%nWrote     %s%n", input, ModelOptions.describe(saved.model().config()),
                output);
        return 0;
    }
}
