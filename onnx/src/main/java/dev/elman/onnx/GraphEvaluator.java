package dev.elman.onnx;

import dev.elman.onnx.proto.GraphProto;
import dev.elman.onnx.proto.ModelProto;
import dev.elman.onnx.proto.NodeProto;
import dev.elman.onnx.proto.OperatorSetIdProto;
import dev.elman.onnx.proto.TensorProto;
import dev.elman.onnx.proto.TensorShapeProto;
import dev.elman.onnx.proto.ValueInfoProto;
import dev.elman.kernels.RecurrentKernels;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates an ONNX graph of RNN nodes and the operators {@code torch.onnx.export} surrounds them
 * with, node by node in the file's (topological) order, RNN nodes on Elman models.
 *
 * <p>A small interpreter rather than pattern matching: torch's exports vary with the version, the
 * options and the model (batch_first, one or two directions, h0 given or not, a head or none), and
 * an interpreter of the dozen operators involved runs every variant the same way, including graphs
 * no pattern anticipated, while refusing anything outside that set by node and operator. Loading
 * checks everything that does not depend on the inputs: the opset (7 … 22), every operator,
 * every RNN node's attributes, that every value a node reads is defined before it, and the
 * initializers' sizes.
 */
final class GraphEvaluator {
    static final int MIN_OPSET = 7;
    static final int MAX_OPSET = 22;
    private static final Set<String> OPERATORS = Set.of("RNN", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat",
            "ConstantOfShape", "Expand", "Slice", "Transpose", "Reshape", "Identity", "Constant", "Cast", "MatMul", "Add",
            "Gemm");

    private final Path file;
    private final GraphProto graph;
    private final long opset;
    private final Map<String, GraphTensor> initializers = new HashMap<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final RecurrentKernels kernels;

    private GraphEvaluator(ModelProto model, Path file, RecurrentKernels kernels) throws OnnxException {
        this.file = file;
        this.graph = model.getGraph();
        this.kernels = kernels;
        this.opset = opset(model, file);
        TensorCodec.Budget budget = new TensorCodec.Budget();
        Path folder = file.toAbsolutePath().getParent();
        for (TensorProto t : graph.getInitializerList()) {
            String where = file + ": initializer '" + t.getName() + "'";
            if (initializers.put(t.getName(), TensorCodec.decode(t, folder, where, budget)) != null) {
                throw new OnnxException(where + " is given twice");
            }
        }
        Set<String> defined = new HashSet<>(initializers.keySet());
        for (ValueInfoProto input : graph.getInputList()) {
            if (!initializers.containsKey(input.getName())) {
                inputs.add(input);
                defined.add(input.getName());
            }
        }
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            String name = nodeName(i);
            if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
                throw new UnsupportedOnnxException(name + ": operator domain '" + node.getDomain() + "' is not supported");
            }
            if (!OPERATORS.contains(node.getOpType())) {
                throw new UnsupportedOnnxException(name + ": operator " + node.getOpType() + " is not supported (Elman runs "
                        + String.join(", ", OPERATORS.stream().sorted().toList()) + ")");
            }
            for (String in : node.getInputList()) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    throw new OnnxException(name + ": reads '" + in + "', which no input, initializer or earlier node defines");
                }
            }
            if (node.getOpType().equals("RNN")) {
                NodeAttributes attributes = new NodeAttributes(node, name);
                RnnOperator.elmanActivations(RnnOperator.parse(attributes, name, opset), name);
                attributes.refuseOthers();
                if (node.getInputCount() < 3 || node.getInput(0).isEmpty() || node.getInput(1).isEmpty()
                        || node.getInput(2).isEmpty()) {
                    throw new OnnxException(name + ": RNN needs the inputs X, W and R");
                }
            }
            for (String out : node.getOutputList()) {
                if (!out.isEmpty()) {
                    defined.add(out);
                }
            }
        }
        for (ValueInfoProto out : graph.getOutputList()) {
            if (!defined.contains(out.getName())) {
                throw new OnnxException(file + ": graph output '" + out.getName() + "' is computed by no node");
            }
            outputs.add(out.getName());
        }
    }

    static GraphEvaluator load(ModelProto model, Path file, RecurrentKernels kernels) throws OnnxException {
        return new GraphEvaluator(model, file, kernels);
    }

    private static long opset(ModelProto model, Path file) throws OnnxException {
        for (OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                long v = id.getVersion();
                if (v < MIN_OPSET || v > MAX_OPSET) {
                    throw new UnsupportedOnnxException(file + ": opset " + v + " is not supported (Elman reads opsets "
                            + MIN_OPSET + " to " + MAX_OPSET + ")");
                }
                return v;
            }
        }
        throw new OnnxException(file + ": the model imports no opset of the default ONNX domain");
    }

    private String nodeName(int i) {
        NodeProto node = graph.getNode(i);
        return file.getFileName() + ": node " + (node.getName().isEmpty() ? "#" + i : "'" + node.getName() + "'")
                + " (" + node.getOpType() + ")";
    }

    long opset() {
        return opset;
    }

    GraphProto graph() {
        return graph;
    }

    /** @return the graph inputs a caller feeds (those without an initializer), in order */
    List<ValueInfoProto> inputs() {
        return inputs;
    }

    /** @return the graph outputs, in order */
    List<String> outputs() {
        return outputs;
    }

    /** @return an initializer by name, or null */
    GraphTensor initializer(String name) {
        return initializers.get(name);
    }

    /**
     * Runs the graph.
     *
     * @param fed a value for every graph input of {@link #inputs()}, by name
     * @return every graph output, by name, in order
     */
    Map<String, GraphTensor> run(Map<String, GraphTensor> fed) throws OnnxException {
        Map<String, GraphTensor> values = new HashMap<>(initializers);
        for (ValueInfoProto input : inputs) {
            GraphTensor value = fed.get(input.getName());
            if (value == null) {
                throw new OnnxException(file + ": input '" + input.getName() + "' was not given");
            }
            checkDeclared(input, value);
            values.put(input.getName(), value);
        }
        // A graph input with an initializer takes the initializer as its default; a fed value overrides it.
        for (ValueInfoProto input : graph.getInputList()) {
            GraphTensor value = fed.get(input.getName());
            if (value != null && initializers.containsKey(input.getName())) {
                checkDeclared(input, value);
                values.put(input.getName(), value);
            }
        }
        TensorCodec.Budget budget = new TensorCodec.Budget();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            String name = nodeName(i);
            List<GraphTensor> in = new ArrayList<>();
            for (String n : node.getInputList()) {
                in.add(n.isEmpty() ? null : values.get(n));
            }
            NodeAttributes attributes = new NodeAttributes(node, name);
            GraphTensor[] out = evaluate(node.getOpType(), in, attributes, budget, name, node.getOutputCount());
            attributes.refuseOthers();
            for (int k = 0; k < node.getOutputCount(); k++) {
                String n = node.getOutput(k);
                if (!n.isEmpty()) {
                    if (k >= out.length || out[k] == null) {
                        throw new UnsupportedOnnxException(name + ": output " + k + " is not supported");
                    }
                    values.put(n, out[k]);
                }
            }
        }
        Map<String, GraphTensor> result = new LinkedHashMap<>();
        for (String out : outputs) {
            result.put(out, values.get(out));
        }
        return result;
    }

    /** Fixed dimensions the graph declares for an input must match what is fed. */
    private void checkDeclared(ValueInfoProto input, GraphTensor value) throws OnnxException {
        if (!input.hasType() || !input.getType().hasTensorType() || !input.getType().getTensorType().hasShape()) {
            return;
        }
        TensorShapeProto shape = input.getType().getTensorType().getShape();
        String declared = describe(shape);
        if (shape.getDimCount() != value.rank()) {
            throw new OnnxException(file + ": input '" + input.getName() + "' has shape " + Arrays.toString(value.shape())
                    + "; the model declares " + declared);
        }
        for (int d = 0; d < shape.getDimCount(); d++) {
            TensorShapeProto.Dimension dim = shape.getDim(d);
            if (dim.hasDimValue() && dim.getDimValue() != value.dim(d)) {
                throw new OnnxException(file + ": input '" + input.getName() + "' has shape "
                        + Arrays.toString(value.shape()) + "; the model declares " + declared);
            }
        }
        int elem = input.getType().getTensorType().getElemType();
        boolean floatDeclared = elem == 1 || elem == 10 || elem == 11 || elem == 16;
        if (elem != 0 && floatDeclared != value.isFloat()) {
            throw new OnnxException(file + ": input '" + input.getName() + "' is a " + value.kind()
                    + " tensor; the model declares element type " + elem);
        }
    }

    static String describe(TensorShapeProto shape) {
        List<String> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : shape.getDimList()) {
            dims.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : d.hasDimParam() ? d.getDimParam() : "?");
        }
        return "[" + String.join(", ", dims) + "]";
    }

    private GraphTensor[] evaluate(String op, List<GraphTensor> in, NodeAttributes a, TensorCodec.Budget budget,
                                   String node, int outputCount) throws OnnxException {
        GraphTensor x = in.isEmpty() ? null : in.get(0);
        if (x == null && !op.equals("Constant")) {
            throw new OnnxException(node + ": its first input is missing");
        }
        return switch (op) {
            case "RNN" -> {
                RnnOperator.Spec spec = RnnOperator.parse(a, node, opset);
                RnnOperator.Outputs o = RnnOperator.run(spec, node, x, in.get(1), in.get(2), optional(in, 3),
                        optional(in, 4), optional(in, 5), kernels);
                yield new GraphTensor[] {o.y(), o.yH()};
            }
            case "Shape" -> one(ShapeOperators.shape(x, a));
            case "Gather" -> one(ShapeOperators.gather(x, required(in, 1, node), a, node));
            case "Unsqueeze" -> one(ShapeOperators.unsqueeze(x, ShapeOperators.axes(a, in, 1, opset, node), node));
            case "Squeeze" -> one(ShapeOperators.squeeze(x, ShapeOperators.axes(a, in, 1, opset, node), node));
            case "Concat" -> {
                for (int i = 0; i < in.size(); i++) {
                    required(in, i, node);
                }
                yield one(ShapeOperators.concat(in, a, node));
            }
            case "ConstantOfShape" -> one(ShapeOperators.constantOfShape(x, a, budget, node));
            case "Expand" -> one(ShapeOperators.expand(x, required(in, 1, node), budget, node));
            case "Slice" -> one(ShapeOperators.slice(x, in, a, opset, node));
            case "Transpose" -> one(ShapeOperators.transpose(x, a, node));
            case "Reshape" -> one(ShapeOperators.reshape(x, required(in, 1, node), a, node));
            case "Identity" -> one(x);
            case "Constant" -> one(ShapeOperators.constant(a, budget, node));
            case "Cast" -> one(ShapeOperators.cast(x, a, node));
            case "MatMul" -> one(MathOperators.matMul(x, required(in, 1, node), node));
            case "Add" -> one(MathOperators.add(x, required(in, 1, node), node));
            case "Gemm" -> one(MathOperators.gemm(x, required(in, 1, node), optional(in, 2), a, node));
            default -> throw new UnsupportedOnnxException(node + ": operator " + op + " is not supported");
        };
    }

    private static GraphTensor[] one(GraphTensor t) {
        return new GraphTensor[] {t};
    }

    private static GraphTensor optional(List<GraphTensor> in, int i) {
        return i < in.size() ? in.get(i) : null;
    }

    private static GraphTensor required(List<GraphTensor> in, int i, String node) throws OnnxException {
        GraphTensor t = optional(in, i);
        if (t == null) {
            throw new OnnxException(node + ": input " + i + " is missing");
        }
        return t;
    }
}
