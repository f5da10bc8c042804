package dev.elman.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ONNX Runtime (Java, one intra-op thread), the oracle: runs a model's bytes on named float or int32 inputs. */
final class Ort {
    private Ort() {
    }

    /** @return every graph output in order, as float tensors */
    static List<GraphTensor> run(byte[] model, Map<String, GraphTensor> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options)) {
                Map<String, OnnxTensor> fed = new LinkedHashMap<>();
                try {
                    for (Map.Entry<String, GraphTensor> e : inputs.entrySet()) {
                        GraphTensor t = e.getValue();
                        long[] shape = Arrays.stream(t.shape()).asLongStream().toArray();
                        if (t.isFloat()) {
                            fed.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), shape));
                        } else {
                            int[] ints = Arrays.stream(t.longs()).mapToInt(v -> (int) v).toArray();
                            fed.put(e.getKey(), OnnxTensor.createTensor(env, IntBuffer.wrap(ints), shape));
                        }
                    }
                    try (OrtSession.Result result = session.run(fed)) {
                        List<GraphTensor> out = new ArrayList<>();
                        for (int i = 0; i < result.size(); i++) {
                            OnnxTensor t = (OnnxTensor) result.get(i);
                            int[] shape = Arrays.stream(t.getInfo().getShape()).mapToInt(v -> (int) v).toArray();
                            FloatBuffer buffer = t.getFloatBuffer();
                            float[] data = new float[buffer.remaining()];
                            buffer.get(data);
                            out.add(GraphTensor.ofFloats(data, shape));
                        }
                        return out;
                    }
                } finally {
                    fed.values().forEach(OnnxTensor::close);
                }
            }
        }
    }
}
