package dev.elman.cli;

import dev.elman.engine.interop.TorchRnnGradients;
import dev.elman.engine.io.Safetensors;
import dev.elman.engine.model.NonFiniteException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code rnn grad}: the gradients of a PyTorch {@code nn.RNN} for a given output gradient.
 *
 * <pre>
 * ./rnn grad --weights W.safetensors --input X.npy [--h0 H0.npy] [--nonlinearity tanh|relu]
 *            --grad-output GY.npy [--window K] --output G.safetensors
 * </pre>
 *
 * G holds, as float32, {@code dL/dθ} for every weight under its own torch key, {@code input}
 * ({@code dL/dX}) and {@code h0} ({@code dL/dH0}), for {@code L = Σ GY ⊙ Y}: what
 * {@code Y.backward(GY)} leaves in the {@code .grad} fields. With {@code --window K}, truncated
 * BPTT as PyTorch users write it (chunks of K steps, the state detached between them, gradients
 * summed; single direction only). See {@link TorchRnnInvocation} for the exit statuses; a state,
 * output or gradient holding NaN or infinities is reported with status
 * {@value NonFiniteResultException#STATUS} and nothing is written.
 */
@Command(name = "grad",
        header = "gradients of a PyTorch nn.RNN for an output gradient, under torch's keys (full or truncated BPTT)",
        description = """
                Backpropagates through the nn.RNN whose state_dict() is in --weights (safetensors), run on the
                time-major input X from H0, for the loss L = Σ GY ⊙ Y (Y the output, GY given). Writes dL/dθ
                for every weight under its own key (both biases get dL/db: torch's two biases are one sum),
                input = dL/dX and h0 = dL/dH0, as autograd computes them. With --window K the sequence runs
                in chunks of K steps, the state detached between chunks, and the weight gradients are summed
                over the chunks; h0 is then the first chunk's (single direction only). --threads N shares the
                passes with N threads (the same gradients for every N). Nothing is written unless every file
                fits. Exit status 0 on success, 1 when a file cannot be read or is malformed, 2 when the
                options or the files' shapes do not fit together, 4 when a state, output or gradient is not
                finite (NaN or infinities: the values left float32's range; the line says which, how many and
                where the first is, and nothing is written).""")
public final class GradCommand implements Subcommand {
    @Mixin
    TorchRnnInvocation.Inputs inputs;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--grad-output", paramLabel = "FILE", required = true,
            description = "GY = dL/dY, .npy shaped like the output Y (T, B, D·H)")
    Path outputGradient;

    @Option(names = "--window", paramLabel = "K", converter = NumberValues.AtLeastOne.class,
            description = "truncated BPTT in chunks of K steps, state detached between them (single direction);"
                    + " default full BPTT")
    Integer window;

    @Option(names = "--output", paramLabel = "FILE", required = true,
            description = "where to write the gradients, safetensors float32: each weight's key, input, h0")
    Path output;

    @Override
    public int run(PrintStream out) throws Exception {
        boolean windowed = window != null;
        TorchRnnInvocation invocation = TorchRnnInvocation.load("rnn grad", inputs, "grad-output", outputGradient,
                Map.of("output", output), windowed);
        TorchRnnGradients gradients;
        try (var model = invocation.rnn().model()) {
            threads.apply(model);
            gradients = invocation.rnn().gradient(invocation.input(), invocation.initialState(),
                    invocation.outputGradient(), windowed ? window : Integer.MAX_VALUE);
        } catch (NonFiniteException e) {
            throw NonFiniteResultException.of("rnn grad", e);
        }
        Safetensors.write(output, gradients.tensors());
        return 0;
    }
}
