package dev.elman.onnx;

import dev.elman.engine.model.Direction;
import dev.elman.engine.model.ForwardResult;
import dev.elman.engine.model.Merge;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.engine.model.Parameters;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.onnx.proto.NodeProto;
import dev.elman.onnx.proto.TensorShapeProto;
import dev.elman.onnx.proto.ValueInfoProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns a graph of RNN nodes into one Elman {@link Model}: the RNN nodes in file order are the
 * stacked layers (their weights must be initializers), and a MatMul (or Gemm) by a stored matrix,
 * optionally followed by an Add of a stored vector, is the output head.
 *
 * <p>The structure is read loosely and then checked numerically: the graph (run by
 * {@link GraphEvaluator}) and the model must give the same first output on a seeded random input,
 * read as time-major or, for a graph that takes batch-major input, batch-major. A graph that
 * computes anything else between or after its layers fails that check and is refused, so an
 * imported model is always the network the file describes.
 */
final class ModelRecognizer {
    /** The check's agreement bound: both sides run Elman's kernels, in different groupings of the same sums. */
    private static final double CHECK_RTOL = 1e-4;
    private static final double CHECK_ATOL = 1e-5;

    private ModelRecognizer() {
    }

    static Model recognize(GraphEvaluator graph, String file, RecurrentKernels kernels) throws OnnxException {
        List<NodeProto> rnns = new ArrayList<>();
        NodeProto head = null;
        NodeProto headAdd = null;
        String headBiasName = null;
        for (NodeProto node : graph.graph().getNodeList()) {
            if (node.getOpType().equals("RNN")) {
                rnns.add(node);
            }
        }
        if (rnns.isEmpty()) {
            throw new UnsupportedOnnxException(file + ": the graph holds no RNN node, so it is no Elman model");
        }
        for (NodeProto node : graph.graph().getNodeList()) {
            boolean linear = (node.getOpType().equals("MatMul") || node.getOpType().equals("Gemm")) && node.getInputCount() >= 2
                    && graph.initializer(node.getInput(1)) != null && graph.initializer(node.getInput(1)).rank() == 2;
            if (linear) {
                if (head != null) {
                    throw new UnsupportedOnnxException(file + ": the graph has more than one linear layer; Elman models have"
                            + " one output head");
                }
                head = node;
            }
        }
        if (head != null && head.getOpType().equals("MatMul")) {
            for (NodeProto node : graph.graph().getNodeList()) {
                // torch writes the bias first (Add(bias, product)); either order is the same sum.
                if (node.getOpType().equals("Add") && node.getInputCount() == 2) {
                    int product = node.getInput(0).equals(head.getOutput(0)) ? 0
                            : node.getInput(1).equals(head.getOutput(0)) ? 1 : -1;
                    if (product >= 0 && graph.initializer(node.getInput(1 - product)) != null) {
                        headAdd = node;
                        headBiasName = node.getInput(1 - product);
                    }
                }
            }
        }

        Layer first = layer(graph, rnns.get(0), file);
        boolean bias = false;
        List<Layer> layers = new ArrayList<>();
        for (NodeProto node : rnns) {
            Layer layer = layer(graph, node, file);
            if (layer.hidden != first.hidden || !layer.spec.direction().equals(first.spec.direction())) {
                throw new UnsupportedOnnxException(file + ": RNN nodes of different sizes or directions ("
                        + node.getName() + "); an Elman model's layers share both");
            }
            if (!Arrays.equals(layer.activations, first.activations) || layer.spec.clip() != first.spec.clip()) {
                throw new UnsupportedOnnxException(file + ": RNN node '" + node.getName() + "' uses "
                        + Arrays.toString(layer.spec.activations()) + (layer.spec.clip() > 0 ? " clip " + layer.spec.clip() : "")
                        + " beside " + Arrays.toString(first.spec.activations())
                        + (first.spec.clip() > 0 ? " clip " + first.spec.clip() : "")
                        + "; the layers of an Elman model share their activations and clip");
            }
            bias |= layer.b != null;
            layers.add(layer);
        }
        Direction direction = Direction.parse(first.spec.direction());
        boolean bidirectional = first.spec.directions() == 2;
        GraphTensor wy = head == null ? null : linearWeights(graph, head, file);
        GraphTensor by = null;
        if (head != null) {
            by = head.getOpType().equals("Gemm") ? (head.getInputCount() > 2 && !head.getInput(2).isEmpty()
                    ? graph.initializer(head.getInput(2)) : null)
                    : headAdd == null ? null : graph.initializer(headBiasName);
            if (by != null && by.size() != wy.dim(1)) {
                throw new UnsupportedOnnxException(file + ": the head's bias has shape " + Arrays.toString(by.shape())
                        + "; expected [" + wy.dim(1) + "]");
            }
        }
        // What the layers above the first (or the head) read says how two directions merge: 2H
        // features are concatenated, H summed. Without either, the check below decides.
        int read = layers.size() > 1 ? layers.get(1).input : wy != null ? wy.dim(0) : -1;
        List<Merge> merges = !bidirectional ? List.of(Merge.CONCAT)
                : read == first.hidden ? List.of(Merge.SUM)
                : read == 2 * first.hidden ? List.of(Merge.CONCAT) : List.of(Merge.CONCAT, Merge.SUM);
        UnsupportedOnnxException failure = null;
        for (Merge merge : merges) {
            Activation forward = first.activations[0];
            Activation reverse = first.activations[first.activations.length - 1];
            ModelConfig.Builder builder = ModelConfig.builder().inputSize(first.input).hiddenSize(first.hidden)
                    .layers(layers.size()).direction(direction).activations(forward, reverse).clip(first.spec.clip())
                    .bias(bias);
            if (bidirectional) {
                builder.merge(merge);
            }
            if (wy != null) {
                builder.outputSize(wy.dim(1)).headBias(by != null);
            }
            ModelConfig config;
            try {
                config = builder.build();
            } catch (IllegalArgumentException e) {
                throw new UnsupportedOnnxException(file + ": " + e.getMessage());
            }
            int features = config.featureSize();
            for (int l = 1; l < layers.size(); l++) {
                if (layers.get(l).input != features) {
                    throw new UnsupportedOnnxException(file + ": RNN node '" + rnns.get(l).getName() + "' reads "
                            + layers.get(l).input + " features; stacked on the layer below it would read " + features);
                }
            }
            if (wy != null && wy.dim(0) != features) {
                throw new UnsupportedOnnxException(file + ": the head's matrix has shape " + Arrays.toString(wy.shape())
                        + "; on " + features + " features it would be [" + features + ", outputs]");
            }
            Model model = build(config, layers, wy, by, kernels, file);
            try {
                check(graph, model, file);
                return model;
            } catch (UnsupportedOnnxException e) {
                model.close();
                failure = e;
            }
        }
        throw failure;
    }

    private static Model build(ModelConfig config, List<Layer> layers, GraphTensor wy, GraphTensor by,
                               RecurrentKernels kernels, String file) throws OnnxException {
        Parameters parameters = Parameters.zeros(config);
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            for (int d = 0; d < config.directions(); d++) {
                // Parameter names: a reverse-only model's one direction keeps the forward names (d = 0).
                boolean reverse = d == 1;
                copy(layer.w, d, parameters.get(ParameterNames.inputWeights(l, reverse)).data());
                copy(layer.r, d, parameters.get(ParameterNames.recurrentWeights(l, reverse)).data());
                if (config.bias() && layer.b != null) {
                    float[] b = parameters.get(ParameterNames.bias(l, reverse)).data();
                    int h = layer.hidden;
                    for (int i = 0; i < h; i++) {
                        b[i] = layer.b.floats()[d * 2 * h + i] + layer.b.floats()[d * 2 * h + h + i];
                    }
                }
            }
        }
        if (wy != null) {
            float[] target = parameters.get(ParameterNames.HEAD_WEIGHTS).data();
            int f = wy.dim(0);
            int o = wy.dim(1);
            for (int i = 0; i < o; i++) {
                for (int j = 0; j < f; j++) {
                    target[i * f + j] = wy.floats()[j * o + i];
                }
            }
            if (by != null) {
                System.arraycopy(by.floats(), 0, parameters.get(ParameterNames.HEAD_BIAS).data(), 0, o);
            }
        }
        try {
            return Model.withParameters(parameters, kernels);
        } catch (IllegalArgumentException e) {
            throw new OnnxException(file + ": " + e.getMessage(), e);
        }
    }

    /** One RNN node's stored tensors. */
    private record Layer(RnnOperator.Spec spec, Activation[] activations, GraphTensor w, GraphTensor r, GraphTensor b,
                         int input, int hidden) {
    }

    private static Layer layer(GraphEvaluator graph, NodeProto node, String file) throws OnnxException {
        String name = file + ": node '" + node.getName() + "' (RNN)";
        NodeAttributes attributes = new NodeAttributes(node, name);
        RnnOperator.Spec spec = RnnOperator.parse(attributes, name, graph.opset());
        Activation[] activations = RnnOperator.elmanActivations(spec, name);
        GraphTensor w = stored(graph, node, 1, "W", name);
        GraphTensor r = stored(graph, node, 2, "R", name);
        GraphTensor b = node.getInputCount() > 3 && !node.getInput(3).isEmpty() ? stored(graph, node, 3, "B", name) : null;
        if (w.rank() != 3 || w.dim(0) != spec.directions()) {
            throw new OnnxException(name + ": W has shape " + Arrays.toString(w.shape()) + "; expected [" + spec.directions()
                    + ", hidden_size, input_size]");
        }
        int hidden = w.dim(1);
        RnnOperator.requireShape(r, "R", name, spec.directions(), hidden, hidden);
        if (b != null) {
            RnnOperator.requireShape(b, "B", name, spec.directions(), 2 * hidden);
        }
        return new Layer(spec, activations, w, r, b, w.dim(2), hidden);
    }

    private static GraphTensor stored(GraphEvaluator graph, NodeProto node, int index, String what, String name)
            throws OnnxException {
        GraphTensor t = graph.initializer(node.getInput(index));
        if (t == null || !t.isFloat()) {
            throw new UnsupportedOnnxException(name + ": " + what + " ('" + node.getInput(index) + "') is computed in the"
                    + " graph, not stored as a float initializer; Elman imports stored weights");
        }
        return t;
    }

    /** The head's matrix as {@code [F, O]} (MatMul's layout), from MatMul or Gemm. */
    private static GraphTensor linearWeights(GraphEvaluator graph, NodeProto head, String file) throws OnnxException {
        GraphTensor w = graph.initializer(head.getInput(1));
        if (!w.isFloat()) {
            throw new UnsupportedOnnxException(file + ": the head's matrix '" + head.getInput(1) + "' is not a float tensor");
        }
        if (head.getOpType().equals("Gemm")) {
            NodeAttributes a = new NodeAttributes(head, file + ": node '" + head.getName() + "' (Gemm)");
            boolean transposed = a.getInt("transB", 0) != 0;
            if (a.getInt("transA", 0) != 0 || a.getFloat("alpha", 1f) != 1f || a.getFloat("beta", 1f) != 1f) {
                throw new UnsupportedOnnxException(file + ": the head Gemm '" + head.getName()
                        + "' scales or transposes its input; Elman's head is y = Wy·h + by");
            }
            if (transposed) {
                w = ShapeOperators.permute(w, new int[] {1, 0});
            }
        }
        return w;
    }

    private static void copy(GraphTensor t, int d, float[] target) {
        System.arraycopy(t.floats(), d * target.length, target, 0, target.length);
    }

    /** Runs graph and model on one seeded random input and requires the graph's first output to be the model's. */
    private static void check(GraphEvaluator graph, Model model, String file) throws OnnxException {
        ModelConfig config = model.config();
        List<ValueInfoProto> inputs = graph.inputs();
        if (inputs.isEmpty()) {
            throw new UnsupportedOnnxException(file + ": the graph has no input");
        }
        Map<String, Integer> params = new HashMap<>();
        int[] xShape = concrete(inputs.get(0), params, new int[] {3, 2, config.inputSize()});
        if (xShape.length != 3 || xShape[2] != config.inputSize()) {
            throw new UnsupportedOnnxException(file + ": the first input '" + inputs.get(0).getName() + "' has shape "
                    + Arrays.toString(xShape) + "; an Elman model reads [steps, batch, " + config.inputSize() + "]");
        }
        SplittableRandom random = new SplittableRandom(20261201L);
        float[] x = new float[xShape[0] * xShape[1] * xShape[2]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        for (boolean batchMajor : new boolean[] {false, true}) {
            int steps = batchMajor ? xShape[1] : xShape[0];
            int batch = batchMajor ? xShape[0] : xShape[1];
            Map<String, GraphTensor> fed = new HashMap<>();
            fed.put(inputs.get(0).getName(), GraphTensor.ofFloats(x, xShape));
            for (ValueInfoProto other : inputs.subList(1, inputs.size())) {
                int[] shape = concrete(other, params, null);
                int elem = other.getType().getTensorType().getElemType();
                boolean integer = elem == 6 || elem == 7;
                // An integer input is sequence_lens: every sequence whole. A float one is an initial state: zeros.
                fed.put(other.getName(), integer ? GraphTensor.ofLongs(fill(shape, steps), shape)
                        : GraphTensor.ofFloats(new float[(int) GraphTensor.count(shape)], shape));
            }
            GraphTensor produced;
            try {
                produced = graph.run(fed).values().iterator().next();
            } catch (OnnxException e) {
                // The input read the other way round does not fit the graph.
                continue;
            }
            float[] timeMajor = batchMajor ? Layouts.swap01(x, batch, steps, xShape[2]) : x;
            ForwardResult result = model.forward(new SequenceBatch(timeMajor, steps, batch, config.inputSize()));
            if (!produced.isFloat()) {
                continue;
            }
            // The first output may be the model's output in either layout, a single RNN node's Y
            // ([T, D, B, H], or [B, T, D, H] which is the batch-major output), or its final states.
            List<float[]> candidates = new ArrayList<>();
            candidates.add(batchMajor ? Layouts.swap01(result.output(), steps, batch, result.width()) : result.output());
            if (!config.hasHead() && config.directions() == 2 && config.merge() == Merge.CONCAT && !batchMajor) {
                candidates.add(ShapeOperators.permute(GraphTensor.ofFloats(result.output(), steps, batch, 2,
                        config.hiddenSize()), new int[] {0, 2, 1, 3}).floats());
            }
            candidates.add(batchMajor ? Layouts.swap01(result.finalStates(), config.layers() * config.directions(), batch,
                    config.hiddenSize()) : result.finalStates());
            for (float[] expected : candidates) {
                if (produced.size() == expected.length && agrees(produced.floats(), expected)) {
                    return;
                }
            }
        }
        throw new UnsupportedOnnxException(file + ": the graph computes something other than a stack of RNN layers"
                + " with a linear head (its first output '" + graph.outputs().get(0) + "' differs from the Elman model"
                + " read from its RNN nodes); rnn onnx-test and the graph runner may still run it");
    }

    private static long[] fill(int[] shape, long value) {
        long[] out = new long[(int) GraphTensor.count(shape)];
        Arrays.fill(out, value);
        return out;
    }

    /** A declared shape with its symbolic dimensions given values: the defaults for the first input, shared names alike. */
    private static int[] concrete(ValueInfoProto input, Map<String, Integer> params, int[] defaults) throws OnnxException {
        if (!input.getType().hasTensorType() || !input.getType().getTensorType().hasShape()) {
            if (defaults == null) {
                throw new UnsupportedOnnxException("input '" + input.getName() + "' declares no shape");
            }
            return defaults;
        }
        TensorShapeProto shape = input.getType().getTensorType().getShape();
        int[] out = new int[shape.getDimCount()];
        for (int d = 0; d < out.length; d++) {
            TensorShapeProto.Dimension dim = shape.getDim(d);
            if (dim.hasDimValue()) {
                out[d] = (int) dim.getDimValue();
            } else {
                int fallback = defaults != null && d < defaults.length ? defaults[d] : 1;
                out[d] = dim.hasDimParam() ? params.computeIfAbsent(dim.getDimParam(), k -> fallback) : fallback;
            }
        }
        return out;
    }

    private static boolean agrees(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= CHECK_ATOL + CHECK_RTOL * Math.abs(b[i]))) {
                return false;
            }
        }
        return true;
    }
}
