/**
 * The library an embedder adds: kernel selection, models (stacked, bidirectional, output head),
 * training, streaming inference, diagnostics, file formats and PyTorch interop.
 *
 * <p>It carries no command line, no demo tasks, no charts and no {@code java.desktop}: those live in
 * the {@code dev.elman.cli} module.
 */
module dev.elman.engine {
    requires transitive dev.elman.reference;
    requires dev.elman.simd;
    requires org.apache.commons.math4.legacy;
    requires org.apache.commons.math4.core;
    requires org.apache.commons.math4.legacy.exception;

    exports dev.elman.engine;
    exports dev.elman.engine.model;
    exports dev.elman.engine.training;
    exports dev.elman.engine.diagnostics;
    exports dev.elman.engine.io;
    exports dev.elman.engine.interop;
    exports dev.elman.engine.parallel;
}
