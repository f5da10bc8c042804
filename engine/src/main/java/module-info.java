/**
 * Everything a user of Elman touches: kernel selection, models, training, streaming inference,
 * diagnostics, file formats and the command line.
 */
module dev.elman.engine {
    requires transitive dev.elman.reference;
    requires dev.elman.simd;
    requires commons.math3;

    exports dev.elman.engine;
    exports dev.elman.engine.model;
    exports dev.elman.engine.training;
    exports dev.elman.engine.diagnostics;
    exports dev.elman.engine.io;
}
