package dev.elman.cli;

import dev.elman.engine.interop.TorchRnnGradients;
import dev.elman.engine.io.Safetensors;

import java.io.PrintStream;
import java.util.List;

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
 * summed; single direction only). See {@link TorchRnnInvocation} for the exit statuses.
 */
public final class GradCommand implements Subcommand {
    private static final Option OUTPUT_GRADIENT = Option.required("grad-output", "FILE",
            "GY = dL/dY, .npy shaped like the output Y (T, B, D·H)");
    private static final Option WINDOW = Option.value("window", "K",
            "truncated BPTT in chunks of K steps, state detached between them (single direction); default full BPTT",
            null);
    private static final Option OUTPUT = Option.required("output", "FILE",
            "where to write the gradients, safetensors float32: each weight's key, input, h0");

    @Override
    public String name() {
        return "grad";
    }

    @Override
    public String summary() {
        return "gradients of a PyTorch nn.RNN for an output gradient, under torch's keys (full or truncated BPTT)";
    }

    @Override
    public String description() {
        return """
                Backpropagates through the nn.RNN whose state_dict() is in --weights (safetensors), run on the
                time-major input X from H0, for the loss L = Σ GY ⊙ Y (Y the output, GY given). Writes dL/dθ
                for every weight under its own key (both biases get dL/db: torch's two biases are one sum),
                input = dL/dX and h0 = dL/dH0, as autograd computes them. With --window K the sequence runs
                in chunks of K steps, the state detached between chunks, and the weight gradients are summed
                over the chunks; h0 is then the first chunk's (single direction only). Nothing is written
                unless every file fits. Exit status 0 on success, 1 when a file cannot be read or is
                malformed, 2 when the options or the files' shapes do not fit together.""";
    }

    @Override
    public List<Option> options() {
        return List.of(TorchRnnInvocation.WEIGHTS, TorchRnnInvocation.INPUT, TorchRnnInvocation.INITIAL_STATE,
                TorchRnnInvocation.NONLINEARITY, OUTPUT_GRADIENT, WINDOW, OUTPUT);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out) throws Exception {
        String command = "rnn " + name();
        boolean windowed = options.has(WINDOW.name());
        int window = windowed ? options.integer(WINDOW.name(), 1) : Integer.MAX_VALUE;
        TorchRnnInvocation invocation = TorchRnnInvocation.load(command, options, OUTPUT_GRADIENT.name(),
                List.of(OUTPUT.name()), windowed);
        TorchRnnGradients gradients = invocation.rnn().gradient(invocation.input(), invocation.initialState(),
                invocation.outputGradient(), window);
        Safetensors.write(options.path(OUTPUT.name()), gradients.tensors());
        return 0;
    }
}
