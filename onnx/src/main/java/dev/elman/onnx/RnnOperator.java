package dev.elman.onnx;

import dev.elman.engine.model.ForwardResult;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.engine.model.Parameters;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentKernels;

import java.util.Arrays;
import java.util.List;

/**
 * ONNX's {@code RNN} operator (opsets 7, 14 and 22), computed by Elman models.
 *
 * <p>Each direction runs as a one-layer Elman model of its own activation and the node's clip, with
 * ONNX's two biases summed into Elman's one ({@code b = Wb + Rb}, in float32). The reverse direction reads each
 * sequence backwards from its own last step: the importer reverses every sequence within its
 * length, runs it forward and reverses the outputs back, which is exactly ONNX's reverse recurrence.
 *
 * <p>{@code sequence_lens} follows ONNX Runtime: a sequence stops at its length, {@code Y} is zero
 * past it, {@code Y_h} is the state after its last real step. Two cases differ from ONNX Runtime
 * 1.29.0 on purpose: a sequence of length 0 has {@code Y_h = initial_h} (the state carried through,
 * as TensorFlow and Keras do; ONNX Runtime gives 0), and {@code layout = 1} (batch-major) is
 * supported (ONNX Runtime refuses it for RNN).
 */
final class RnnOperator {
    /** The operator's attributes, checked. */
    record Spec(int hiddenSize, String direction, OnnxActivation[] activations, float clip, int layout) {
        int directions() {
            return direction.equals("bidirectional") ? 2 : 1;
        }

        /** @return the activation of direction slot {@code d} (0 = forward or the only one) */
        OnnxActivation activation(int d) {
            return activations[d];
        }

        boolean reverseSlot(int d) {
            return direction.equals("reverse") || d == 1;
        }
    }

    private RnnOperator() {
    }

    /** Reads and checks the attributes; every attribute not read here is refused by the caller. */
    static Spec parse(NodeAttributes attributes, String node, long opset) throws OnnxException {
        long hidden = attributes.getInt("hidden_size", -1);
        if (attributes.has("hidden_size") && hidden < 1) {
            throw new OnnxException(node + ": hidden_size is " + hidden + "; it must be at least 1");
        }
        String direction = attributes.getString("direction", "forward");
        if (!List.of("forward", "reverse", "bidirectional").contains(direction)) {
            throw new OnnxException(node + ": direction '" + direction + "' is not forward, reverse or bidirectional");
        }
        int directions = direction.equals("bidirectional") ? 2 : 1;
        List<String> names = attributes.getStrings("activations");
        OnnxActivation.Parameters parameters = new OnnxActivation.Parameters(attributes.getFloats("activation_alpha"),
                attributes.getFloats("activation_beta"));
        OnnxActivation[] activations = new OnnxActivation[directions];
        if (names == null) {
            Arrays.fill(activations, new OnnxActivation("Tanh", 0f, 0f));
        } else if (names.size() == directions) {
            for (int d = 0; d < directions; d++) {
                activations[d] = parameters.next(names.get(d), node);
            }
        } else if (names.size() == 1) {
            // One function for both directions: what ONNX Runtime accepts, read as the same for each.
            OnnxActivation one = parameters.next(names.get(0), node);
            Arrays.fill(activations, one);
        } else {
            throw new OnnxException(node + ": activations lists " + names.size() + " functions " + names
                    + "; a " + direction + " RNN takes " + directions);
        }
        parameters.requireUsedUp(node);
        float clip = attributes.getFloat("clip", 0f);
        if (attributes.has("clip") && !(clip > 0f)) {
            throw new OnnxException(node + ": clip is " + clip + "; it must be above 0");
        }
        if (clip == Float.POSITIVE_INFINITY) {
            // A bound no pre-activation reaches: no clip.
            clip = 0f;
        }
        long layout = 0;
        if (attributes.has("layout")) {
            if (opset < 14) {
                throw new OnnxException(node + ": attribute 'layout' arrived in opset 14; this model imports opset " + opset);
            }
            layout = attributes.getInt("layout", 0);
            if (layout != 0 && layout != 1) {
                throw new OnnxException(node + ": layout is " + layout + "; it must be 0 or 1");
            }
        }
        return new Spec((int) hidden, direction, activations, clip, (int) layout);
    }

    /**
     * Checks that Elman computes every activation of the node, naming the one it does not.
     *
     * @return the Elman activation of each direction slot
     */
    static Activation[] elmanActivations(Spec spec, String node) throws UnsupportedOnnxException {
        Activation[] out = new Activation[spec.directions()];
        for (int d = 0; d < out.length; d++) {
            out[d] = spec.activation(d).toElman(node);
        }
        return out;
    }

    /** The operator's outputs; either may be null when the node does not ask for it. */
    record Outputs(GraphTensor y, GraphTensor yH) {
    }

    /**
     * Runs the operator.
     *
     * @param x {@code [T, B, I]} (layout 0) or {@code [B, T, I]} (layout 1)
     * @param w {@code [D, H, I]}
     * @param r {@code [D, H, H]}
     * @param b {@code [D, 2H]} or null for zeros
     * @param lengths {@code [B]} integers, or null for T each
     * @param initialH {@code [D, B, H]} (layout 0) or {@code [B, D, H]} (layout 1), or null for zeros
     */
    static Outputs run(Spec spec, String node, GraphTensor x, GraphTensor w, GraphTensor r, GraphTensor b,
                       GraphTensor lengths, GraphTensor initialH, RecurrentKernels kernels) throws OnnxException {
        Activation[] activations = elmanActivations(spec, node);
        requireFloat(x, "X", node);
        requireFloat(w, "W", node);
        requireFloat(r, "R", node);
        if (x.rank() != 3) {
            throw new OnnxException(node + ": X has shape " + Arrays.toString(x.shape()) + "; expected rank 3 "
                    + (spec.layout() == 0 ? "[seq_length, batch_size, input_size]" : "[batch_size, seq_length, input_size]"));
        }
        int steps = spec.layout() == 0 ? x.dim(0) : x.dim(1);
        int batch = spec.layout() == 0 ? x.dim(1) : x.dim(0);
        int input = x.dim(2);
        int directions = spec.directions();
        if (w.rank() != 3 || w.dim(0) != directions || w.dim(2) != input) {
            throw new OnnxException(node + ": W has shape " + Arrays.toString(w.shape()) + "; expected [" + directions
                    + ", hidden_size, " + input + "] for a " + spec.direction() + " RNN reading " + input + " features");
        }
        int hidden = w.dim(1);
        if (spec.hiddenSize() > 0 && spec.hiddenSize() != hidden) {
            throw new OnnxException(node + ": hidden_size is " + spec.hiddenSize() + " but W has shape "
                    + Arrays.toString(w.shape()));
        }
        if (hidden < 1 || input < 1 || batch < 1) {
            throw new UnsupportedOnnxException(node + ": an RNN with an empty dimension (X " + Arrays.toString(x.shape())
                    + ", W " + Arrays.toString(w.shape()) + ") is not supported");
        }
        requireShape(r, "R", node, directions, hidden, hidden);
        if (b != null) {
            requireFloat(b, "B", node);
            requireShape(b, "B", node, directions, 2 * hidden);
        }
        int[] lens = null;
        if (lengths != null) {
            if (lengths.isFloat()) {
                throw new OnnxException(node + ": sequence_lens is a float tensor; expected int32");
            }
            requireShape(lengths, "sequence_lens", node, batch);
            lens = new int[batch];
            for (int i = 0; i < batch; i++) {
                long v = lengths.longs()[i];
                if (v < 0 || v > steps) {
                    throw new OnnxException(node + ": sequence_lens[" + i + "] = " + v + " is outside 0 … " + steps
                            + " (seq_length)");
                }
                lens[i] = (int) v;
            }
        }
        float[] h0 = null;
        if (initialH != null) {
            requireFloat(initialH, "initial_h", node);
            if (spec.layout() == 0) {
                requireShape(initialH, "initial_h", node, directions, batch, hidden);
                h0 = initialH.floats();
            } else {
                requireShape(initialH, "initial_h", node, batch, directions, hidden);
                h0 = Layouts.swap01(initialH.floats(), batch, directions, hidden);
            }
        }
        float[] timeMajor = spec.layout() == 0 ? x.floats() : Layouts.swap01(x.floats(), batch, steps, input);

        Broadcast.checkSize(new int[] {steps, directions, batch, hidden}, node);
        float[] y = new float[steps * directions * batch * hidden];
        float[] yH = new float[directions * batch * hidden];
        for (int d = 0; d < directions; d++) {
            boolean reverse = spec.reverseSlot(d);
            float[] state0 = h0 == null ? null : Arrays.copyOfRange(h0, d * batch * hidden, (d + 1) * batch * hidden);
            if (steps == 0) {
                if (state0 != null) {
                    System.arraycopy(state0, 0, yH, d * batch * hidden, batch * hidden);
                }
                continue;
            }
            float[] xs = reverse ? Layouts.reverseWithin(timeMajor, steps, batch, input, lens) : timeMajor;
            ForwardResult result;
            try (Model model = direction(w, r, b, d, input, hidden, activations[d], spec.clip(), kernels)) {
                result = model.forward(new SequenceBatch(xs, steps, batch, input, lens), state0);
            } catch (IllegalArgumentException e) {
                throw new OnnxException(node + ": " + e.getMessage(), e);
            }
            float[] out = reverse ? Layouts.reverseWithin(result.output(), steps, batch, hidden, lens) : result.output();
            for (int t = 0; t < steps; t++) {
                System.arraycopy(out, t * batch * hidden, y, (t * directions + d) * batch * hidden, batch * hidden);
            }
            System.arraycopy(result.finalStates(), 0, yH, d * batch * hidden, batch * hidden);
        }
        if (spec.layout() == 0) {
            return new Outputs(GraphTensor.ofFloats(y, steps, directions, batch, hidden),
                    GraphTensor.ofFloats(yH, directions, batch, hidden));
        }
        // [T, D, B, H] → [B, T, D, H]; [D, B, H] → [B, D, H].
        float[] yb = new float[y.length];
        for (int t = 0; t < steps; t++) {
            for (int d = 0; d < directions; d++) {
                for (int s = 0; s < batch; s++) {
                    System.arraycopy(y, ((t * directions + d) * batch + s) * hidden, yb,
                            ((s * steps + t) * directions + d) * hidden, hidden);
                }
            }
        }
        return new Outputs(GraphTensor.ofFloats(yb, batch, steps, directions, hidden),
                GraphTensor.ofFloats(Layouts.swap01(yH, directions, batch, hidden), batch, directions, hidden));
    }

    /** One direction as a one-layer Elman model: {@code Wx = W[d]}, {@code Wh = R[d]}, {@code b = Wb[d] + Rb[d]}. */
    private static Model direction(GraphTensor w, GraphTensor r, GraphTensor b, int d, int input, int hidden,
                                   Activation activation, float clip, RecurrentKernels kernels) {
        ModelConfig config = ModelConfig.builder().inputSize(input).hiddenSize(hidden).activation(activation).clip(clip)
                .bias(true).build();
        Parameters parameters = Parameters.zeros(config);
        System.arraycopy(w.floats(), d * hidden * input, parameters.get(ParameterNames.inputWeights(0, false)).data(), 0,
                hidden * input);
        System.arraycopy(r.floats(), d * hidden * hidden, parameters.get(ParameterNames.recurrentWeights(0, false)).data(),
                0, hidden * hidden);
        if (b != null) {
            float[] bias = parameters.get(ParameterNames.bias(0, false)).data();
            float[] both = b.floats();
            for (int i = 0; i < hidden; i++) {
                bias[i] = both[d * 2 * hidden + i] + both[d * 2 * hidden + hidden + i];
            }
        }
        return Model.withParameters(parameters, kernels);
    }

    static void requireFloat(GraphTensor t, String name, String node) throws OnnxException {
        if (!t.isFloat()) {
            throw new OnnxException(node + ": " + name + " is an integer tensor; expected float");
        }
    }

    static void requireShape(GraphTensor t, String name, String node, int... dims) throws OnnxException {
        if (!Arrays.equals(t.shape(), dims)) {
            throw new OnnxException(node + ": " + name + " has shape " + Arrays.toString(t.shape()) + "; expected "
                    + Arrays.toString(dims));
        }
    }
}
