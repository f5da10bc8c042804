package dev.elman.engine.testing;

import dev.elman.engine.io.Tensor;
import dev.elman.engine.model.Merge;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.engine.model.Parameters;
import dev.elman.kernels.Activation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An independent oracle: the whole network written out from the equations in double precision,
 * one sequence at a time, with no code shared with the engine. Variable lengths are handled the way
 * PyTorch's packed sequences define them (each sequence simply runs over its own steps; a reverse
 * direction starts at its last real step), not through padding steps, so it also checks the
 * engine's padding mechanism. Parameters are a mutable map so finite differences can nudge them.
 */
public final class DoubleModel {
    private final ModelConfig config;
    public final Map<String, double[]> parameters = new LinkedHashMap<>();

    public DoubleModel(ModelConfig config, Parameters values) {
        this.config = config;
        for (String name : values.names()) {
            Tensor t = values.get(name);
            double[] d = new double[t.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = t.data()[i];
            }
            parameters.put(name, d);
        }
    }

    /** Outputs {@code [T][B][W]} (zero at padding) and final states {@code [L·D][B][H]}. */
    public record Result(double[] output, double[] finalStates) {
    }

    public Result forward(double[] x, int steps, int batch, int[] lengths, double[] h0) {
        int hs = config.hiddenSize();
        int directions = config.directions();
        double[] input = x;
        int inWidth = config.inputSize();
        double[] finals = new double[config.layers() * directions * batch * hs];
        for (int l = 0; l < config.layers(); l++) {
            double[][] hd = new double[directions][steps * batch * hs];
            for (int d = 0; d < directions; d++) {
                // Parameters are named by direction index; a reverse model's one direction walks backward.
                boolean second = d == 1;
                boolean reverse = config.direction().walksBackward(d);
                Activation phi = config.directionActivation(d);
                double clip = config.clip();
                double[] wx = parameters.get(ParameterNames.inputWeights(l, second));
                double[] wh = parameters.get(ParameterNames.recurrentWeights(l, second));
                double[] bias = config.bias() ? parameters.get(ParameterNames.bias(l, second)) : null;
                int k = l * directions + d;
                for (int b = 0; b < batch; b++) {
                    int length = lengths == null ? steps : lengths[b];
                    double[] state = new double[hs];
                    if (h0 != null) {
                        System.arraycopy(h0, (k * batch + b) * hs, state, 0, hs);
                    }
                    for (int s = 0; s < length; s++) {
                        int t = reverse ? length - 1 - s : s;
                        double[] next = new double[hs];
                        for (int i = 0; i < hs; i++) {
                            double z = bias == null ? 0 : bias[i];
                            for (int j = 0; j < inWidth; j++) {
                                z += wx[i * inWidth + j] * input[(t * batch + b) * inWidth + j];
                            }
                            for (int j = 0; j < hs; j++) {
                                z += wh[i * hs + j] * state[j];
                            }
                            next[i] = phi.apply(clip > 0 ? Math.min(Math.max(z, -clip), clip) : z);
                        }
                        state = next;
                        System.arraycopy(state, 0, hd[d], (t * batch + b) * hs, hs);
                    }
                    System.arraycopy(state, 0, finals, (k * batch + b) * hs, hs);
                }
            }
            int width = config.featureSize();
            double[] features = new double[steps * batch * width];
            for (int r = 0; r < steps * batch; r++) {
                for (int i = 0; i < hs; i++) {
                    if (directions == 1) {
                        features[r * width + i] = hd[0][r * hs + i];
                    } else if (config.merge() == Merge.CONCAT) {
                        features[r * width + i] = hd[0][r * hs + i];
                        features[r * width + hs + i] = hd[1][r * hs + i];
                    } else {
                        features[r * width + i] = hd[0][r * hs + i] + hd[1][r * hs + i];
                    }
                }
            }
            input = features;
            inWidth = width;
        }
        double[] output = input;
        if (config.hasHead()) {
            int o = config.outputSize();
            int f = config.featureSize();
            double[] wy = parameters.get(ParameterNames.HEAD_WEIGHTS);
            double[] by = config.headBias() ? parameters.get(ParameterNames.HEAD_BIAS) : null;
            output = new double[steps * batch * o];
            for (int r = 0; r < steps * batch; r++) {
                for (int i = 0; i < o; i++) {
                    double sum = by == null ? 0 : by[i];
                    for (int j = 0; j < f; j++) {
                        sum += wy[i * f + j] * input[r * f + j];
                    }
                    output[r * o + i] = sum;
                }
            }
        }
        int w = config.outputWidth();
        if (lengths != null) {
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    if (t >= lengths[b]) {
                        for (int j = 0; j < w; j++) {
                            output[(t * batch + b) * w + j] = 0;
                        }
                    }
                }
            }
        }
        return new Result(output, finals);
    }

    public static double[] widen(float[] values) {
        if (values == null) {
            return null;
        }
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return d;
    }
}
