/**
 * Everything a user of Elman touches: kernel selection, models, training, streaming inference,
 * diagnostics, file formats and the command line.
 */
module dev.elman.engine {
    requires transitive dev.elman.reference;
    requires dev.elman.simd;
    requires commons.math3;
    // Charts (PNG through Java 2D) are the command line's only; embedders need not carry java.desktop.
    requires static java.desktop;

    exports dev.elman.engine;
    exports dev.elman.engine.model;
    exports dev.elman.engine.training;
    exports dev.elman.engine.diagnostics;
    exports dev.elman.engine.io;
    exports dev.elman.engine.interop;
    exports dev.elman.engine.tasks;
    exports dev.elman.engine.cli;
    exports dev.elman.engine.cli.chart;
}
