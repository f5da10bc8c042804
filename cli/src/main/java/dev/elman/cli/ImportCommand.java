package dev.elman.cli;

import dev.elman.engine.interop.ModelFile;
import dev.elman.engine.model.Model;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** {@code rnn import MODEL.onnx --out MODEL.elman}: an ONNX model of RNN nodes as an Elman model file. */
@Command(name = "import",
        customSynopsis = "Usage: rnn import MODEL.onnx --out FILE",
        header = "import an ONNX model of RNN nodes (torch.onnx.export's, or a single RNN node) as an Elman model file",
        description = """
                Reads an .onnx file whose graph is a stack of RNN nodes with an optional linear head (what
                torch.onnx.export writes for an nn.RNN, with or without an nn.Linear after it, or a single RNN
                node) and writes it as an Elman model file: the layers, directions, sizes, activation and
                weights from the RNN nodes, ONNX's two biases summed into Elman's one. The graph is checked
                against the imported model on a seeded input, so a file computing anything else is refused.
                Nothing is written unless the import succeeds. Exit status 2 when the file is malformed or
                asks for what Elman does not compute (the message names the node and the operator or
                attribute), 1 when a file cannot be read or written.""")
public final class ImportCommand implements Subcommand {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the ONNX model")
    Path input;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "where to write the Elman model file")
    Path output;

    @Override
    public int run(PrintStream out) throws Exception {
        String command = "rnn import";
        TorchRnnInvocation.checkOutputs(command, Map.of("model", input), Map.of("out", output));
        Model model = OnnxFiles.read(command, input);
        ModelFile.save(output, model, Map.of("onnx.source", String.valueOf(input.getFileName())));
        out.printf(Locale.ROOT, "Imported  %s%n          %s%nWrote     %s%n", input, ModelOptions.describe(model.config()),
                output);
        return 0;
    }
}
