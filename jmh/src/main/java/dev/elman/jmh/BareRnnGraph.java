package dev.elman.jmh;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmarks' ONNX graph for ONNX Runtime: the onnx module's export of a one-layer model
 * reduced to its single {@code RNN} node. The exporter writes what {@code torch.onnx.export} writes
 * (a {@code Slice} of {@code h0} per layer, a {@code Squeeze} of {@code Y}, an {@code Identity}, a
 * {@code Concat} of the final states); ORT's optimiser (level ALL) keeps all but the Identity, and
 * each is one more kernel and one more copy per run on top of the RNN node's own work, none of which
 * the work units include. The work units are one RNN node ({@code X [T, B, I] → Y [T, 1, B, H]}; for the step,
 * {@code initial_h [1, 1, H] → Y_h [1, 1, H]}), so that is what ORT gets: the exporter's node itself
 * — its weights, bias and attributes untouched — wired straight to the graph's inputs and outputs.
 *
 * <p>The rewrite works on the protobuf wire format by ONNX's field numbers (the public contract the
 * onnx module's schema follows): the onnx module keeps its generated classes to itself.
 */
final class BareRnnGraph {
    // ModelProto
    private static final int MODEL_GRAPH = 7;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int GRAPH_VALUE_INFO = 13;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_OP_TYPE = 4;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    // TensorProto
    private static final int TENSOR_NAME = 8;
    /** The RNN node's input slot of {@code initial_h}. */
    private static final int INITIAL_H = 5;

    private BareRnnGraph() {
    }

    /**
     * @param exported an ONNX model of one single-direction layer without head, as the onnx module
     *     exports it: graph inputs {@code X} and optionally the initial state, graph outputs the
     *     sequence and the final state
     * @return the same model with the RNN node alone: its {@code initial_h} (when the graph has the
     *     state input) is that input, its {@code Y} and {@code Y_h} are the graph's outputs under the
     *     graph's output names, {@code Y} declared {@code [T, 1, B, H]}; the initializers it does not
     *     use are dropped
     * @throws IllegalArgumentException when the model is not such a graph (naming what differs)
     */
    static byte[] of(byte[] exported) {
        UnknownFieldSet model = parse(exported, "the exported model");
        UnknownFieldSet graph = parse(single(model, MODEL_GRAPH, "the model's graph"), "the graph");
        List<UnknownFieldSet> rnns = new ArrayList<>();
        for (ByteString node : repeated(graph, GRAPH_NODE)) {
            UnknownFieldSet parsed = parse(node, "a node");
            if (strings(parsed, NODE_OP_TYPE).equals(List.of("RNN"))) {
                rnns.add(parsed);
            }
        }
        if (rnns.size() != 1) {
            throw new IllegalArgumentException("expected the export of one layer, one RNN node; the graph has " + rnns.size());
        }
        UnknownFieldSet rnn = rnns.getFirst();
        List<ByteString> graphInputs = repeated(graph, GRAPH_INPUT);
        List<ByteString> graphOutputs = repeated(graph, GRAPH_OUTPUT);
        if (graphInputs.isEmpty() || graphInputs.size() > 2 || graphOutputs.size() != 2) {
            throw new IllegalArgumentException("expected graph inputs X [and the initial state] and outputs Y and the"
                    + " final state; the graph has " + graphInputs.size() + " inputs and " + graphOutputs.size() + " outputs");
        }
        List<String> inputs = new ArrayList<>(strings(rnn, NODE_INPUT));
        inputs.set(0, name(graphInputs.get(0)));
        if (graphInputs.size() == 2) {
            while (inputs.size() <= INITIAL_H) {
                inputs.add("");
            }
            inputs.set(INITIAL_H, name(graphInputs.get(1)));
        }
        String sequence = name(graphOutputs.get(0));
        String state = name(graphOutputs.get(1));
        UnknownFieldSet node = rnn.toBuilder()
                .clearField(NODE_INPUT).mergeField(NODE_INPUT, strings(inputs))
                .clearField(NODE_OUTPUT).mergeField(NODE_OUTPUT, strings(List.of(sequence, state)))
                .build();
        Set<String> used = new HashSet<>(inputs);
        UnknownFieldSet.Field.Builder initializers = UnknownFieldSet.Field.newBuilder();
        for (ByteString tensor : repeated(graph, GRAPH_INITIALIZER)) {
            if (used.contains(strings(parse(tensor, "an initializer"), TENSOR_NAME).getFirst())) {
                initializers.addLengthDelimited(tensor);
            }
        }
        UnknownFieldSet bare = graph.toBuilder()
                .clearField(GRAPH_NODE).mergeField(GRAPH_NODE, field(node.toByteString()))
                .clearField(GRAPH_INITIALIZER).mergeField(GRAPH_INITIALIZER, initializers.build())
                .clearField(GRAPH_VALUE_INFO)
                .clearField(GRAPH_OUTPUT).mergeField(GRAPH_OUTPUT, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(withDirectionAxis(graphOutputs.get(0)))
                        .addLengthDelimited(graphOutputs.get(1)).build())
                .build();
        return model.toBuilder().clearField(MODEL_GRAPH).mergeField(MODEL_GRAPH, field(bare.toByteString())).build()
                .toByteArray();
    }

    /** A sequence output {@code [T, B, F]} as the RNN node writes it: {@code [T, 1, B, F]}. */
    private static ByteString withDirectionAxis(ByteString valueInfo) {
        UnknownFieldSet value = parse(valueInfo, "a graph output");
        UnknownFieldSet type = parse(single(value, VALUE_TYPE, "the output's type"), "the output's type");
        UnknownFieldSet tensor = parse(single(type, TYPE_TENSOR, "the output's tensor type"), "the output's tensor type");
        UnknownFieldSet shape = parse(single(tensor, TENSOR_SHAPE, "the output's shape"), "the output's shape");
        List<ByteString> dims = new ArrayList<>(repeated(shape, SHAPE_DIM));
        if (dims.size() != 3) {
            throw new IllegalArgumentException("expected the sequence output of rank 3 [T, B, F], got rank " + dims.size());
        }
        dims.add(1, UnknownFieldSet.newBuilder().mergeField(DIM_VALUE, UnknownFieldSet.Field.newBuilder()
                .addVarint(1).build()).build().toByteString());
        UnknownFieldSet.Field.Builder newDims = UnknownFieldSet.Field.newBuilder();
        dims.forEach(newDims::addLengthDelimited);
        UnknownFieldSet newShape = shape.toBuilder().clearField(SHAPE_DIM).mergeField(SHAPE_DIM, newDims.build()).build();
        UnknownFieldSet newTensor = tensor.toBuilder().clearField(TENSOR_SHAPE)
                .mergeField(TENSOR_SHAPE, field(newShape.toByteString())).build();
        UnknownFieldSet newType = type.toBuilder().clearField(TYPE_TENSOR)
                .mergeField(TYPE_TENSOR, field(newTensor.toByteString())).build();
        return value.toBuilder().clearField(VALUE_TYPE).mergeField(VALUE_TYPE, field(newType.toByteString())).build()
                .toByteString();
    }

    private static UnknownFieldSet parse(byte[] bytes, String what) {
        try {
            return UnknownFieldSet.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(what + " is not a protobuf message: " + e.getMessage(), e);
        }
    }

    private static UnknownFieldSet parse(ByteString bytes, String what) {
        return parse(bytes.toByteArray(), what);
    }

    private static ByteString single(UnknownFieldSet message, int number, String what) {
        List<ByteString> values = repeated(message, number);
        if (values.size() != 1) {
            throw new IllegalArgumentException("expected one " + what + ", found " + values.size());
        }
        return values.getFirst();
    }

    private static List<ByteString> repeated(UnknownFieldSet message, int number) {
        return message.hasField(number) ? message.getField(number).getLengthDelimitedList() : List.of();
    }

    private static String name(ByteString valueInfo) {
        List<String> names = strings(parse(valueInfo, "a graph input or output"), VALUE_NAME);
        if (names.size() != 1) {
            throw new IllegalArgumentException("a graph input or output without a name");
        }
        return names.getFirst();
    }

    private static List<String> strings(UnknownFieldSet message, int number) {
        return repeated(message, number).stream().map(ByteString::toStringUtf8).toList();
    }

    private static UnknownFieldSet.Field strings(List<String> values) {
        UnknownFieldSet.Field.Builder field = UnknownFieldSet.Field.newBuilder();
        values.forEach(v -> field.addLengthDelimited(ByteString.copyFrom(v, StandardCharsets.UTF_8)));
        return field.build();
    }

    private static UnknownFieldSet.Field field(ByteString message) {
        return UnknownFieldSet.Field.newBuilder().addLengthDelimited(message).build();
    }
}
