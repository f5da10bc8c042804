package dev.elman.cli;

import dev.elman.engine.model.Model;
import picocli.CommandLine.Option;

/**
 * {@code --threads N}, the number of threads a command's model computes with (a picocli mixin of
 * {@code rnn run} and {@code rnn grad}; {@code rnn train} has it among its training options).
 * Without it the model keeps the engine's default: {@code -Delman.threads}, else one thread. The
 * results are the same bit for bit for every number; only the time changes.
 */
final class ThreadsOption {
    /** What the help says of the option, after the command's own words. */
    static final String DESCRIPTION = "threads the model computes with, the command's own included; the results are the"
            + " same for every N (default: -Delman.threads, else 1)";

    @Option(names = "--threads", paramLabel = "N", converter = NumberValues.Threads.class, description = DESCRIPTION)
    Integer threads;

    /**
     * Gives the model the number of threads asked for, if any.
     *
     * @param model the command's model
     */
    void apply(Model model) {
        apply(threads, model);
    }

    /** Gives the model {@code threads} threads, or leaves its default when null. */
    static void apply(Integer threads, Model model) {
        if (threads != null) {
            model.setThreads(threads);
        }
    }
}
