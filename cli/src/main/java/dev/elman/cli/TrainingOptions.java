package dev.elman.cli;

import dev.elman.engine.training.Adagrad;
import dev.elman.engine.training.Adam;
import dev.elman.engine.training.GradientClipping;
import dev.elman.engine.training.Optimizer;
import dev.elman.engine.training.Sgd;
import dev.elman.engine.training.TrainingConfig;
import dev.elman.cli.tasks.Task;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;

/**
 * The options saying how to train ({@code rnn train}, a picocli mixin), and the configuration they
 * make; {@code rnn demo} shares the optimizer names and the way numbers are written.
 */
final class TrainingOptions {
    /** The update rules, as {@code --optimizer} names them. */
    static final class OptimizerName extends Choice {
        OptimizerName() {
            super(List.of("sgd", "adam", "adagrad"));
        }
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--optimizer", paramLabel = "sgd|adam|adagrad", defaultValue = "adam",
            converter = OptimizerName.class, description = "the update rule")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.001", converter = NumberValues.PositiveNumber.class,
            description = "learning rate")
    double learningRate;

    @Option(names = "--momentum", paramLabel = "μ", defaultValue = "0", converter = NumberValues.BelowOne.class,
            description = "sgd: heavy-ball momentum in [0, 1)")
    double momentum;

    @Option(names = "--clip", paramLabel = "NORM|none", defaultValue = "1", converter = NumberValues.LimitOrNone.class,
            description = "clip the gradient's global norm to NORM")
    double clip;

    @Option(names = "--clip-value", paramLabel = "V|none", defaultValue = "none",
            converter = NumberValues.LimitOrNone.class, description = "clamp every gradient value to ±V")
    double clipValue;

    @Option(names = "--k1", paramLabel = "STEPS", converter = NumberValues.AtLeastOne.class,
            description = "truncated BPTT: update every k1 steps (default: once per batch, full BPTT)")
    Integer k1;

    @Option(names = "--k2", paramLabel = "STEPS", converter = NumberValues.AtLeastOne.class,
            description = "truncated BPTT: backpropagate through the last k2 ≥ k1 steps (default: k1, or the whole batch)")
    Integer k2;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "16", converter = NumberValues.AtLeastOne.class,
            description = "sequences per batch")
    int batch;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "2000", converter = NumberValues.AtLeastOne.class,
            description = "training batches")
    int steps;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", converter = NumberValues.AnyLong.class,
            description = "random seed of the initial weights and the data")
    long seed;

    @Option(names = "--threads", paramLabel = "N", converter = NumberValues.Threads.class,
            description = ThreadsOption.DESCRIPTION)
    Integer threads;

    TrainingConfig config(Task task, boolean bidirectional) throws UsageException {
        String name = command.qualifiedName();
        if (!optimizer.equals("sgd") && command.commandLine().getParseResult().hasMatchedOption("--momentum")) {
            throw new UsageException(name + ": --momentum is for --optimizer sgd, not " + optimizer);
        }
        TrainingConfig.Builder builder = TrainingConfig.builder()
                .loss(task.loss())
                .scope(task.scope())
                .optimizer(optimizer(optimizer, learningRate, momentum))
                .clipping(new GradientClipping(clip, clipValue));
        if (k1 != null || k2 != null) {
            if (bidirectional) {
                throw new UsageException(name + ": --k1/--k2 truncate backpropagation, but a --bidirectional model"
                        + " trains with full BPTT (its reverse direction reads each sequence from its end)");
            }
            if (k1 == null) {
                throw new UsageException(name + ": --k2 needs --k1 (the steps between updates)");
            }
            int window = k2 != null ? k2 : k1;
            if (window < k1) {
                throw new UsageException(name + ": --k2 (" + window + ") must be at least --k1 (" + k1 + ")");
            }
            builder.truncation(k1, window);
        }
        return builder.build();
    }

    /** @return the configuration in words: "adam (lr 0.001), gradient norm clipped at 1, full BPTT" */
    static String describe(TrainingConfig config) {
        String optimizer = switch (config.optimizer()) {
            case Sgd sgd -> "sgd (lr " + number(sgd.learningRate())
                    + (sgd.momentum() > 0 ? ", momentum " + number(sgd.momentum()) : "") + ")";
            case Adam adam -> "adam (lr " + number(adam.learningRate()) + ")";
            case Adagrad adagrad -> "adagrad (lr " + number(adagrad.learningRate()) + ")";
            default -> config.optimizer().toString();
        };
        GradientClipping clipping = config.clipping();
        String clip = !clipping.isActive() ? "no clipping"
                : (Double.isFinite(clipping.maxValue()) ? "values clamped to ±" + number(clipping.maxValue()) : "")
                + (Double.isFinite(clipping.maxValue()) && Double.isFinite(clipping.maxNorm()) ? ", " : "")
                + (Double.isFinite(clipping.maxNorm()) ? "gradient norm clipped at " + number(clipping.maxNorm()) : "");
        String truncation = config.stepsBetweenUpdates() == TrainingConfig.WHOLE_SEQUENCE
                && config.backwardWindow() == TrainingConfig.WHOLE_SEQUENCE ? "full BPTT"
                : "truncated BPTT (k1 = " + config.stepsBetweenUpdates() + ", k2 = " + config.backwardWindow() + ")";
        return optimizer + ", " + clip + ", " + truncation;
    }

    /** A number as one would type it: 0.001, 1, 0.9; 1E-7 and 1E+30 for the very small and large. */
    static String number(double value) {
        java.math.BigDecimal decimal = java.math.BigDecimal.valueOf(value).stripTrailingZeros();
        int digitsBeforePoint = decimal.precision() - decimal.scale();
        return decimal.scale() > 6 || digitsBeforePoint > 7 ? decimal.toString() : decimal.toPlainString();
    }

    /**
     * @param name sgd, adam or adagrad (as {@link OptimizerName} returns it)
     * @param rate the learning rate
     * @param momentum sgd's momentum (ignored by the others)
     * @return the optimizer
     */
    static Optimizer optimizer(String name, double rate, double momentum) {
        return switch (name) {
            case "sgd" -> new Sgd(rate, momentum);
            case "adagrad" -> new Adagrad(rate);
            default -> new Adam(rate);
        };
    }
}
