package dev.elman.onnx;

import dev.elman.onnx.proto.ModelProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Writes a case in ONNX's backend-test layout: {@code model.onnx}, {@code test_data_set_0/input_N.pb}, {@code output_N.pb}. */
final class BackendCases {
    private BackendCases() {
    }

    static Path write(Path folder, ModelProto model, List<GraphTensor> inputs, List<GraphTensor> outputs)
            throws IOException {
        Path data = Files.createDirectories(folder.resolve("test_data_set_0"));
        Files.write(folder.resolve("model.onnx"), model.toByteArray());
        for (int i = 0; i < inputs.size(); i++) {
            Files.write(data.resolve("input_" + i + ".pb"), encode(inputs.get(i)));
        }
        for (int i = 0; i < outputs.size(); i++) {
            Files.write(data.resolve("output_" + i + ".pb"), encode(outputs.get(i)));
        }
        return folder;
    }

    /** A float tensor as float32, an integer one as int32 (what sequence_lens is). */
    static byte[] encode(GraphTensor t) {
        if (t.isFloat()) {
            return TensorCodec.floats("", t.floats(), t.shape()).toByteArray();
        }
        var b = dev.elman.onnx.proto.TensorProto.newBuilder().setDataType(6);
        Arrays.stream(t.shape()).forEach(b::addDims);
        Arrays.stream(t.longs()).forEach(v -> b.addInt32Data((int) v));
        return b.build().toByteArray();
    }
}
