package dev.elman.engine.model;

import dev.elman.engine.io.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * An ordered set of named tensors with the names and shapes a {@link ModelConfig} defines (see
 * {@link ParameterNames}): a model's parameters, or gradients shaped like them.
 *
 * <p>The set of names and every shape are fixed; the values are live arrays. A model's parameters
 * are read by its passes only after {@link Model#loadParameters()}.
 */
public final class Parameters {
    private final ModelConfig config;
    private final String[] names;
    private final Tensor[] tensors;
    private final Map<String, Tensor> byName;

    /** @param tensors array-backed tensors by name, in the order of {@link ParameterNames} */
    Parameters(ModelConfig config, Map<String, Tensor> tensors) {
        this.config = config;
        this.names = tensors.keySet().toArray(new String[0]);
        this.tensors = tensors.values().toArray(new Tensor[0]);
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /**
     * Zero-valued parameters for a configuration, e.g. to be filled from a file and handed to
     * {@link Model#withParameters}.
     *
     * @param config the model's shape
     * @return every tensor the configuration has, all zeros
     */
    public static Parameters zeros(ModelConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int h = config.hiddenSize();
        for (int l = 0; l < config.layers(); l++) {
            for (int d = 0; d < config.directions(); d++) {
                boolean reverse = d == 1;
                tensors.put(ParameterNames.inputWeights(l, reverse), Tensor.zeros(h, config.layerInputSize(l)));
                tensors.put(ParameterNames.recurrentWeights(l, reverse), Tensor.zeros(h, h));
                if (config.bias()) {
                    tensors.put(ParameterNames.bias(l, reverse), Tensor.zeros(h));
                }
            }
        }
        if (config.hasHead()) {
            tensors.put(ParameterNames.HEAD_WEIGHTS, Tensor.zeros(config.outputSize(), config.featureSize()));
            if (config.headBias()) {
                tensors.put(ParameterNames.HEAD_BIAS, Tensor.zeros(config.outputSize()));
            }
        }
        return new Parameters(config, tensors);
    }

    /** @return the configuration these tensors belong to */
    public ModelConfig config() {
        return config;
    }

    /** @return the number of tensors */
    public int count() {
        return tensors.length;
    }

    /**
     * @param index 0 … count − 1, in the order of {@link ParameterNames}
     * @return the tensor
     */
    public Tensor get(int index) {
        if (index < 0 || index >= tensors.length) {
            throw new IllegalArgumentException("index must be in 0 … " + (tensors.length - 1) + ", got " + index);
        }
        return tensors[index];
    }

    /**
     * @param name a name from {@link ParameterNames}
     * @return the tensor
     * @throws IllegalArgumentException naming the known names when there is no such tensor
     */
    public Tensor get(String name) {
        Tensor t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; this model has " + byName.keySet());
        }
        return t;
    }

    /**
     * @param name a name
     * @return whether there is a tensor of that name
     */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** @return the names in order */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** @return the tensors in order, unmodifiable (their values stay live) */
    public List<Tensor> tensors() {
        return List.of(tensors);
    }

    /** @return the total number of values over all tensors */
    public long valueCount() {
        long n = 0;
        for (Tensor t : tensors) {
            n += t.size();
        }
        return n;
    }

    /**
     * Copies every value of another set with the same names and shapes into this one.
     *
     * @param source the values to copy
     * @throws IllegalArgumentException naming the first tensor whose name or shape differs
     */
    public void copyFrom(Parameters source) {
        requireSameShapes(source, "source");
        for (int i = 0; i < tensors.length; i++) {
            System.arraycopy(source.tensors[i].data(), 0, tensors[i].data(), 0, tensors[i].size());
        }
    }

    /** @return an independent copy, same names, shapes and values */
    public Parameters copy() {
        Map<String, Tensor> copies = new LinkedHashMap<>();
        for (int i = 0; i < tensors.length; i++) {
            copies.put(names[i], Tensor.of(tensors[i].data(), tensors[i].shape()));
        }
        return new Parameters(config, copies);
    }

    /** Sets every value to zero. */
    public void zero() {
        for (Tensor t : tensors) {
            Arrays.fill(t.data(), 0f);
        }
    }

    /** @return the Euclidean norm over every value of every tensor, summed in double */
    public double norm() {
        double sum = 0;
        for (Tensor t : tensors) {
            float[] v = t.data();
            for (float x : v) {
                sum += (double) x * x;
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Fails unless another set has exactly these names and shapes, in this order (e.g. gradients
     * for these parameters).
     *
     * @param other the other set
     * @param role how to call it in the message
     * @throws IllegalArgumentException naming the first tensor that differs
     */
    public void requireSameShapes(Parameters other, String role) {
        if (other == null) {
            throw new IllegalArgumentException(role + " must not be null");
        }
        if (other.tensors.length != tensors.length) {
            throw new IllegalArgumentException(role + ": expected tensors " + byName.keySet() + ", got "
                    + other.byName.keySet());
        }
        for (int i = 0; i < tensors.length; i++) {
            if (!names[i].equals(other.names[i]) || !Arrays.equals(tensors[i].shape(), other.tensors[i].shape())) {
                throw new IllegalArgumentException(role + ": tensor " + i + " is " + other.describe(i) + ", expected "
                        + describe(i));
            }
        }
    }

    /**
     * Fails on the first value that is NaN or infinite.
     *
     * @param role how to call this set in the message
     */
    void checkFinite(String role) {
        for (int t = 0; t < tensors.length; t++) {
            float[] v = tensors[t].data();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IllegalArgumentException(role + " " + names[t] + "[" + i + "] is " + v[i]
                            + ": every value must be finite");
                }
            }
        }
    }

    /** For example {@code wx_l0[3, 2]}: a tensor's name and shape. */
    private String describe(int index) {
        return names[index] + Arrays.toString(tensors[index].shape());
    }

    /** For example {@code Parameters[wx_l0[3, 2], wh_l0[3, 3], b_l0[3]]}. */
    @Override
    public String toString() {
        StringJoiner all = new StringJoiner(", ", "Parameters[", "]");
        for (int i = 0; i < tensors.length; i++) {
            all.add(describe(i));
        }
        return all.toString();
    }
}
