/**
 * The {@code rnn} command line: its subcommands, the demo tasks and the charts.
 *
 * <p>Everything that an embedder of the engine does not need lives here: option parsing (picocli),
 * progress output, the training tasks with their generated data, and PNG/SVG charts through
 * Java 2D ({@code java.desktop}). Other modules add subcommands by providing
 * {@link dev.elman.cli.Subcommand} (the benchmarks module provides {@code bench}).
 */
module dev.elman.cli {
    requires dev.elman.engine;
    requires dev.elman.onnx;
    requires java.desktop;
    // Subcommands are picocli commands: a provider in another module annotates its own.
    requires transitive info.picocli;

    exports dev.elman.cli;
    exports dev.elman.cli.tasks;
    // The benchmark report draws its charts with the command line's chart code.
    exports dev.elman.cli.chart to dev.elman.jmh;
    // picocli fills the @Option fields and creates the converters reflectively.
    opens dev.elman.cli to info.picocli;

    uses dev.elman.cli.Subcommand;
}
