package dev.elman.cli;

import java.util.List;

/** The subcommands {@code ./rnn} offers, in the order its help lists them. */
final class Subcommands {
    private Subcommands() {
    }

    static List<Subcommand> all() {
        return List.of(new DemoCommand(), new TrainCommand(), new SampleCommand(), new DiagnoseCommand(),
                new EvaluateCommand(), new RunCommand(), new GradCommand(), new ImportCommand(), new ExportCommand(),
                new OnnxTestCommand());
    }
}
