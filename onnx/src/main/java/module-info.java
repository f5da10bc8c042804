/**
 * ONNX import and export of Elman models.
 *
 * <p>{@link dev.elman.onnx.OnnxModels} reads {@code .onnx} files holding {@code RNN} nodes (as
 * {@code torch.onnx.export} writes them, or single nodes with every attribute of the operator)
 * into Elman models, runs such graphs, and writes Elman models as ONNX that ONNX Runtime runs with
 * the same outputs. The protobuf classes generated from the schema subset stay inside the module.
 */
module dev.elman.onnx {
    requires transitive dev.elman.engine;
    requires com.google.protobuf;

    exports dev.elman.onnx;
    // The full protobuf runtime finds the generated accessors reflectively.
    opens dev.elman.onnx.proto to com.google.protobuf;
}
