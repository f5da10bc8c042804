package dev.elman.engine.interop;

import dev.elman.engine.io.Tensor;
import dev.elman.engine.testing.RandomData;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Valid nn.RNN state dicts with random values, for tests to take apart. */
final class TorchStateDicts {
    private TorchStateDicts() {
    }

    /** The keys and shapes torch's nn.RNN has for a shape, values uniform in ±1/√H as torch initialises. */
    static Map<String, Tensor> random(Random random, int inputSize, int hiddenSize, int layers, boolean bidirectional,
                                      boolean bias) {
        Map<String, Tensor> dict = new TreeMap<>();
        double scale = 1 / Math.sqrt(hiddenSize);
        int directions = bidirectional ? 2 : 1;
        for (int layer = 0; layer < layers; layer++) {
            int in = layer == 0 ? inputSize : directions * hiddenSize;
            for (int d = 0; d < directions; d++) {
                String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                dict.put("weight_ih" + suffix, Tensor.of(RandomData.uniform(random, hiddenSize * in, scale), hiddenSize, in));
                dict.put("weight_hh" + suffix,
                        Tensor.of(RandomData.uniform(random, hiddenSize * hiddenSize, scale), hiddenSize, hiddenSize));
                if (bias) {
                    dict.put("bias_ih" + suffix, Tensor.of(RandomData.uniform(random, hiddenSize, scale), hiddenSize));
                    dict.put("bias_hh" + suffix, Tensor.of(RandomData.uniform(random, hiddenSize, scale), hiddenSize));
                }
            }
        }
        return dict;
    }

    /** A fixed small bidirectional two-layer set: I = 3, H = 4. */
    static Map<String, Tensor> bidirectionalTwoLayers() {
        return random(new Random(7), 3, 4, 2, true, true);
    }

    /** A copy of {@code tensor}'s values with one element replaced. */
    static Tensor withElement(Tensor tensor, int index, float value) {
        float[] values = tensor.toFloatArray();
        values[index] = value;
        return Tensor.of(values, tensor.shape());
    }
}
