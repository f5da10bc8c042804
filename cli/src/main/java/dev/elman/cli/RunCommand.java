package dev.elman.cli;

import dev.elman.engine.interop.TorchRnn;
import dev.elman.engine.interop.TorchRnnOutput;
import dev.elman.engine.io.Npy;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.NonFiniteException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code rnn run}: a PyTorch {@code nn.RNN}'s forward pass.
 *
 * <pre>
 * ./rnn run --weights W.safetensors --input X.npy [--h0 H0.npy] [--nonlinearity tanh|relu]
 *           [--precision f32|bf16|int8] --output Y.npy [--hn HN.npy]
 * </pre>
 *
 * Y {@code (T, B, D·H)} and HN {@code (L·D, B, H)} are what {@code torch.nn.RNN(...)(X, H0)}
 * returns for those weights, as float32 {@code .npy}; with {@code --precision bf16} or
 * {@code int8}, what it returns for the weights {@code W_ih}, {@code W_hh} rounded to that format
 * ({@link dev.elman.kernels.WeightPrecision}). The weights may also be an {@code .onnx} file:
 * either way they become one Elman model, which the precision applies to. Everything is read and
 * checked before anything is computed, and computed before anything is written; each file is
 * replaced atomically. See {@link TorchRnnInvocation} for the exit statuses; a result holding NaN or
 * infinities (the values left float32's range) is reported with status
 * {@value NonFiniteResultException#STATUS} and nothing is written.
 */
@Command(name = "run",
        header = "run a PyTorch nn.RNN's weights on an input: Y and h_n exactly as torch.nn.RNN returns them",
        description = """
                Runs the nn.RNN whose state_dict() is in --weights (safetensors) on the time-major input X and
                writes what torch.nn.RNN(...)(X, H0) returns: the output Y (T, B, D·H) and, with --hn, the
                final state h_n (L·D, B, H); D = 2 when bidirectional. The layers, directions, sizes and
                bias come from the weight keys; only the nonlinearity is not stored there. --threads N shares
                the pass with N threads (the same result for every N). --precision bf16 or int8 computes
                with W_ih and W_hh rounded to that format (biases, states and sums stay float32), so Y and
                h_n are then within the rounding's error of torch's, not equal to them. Nothing is written
                unless every file fits. Exit status 0 on success, 1 when a file cannot be read or is
                malformed, 2 when the options or the files' shapes do not fit together (or a weight is
                beyond bf16's range), 4 when the result is not finite (NaN or infinities: the values left
                float32's range; the line says how many and where the first is, and nothing is written).""")
public final class RunCommand implements Subcommand {
    @Mixin
    TorchRnnInvocation.Inputs inputs;

    @Mixin
    ThreadsOption threads;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--output", paramLabel = "FILE", required = true,
            description = "where to write the output Y, .npy float32 (T, B, D·H)")
    Path output;

    @Option(names = "--hn", paramLabel = "FILE", description = "where to write the final state h_n, .npy float32 (L·D, B, H)")
    Path finalState;

    @Override
    public int run(PrintStream out) throws Exception {
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("output", output);
        if (finalState != null) {
            outputs.put("hn", finalState);
        }
        TorchRnnInvocation invocation = TorchRnnInvocation.load("rnn run", inputs, null, null, outputs, false);
        TorchRnnOutput result;
        TorchRnn rnn = invocation.rnn();
        try (Model read = rnn.model(); Model model = precision.modelFor("rnn run", inputs.weights, read)) {
            threads.apply(model);
            result = rnn.forward(model, invocation.input(), invocation.initialState());
        } catch (NonFiniteException e) {
            throw NonFiniteResultException.of("rnn run", e);
        }
        Npy.write(output, result.output());
        if (finalState != null) {
            Npy.write(finalState, result.finalState());
        }
        return 0;
    }
}
