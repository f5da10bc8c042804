package dev.elman.cli;

import dev.elman.engine.training.Adagrad;
import dev.elman.engine.training.Adam;
import dev.elman.engine.training.GradientClipping;
import dev.elman.engine.training.Optimizer;
import dev.elman.engine.training.Sgd;
import dev.elman.engine.training.TrainingConfig;
import dev.elman.cli.tasks.Task;

import java.util.List;
import java.util.Locale;

/** The options saying how to train ({@code rnn train}, {@code rnn demo}), and the configuration they make. */
final class TrainingOptions {
    static final Option OPTIMIZER = Option.value("optimizer", "sgd|adam|adagrad", "the update rule", "adam");
    static final Option LEARNING_RATE = Option.value("lr", "RATE", "learning rate", "0.001");
    static final Option MOMENTUM = Option.value("momentum", "μ", "sgd: heavy-ball momentum in [0, 1)", "0");
    static final Option CLIP = Option.value("clip", "NORM|none", "clip the gradient's global norm to NORM", "1");
    static final Option CLIP_VALUE = Option.value("clip-value", "V|none", "clamp every gradient value to ±V", "none");
    static final Option K1 = Option.value("k1", "STEPS",
            "truncated BPTT: update every k1 steps (default: once per batch, full BPTT)", null);
    static final Option K2 = Option.value("k2", "STEPS", "truncated BPTT: backpropagate through the last k2 ≥ k1 steps"
            + " (default: k1, or the whole batch)", null);
    static final Option BATCH = Option.value("batch", "B", "sequences per batch", "16");
    static final Option STEPS = Option.value("steps", "N", "training batches", "2000");
    static final Option SEED = Option.value("seed", "N", "random seed of the initial weights and the data", "1");
    static final Option THREADS = Option.value("threads", "N", "threads per model; the engine trains a model on one"
            + " thread (no intra-model parallelism yet), so only 1 is accepted", "1");

    private TrainingOptions() {
    }

    static List<Option> all() {
        return List.of(OPTIMIZER, LEARNING_RATE, MOMENTUM, CLIP, CLIP_VALUE, K1, K2, BATCH, STEPS, SEED, THREADS);
    }

    static TrainingConfig config(String command, ParsedOptions options, Task task, boolean bidirectional)
            throws UsageException {
        if (options.integer(THREADS.name(), 1) != 1) {
            throw new UsageException(command + ": --threads " + options.string(THREADS.name()) + ": the engine trains a"
                    + " model on one thread (it has no intra-model parallelism yet); use --threads 1");
        }
        TrainingConfig.Builder builder = TrainingConfig.builder()
                .loss(task.loss())
                .scope(task.scope())
                .optimizer(optimizer(command, options))
                .clipping(clipping(command, options));
        if (options.has(K1.name()) || options.has(K2.name())) {
            if (bidirectional) {
                throw new UsageException(command + ": --k1/--k2 truncate backpropagation, but a --bidirectional model"
                        + " trains with full BPTT (its reverse direction reads each sequence from its end)");
            }
            if (!options.has(K1.name())) {
                throw new UsageException(command + ": --k2 needs --k1 (the steps between updates)");
            }
            int k1 = options.integer(K1.name(), 1);
            int k2 = options.has(K2.name()) ? options.integer(K2.name(), 1) : k1;
            if (k2 < k1) {
                throw new UsageException(command + ": --k2 (" + k2 + ") must be at least --k1 (" + k1 + ")");
            }
            builder.truncation(k1, k2);
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

    static Optimizer optimizer(String command, ParsedOptions options) throws UsageException {
        String name = options.choice(OPTIMIZER.name(), "sgd", "adam", "adagrad");
        double rate = options.positiveNumber(LEARNING_RATE.name());
        if (!name.equals("sgd") && options.has(MOMENTUM.name())) {
            throw new UsageException(command + ": --momentum is for --optimizer sgd, not " + name);
        }
        return switch (name) {
            case "sgd" -> {
                double momentum = options.number(MOMENTUM.name(), 0, 1);
                if (momentum >= 1) {
                    throw new UsageException(command + ": --momentum must be below 1, got " + options.string(MOMENTUM.name()));
                }
                yield new Sgd(rate, momentum);
            }
            case "adagrad" -> new Adagrad(rate);
            default -> new Adam(rate);
        };
    }

    static GradientClipping clipping(String command, ParsedOptions options) throws UsageException {
        return new GradientClipping(limit(options, CLIP), limit(options, CLIP_VALUE));
    }

    /** A positive limit, or +∞ for {@code none} (or when the subcommand does not offer the option). */
    private static double limit(ParsedOptions options, Option option) throws UsageException {
        String value = options.string(option.name());
        if (value == null || value.trim().toLowerCase(Locale.ROOT).equals("none")) {
            return Double.POSITIVE_INFINITY;
        }
        return options.positiveNumber(option.name());
    }
}
