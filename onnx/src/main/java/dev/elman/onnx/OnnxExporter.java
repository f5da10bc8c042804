package dev.elman.onnx;

import com.google.protobuf.ByteString;
import dev.elman.engine.model.Merge;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.engine.model.Parameters;
import dev.elman.onnx.proto.AttributeProto;
import dev.elman.onnx.proto.GraphProto;
import dev.elman.onnx.proto.ModelProto;
import dev.elman.onnx.proto.NodeProto;
import dev.elman.onnx.proto.OperatorSetIdProto;
import dev.elman.onnx.proto.TensorProto;
import dev.elman.onnx.proto.TensorShapeProto;
import dev.elman.onnx.proto.TypeProto;
import dev.elman.onnx.proto.ValueInfoProto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an Elman {@link Model} as an ONNX graph (opset 14, IR version 7, what ONNX Runtime and
 * {@code onnx.checker} of ONNX 1.12 both accept), in the shape {@code torch.onnx.export} gives an
 * {@code nn.RNN}: one {@code RNN} node per layer (its direction, each direction's activation and
 * the model's clip as attributes; {@code W = Wx}, {@code R = Wh}, {@code B = [b, 0]}:
 * Elman's one bias goes to {@code Wb}, {@code Rb} is zero), Transpose + Reshape between layers
 * ({@code [T, D, B, H] → [T, B, D·H]}; Slice + Add + Squeeze for a bidirectional sum), a Concat of
 * the final states, and MatMul (+ Add) for the head.
 *
 * <p>Inputs: {@code X [sequence, batch, I]} and, when asked for, {@code h0 [L·D, batch, H]} (sliced
 * per layer; without it the states start at zero). Outputs: {@code Y [sequence, batch, W]} (the
 * head's output, or the top layer's features) and {@code h_n [L·D, batch, H]}, PyTorch's layouts.
 */
final class OnnxExporter {
    static final long OPSET = 14;
    static final long IR_VERSION = 7;

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("elman");
    private final ModelConfig config;
    private final Parameters parameters;

    private OnnxExporter(Model model) {
        this.config = model.config();
        this.parameters = model.parameters();
    }

    static ModelProto export(Model model, boolean initialState) {
        return new OnnxExporter(model).build(initialState);
    }

    private ModelProto build(boolean initialState) {
        int h = config.hiddenSize();
        int d = config.directions();
        int layers = config.layers();
        graph.addInput(value("X", "sequence", "batch", config.inputSize()));
        if (initialState) {
            graph.addInput(value("h0", layers * d, "batch", h));
        }
        String x = "X";
        List<String> states = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            String layer = "l" + l;
            int input = config.layerInputSize(l);
            float[] w = new float[d * h * input];
            float[] r = new float[d * h * h];
            float[] b = new float[d * 2 * h];
            for (int k = 0; k < d; k++) {
                boolean reverse = k == 1;
                System.arraycopy(parameters.get(ParameterNames.inputWeights(l, reverse)).data(), 0, w, k * h * input, h * input);
                System.arraycopy(parameters.get(ParameterNames.recurrentWeights(l, reverse)).data(), 0, r, k * h * h, h * h);
                if (config.bias()) {
                    System.arraycopy(parameters.get(ParameterNames.bias(l, reverse)).data(), 0, b, k * 2 * h, h);
                }
            }
            graph.addInitializer(TensorCodec.floats("W_" + layer, w, d, h, input));
            graph.addInitializer(TensorCodec.floats("R_" + layer, r, d, h, h));
            String h0 = "";
            if (initialState) {
                h0 = "h0_" + layer;
                graph.addInitializer(TensorCodec.longs("h0_start_" + layer, new long[] {(long) l * d}, 1));
                graph.addInitializer(TensorCodec.longs("h0_end_" + layer, new long[] {(long) (l + 1) * d}, 1));
                graph.addInitializer(TensorCodec.longs("h0_axes_" + layer, new long[] {0}, 1));
                graph.addNode(node("Slice", "slice_h0_" + layer, List.of("h0", "h0_start_" + layer, "h0_end_" + layer,
                        "h0_axes_" + layer), List.of(h0)));
            }
            List<String> inputs = new ArrayList<>(List.of(x, "W_" + layer, "R_" + layer));
            if (config.bias() || initialState) {
                if (config.bias()) {
                    graph.addInitializer(TensorCodec.floats("B_" + layer, b, d, 2 * h));
                }
                inputs.add(config.bias() ? "B_" + layer : "");
            }
            if (initialState) {
                inputs.add("");
                inputs.add(h0);
            }
            NodeProto.Builder rnn = node("RNN", "rnn_" + layer, inputs, List.of("Y_" + layer, "Y_h_" + layer)).toBuilder();
            rnn.addAttribute(AttributeProto.newBuilder().setName("hidden_size").setType(AttributeProto.AttributeType.INT).setI(h));
            rnn.addAttribute(string("direction", config.direction().label()));
            if (config.clip() > 0f) {
                rnn.addAttribute(AttributeProto.newBuilder().setName("clip").setType(AttributeProto.AttributeType.FLOAT)
                        .setF(config.clip()));
            }
            AttributeProto.Builder names = AttributeProto.newBuilder().setName("activations")
                    .setType(AttributeProto.AttributeType.STRINGS);
            AttributeProto.Builder alphas = AttributeProto.newBuilder().setName("activation_alpha")
                    .setType(AttributeProto.AttributeType.FLOATS);
            AttributeProto.Builder betas = AttributeProto.newBuilder().setName("activation_beta")
                    .setType(AttributeProto.AttributeType.FLOATS);
            for (int k = 0; k < d; k++) {
                OnnxActivation activation = OnnxActivation.of(config.directionActivation(k));
                names.addStrings(ByteString.copyFrom(activation.name(), StandardCharsets.UTF_8));
                if (activation.takesAlpha()) {
                    alphas.addFloats(activation.alpha());
                }
                if (activation.takesBeta()) {
                    betas.addFloats(activation.beta());
                }
            }
            rnn.addAttribute(names);
            if (alphas.getFloatsCount() > 0) {
                rnn.addAttribute(alphas);
            }
            if (betas.getFloatsCount() > 0) {
                rnn.addAttribute(betas);
            }
            graph.addNode(rnn);
            states.add("Y_h_" + layer);
            x = features(layer, d);
        }
        String y = x;
        if (config.hasHead()) {
            int f = config.featureSize();
            int o = config.outputSize();
            float[] wy = parameters.get(ParameterNames.HEAD_WEIGHTS).data();
            float[] transposed = new float[f * o];
            for (int i = 0; i < o; i++) {
                for (int j = 0; j < f; j++) {
                    transposed[j * o + i] = wy[i * f + j];
                }
            }
            graph.addInitializer(TensorCodec.floats("head_weight", transposed, f, o));
            String product = config.headBias() ? "head_product" : "Y";
            graph.addNode(node("MatMul", "head_matmul", List.of(x, "head_weight"), List.of(product)));
            if (config.headBias()) {
                graph.addInitializer(TensorCodec.floats("head_bias", parameters.get(ParameterNames.HEAD_BIAS).data().clone(), o));
                graph.addNode(node("Add", "head_add", List.of(product, "head_bias"), List.of("Y")));
            }
            y = "Y";
        }
        if (!y.equals("Y")) {
            graph.addNode(node("Identity", "output", List.of(y), List.of("Y")));
        }
        NodeProto.Builder concat = node("Concat", "final_states", states, List.of("h_n")).toBuilder();
        concat.addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(0));
        graph.addNode(concat);
        graph.addOutput(value("Y", "sequence", "batch", config.outputWidth()));
        graph.addOutput(value("h_n", config.layers() * d, "batch", h));
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("elman")
                .setProducerVersion("0.1.0")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
    }

    /** {@code Y [T, D, B, H]} of a layer → its features {@code [T, B, F]}; returns the value's name. */
    private String features(String layer, int d) {
        String y = "Y_" + layer;
        if (d == 1) {
            // [T, 1, B, H] → [T, B, H]: Squeeze axis 1 (an input from opset 13).
            graph.addInitializer(TensorCodec.longs("axis1_" + layer, new long[] {1}, 1));
            graph.addNode(node("Squeeze", "squeeze_" + layer, List.of(y, "axis1_" + layer), List.of("F_" + layer)));
            return "F_" + layer;
        }
        if (config.merge() == Merge.SUM) {
            for (int k = 0; k < 2; k++) {
                graph.addInitializer(TensorCodec.longs("start" + k + "_" + layer, new long[] {k}, 1));
                graph.addInitializer(TensorCodec.longs("end" + k + "_" + layer, new long[] {k + 1}, 1));
            }
            graph.addInitializer(TensorCodec.longs("axis1_" + layer, new long[] {1}, 1));
            for (int k = 0; k < 2; k++) {
                graph.addNode(node("Slice", "direction" + k + "_" + layer, List.of(y, "start" + k + "_" + layer,
                        "end" + k + "_" + layer, "axis1_" + layer), List.of("Y" + k + "_" + layer)));
            }
            graph.addNode(node("Add", "sum_" + layer, List.of("Y0_" + layer, "Y1_" + layer), List.of("S_" + layer)));
            graph.addNode(node("Squeeze", "squeeze_" + layer, List.of("S_" + layer, "axis1_" + layer), List.of("F_" + layer)));
            return "F_" + layer;
        }
        NodeProto.Builder transpose = node("Transpose", "transpose_" + layer, List.of(y), List.of("T_" + layer)).toBuilder();
        transpose.addAttribute(AttributeProto.newBuilder().setName("perm").setType(AttributeProto.AttributeType.INTS)
                .addInts(0).addInts(2).addInts(1).addInts(3));
        graph.addNode(transpose);
        graph.addInitializer(TensorCodec.longs("shape_" + layer, new long[] {0, 0, -1}, 3));
        graph.addNode(node("Reshape", "reshape_" + layer, List.of("T_" + layer, "shape_" + layer), List.of("F_" + layer)));
        return "F_" + layer;
    }

    private static NodeProto node(String op, String name, List<String> inputs, List<String> outputs) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addAllOutput(outputs).build();
    }

    private static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
    }

    /** A float tensor value; each dimension an Integer (fixed) or a String (symbolic). */
    private static ValueInfoProto value(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            shape.addDim(dim instanceof Integer i ? TensorShapeProto.Dimension.newBuilder().setDimValue(i)
                    : TensorShapeProto.Dimension.newBuilder().setDimParam((String) dim));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }
}
