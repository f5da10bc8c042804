package dev.elman.cli;

import dev.elman.onnx.OnnxTestCase;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code rnn onnx-test DIR...}: ONNX backend-test cases, one line each. */
@Command(name = "onnx-test",
        customSynopsis = "Usage: rnn onnx-test DIR...",
        header = "run ONNX backend-test cases (model.onnx, test_data_set_*/input_N.pb, output_N.pb): one line per case",
        description = """
                Runs each DIR as one case in ONNX's backend-test layout, as ONNX Runtime's onnx_test_runner
                reads it: model.onnx and test_data_set_* folders of input_N.pb and output_N.pb tensors, bound to
                the graph's inputs and outputs in order. Prints exactly one line per DIR: PASS <name>,
                FAIL <name>: <output, worst error> or UNSUPPORTED <name>: <reason>, comparing every output with
                ONNX's tolerance |actual − expected| ≤ 1e-7 + 1e-3·|expected|. Exit status 0 only when every
                case passes, 1 otherwise.""")
public final class OnnxTestCommand implements Subcommand {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "case folders")
    List<Path> folders;

    @Override
    public int run(PrintStream out) {
        boolean all = true;
        for (Path folder : folders) {
            OnnxTestCase.Result result = OnnxTestCase.run(folder);
            out.println(result.line());
            out.flush();
            all &= result.status() == OnnxTestCase.Status.PASS;
        }
        return all ? 0 : 1;
    }
}
