/**
 * The {@code rnn} command line: its subcommands, the demo tasks and the charts.
 *
 * <p>Everything that an embedder of the engine does not need lives here: option parsing, progress
 * output, the training tasks with their generated data, and PNG/SVG charts through Java 2D
 * ({@code java.desktop}).
 */
module dev.elman.cli {
    requires dev.elman.engine;
    requires java.desktop;

    exports dev.elman.cli;
    exports dev.elman.cli.tasks;
    // The benchmark report draws its charts with the command line's chart code.
    exports dev.elman.cli.chart to dev.elman.jmh;
}
