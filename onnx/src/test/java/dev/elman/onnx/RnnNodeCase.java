package dev.elman.onnx;

import com.google.protobuf.ByteString;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One ONNX {@code RNN} node as ONNX's own node tests state it: a model whose graph inputs are the
 * node's inputs (X, W, R and the optional B, sequence_lens, initial_h) and whose outputs are the
 * ones it asks for, with the values to feed. Built by the tests' own writer from random
 * attributes ({@link #random}) or given ones.
 */
final class RnnNodeCase {
    /** Sizes around the vector widths of 128-, 256- and 512-bit species, and 1. */
    static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17};

    String direction = "forward";
    List<String> activations;
    float[] alphas;
    float[] betas;
    float clip;
    int layout;
    int opset = 14;
    int steps;
    int batch;
    int input;
    int hidden;
    float[] x;
    float[] w;
    float[] r;
    float[] b;
    int[] lengths;
    float[] initialH;
    boolean wantY = true;
    boolean wantYh = true;
    String description;

    int directions() {
        return direction.equals("bidirectional") ? 2 : 1;
    }

    /** A case of random attributes and sizes; its description names them. */
    static RnnNodeCase random(long seed, boolean withClip) {
        Random random = new Random(seed);
        RnnNodeCase c = new RnnNodeCase();
        c.direction = List.of("forward", "reverse", "bidirectional").get(random.nextInt(3));
        c.opset = new int[] {7, 14, 14, 22}[random.nextInt(4)];
        c.layout = c.opset >= 14 && random.nextInt(3) == 0 ? 1 : 0;
        c.steps = 1 + random.nextInt(9);
        c.batch = new int[] {1, 1, 2, 3, 5}[random.nextInt(5)];
        c.input = SIZES[random.nextInt(SIZES.length)];
        c.hidden = SIZES[random.nextInt(SIZES.length)];
        int d = c.directions();
        List<OnnxActivation> chosen = new ArrayList<>();
        for (int k = 0; k < d; k++) {
            chosen.add(ActivationChoices.draw(random));
        }
        if (!(chosen.size() == 1 && chosen.get(0).name().equals("Tanh") && random.nextBoolean())) {
            c.activations = chosen.stream().map(OnnxActivation::name).toList();
            List<Float> alphas = new ArrayList<>();
            List<Float> betas = new ArrayList<>();
            for (OnnxActivation a : chosen) {
                if (a.takesAlpha()) {
                    alphas.add(a.alpha());
                }
                if (a.takesBeta()) {
                    betas.add(a.beta());
                }
            }
            c.alphas = alphas.isEmpty() ? null : toArray(alphas);
            c.betas = betas.isEmpty() ? null : toArray(betas);
        }
        if (withClip && random.nextInt(3) == 0) {
            c.clip = (float) (0.2 + random.nextDouble());
        }
        double scale = (0.3 + 0.9 * random.nextDouble()) / Math.sqrt(c.hidden);
        double inputScale = (0.3 + 0.9 * random.nextDouble()) / Math.sqrt(c.input);
        c.x = uniform(random, c.steps * c.batch * c.input, 1.0);
        c.w = uniform(random, d * c.hidden * c.input, inputScale);
        c.r = uniform(random, d * c.hidden * c.hidden, scale);
        if (random.nextInt(4) != 0) {
            c.b = uniform(random, d * 2 * c.hidden, 0.3);
        }
        if (random.nextBoolean()) {
            c.lengths = new int[c.batch];
            for (int i = 0; i < c.batch; i++) {
                c.lengths[i] = random.nextInt(4) == 0 ? 0 : random.nextInt(c.steps + 1);
            }
        }
        if (random.nextBoolean()) {
            c.initialH = uniform(random, d * c.batch * c.hidden, 0.8);
        }
        int outputs = random.nextInt(4);
        c.wantY = outputs != 1;
        c.wantYh = outputs != 2;
        c.description = String.format("%s %s T=%d B=%d I=%d H=%d opset %d layout %d%s%s%s%s", c.direction, chosen,
                c.steps, c.batch, c.input, c.hidden, c.opset, c.layout, c.clip > 0 ? " clip " + c.clip : "",
                c.b == null ? " no B" : "", c.lengths == null ? "" : " lengths " + Arrays.toString(c.lengths),
                c.initialH == null ? "" : " initial_h");
        return c;
    }

    private static float[] toArray(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    static float[] uniform(Random random, int n, double scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (scale * (2 * random.nextDouble() - 1));
        }
        return out;
    }

    /** The same case in layout 0 (what ONNX Runtime accepts): X and initial_h transposed. */
    RnnNodeCase timeMajor() {
        if (layout == 0) {
            return this;
        }
        RnnNodeCase c = copy();
        c.layout = 0;
        c.x = Layouts.swap01(x, batch, steps, input);
        c.initialH = initialH == null ? null : Layouts.swap01(initialH, batch, directions(), hidden);
        return c;
    }

    RnnNodeCase copy() {
        RnnNodeCase c = new RnnNodeCase();
        c.direction = direction;
        c.activations = activations;
        c.alphas = alphas;
        c.betas = betas;
        c.clip = clip;
        c.layout = layout;
        c.opset = opset;
        c.steps = steps;
        c.batch = batch;
        c.input = input;
        c.hidden = hidden;
        c.x = x;
        c.w = w;
        c.r = r;
        c.b = b;
        c.lengths = lengths;
        c.initialH = initialH;
        c.wantY = wantY;
        c.wantYh = wantYh;
        c.description = description;
        return c;
    }

    /** The values to feed, by graph input name. */
    Map<String, GraphTensor> feeds() {
        Map<String, GraphTensor> m = new LinkedHashMap<>();
        int d = directions();
        m.put("X", GraphTensor.ofFloats(x, layout == 0 ? new int[] {steps, batch, input} : new int[] {batch, steps, input}));
        m.put("W", GraphTensor.ofFloats(w, d, hidden, input));
        m.put("R", GraphTensor.ofFloats(r, d, hidden, hidden));
        if (b != null) {
            m.put("B", GraphTensor.ofFloats(b, d, 2 * hidden));
        }
        if (lengths != null) {
            m.put("sequence_lens", GraphTensor.ofLongs(Arrays.stream(lengths).asLongStream().toArray(), batch));
        }
        if (initialH != null) {
            m.put("initial_h", GraphTensor.ofFloats(initialH, layout == 0 ? new int[] {d, batch, hidden}
                    : new int[] {batch, d, hidden}));
        }
        return m;
    }

    /** The model: one RNN node, its inputs the graph's inputs. */
    ModelProto model() {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType("RNN").setName("rnn");
        List<String> inputs = new ArrayList<>(List.of("X", "W", "R", b != null ? "B" : "",
                lengths != null ? "sequence_lens" : "", initialH != null ? "initial_h" : ""));
        while (inputs.get(inputs.size() - 1).isEmpty()) {
            inputs.remove(inputs.size() - 1);
        }
        node.addAllInput(inputs);
        node.addOutput(wantY ? "Y" : "");
        if (wantYh) {
            node.addOutput("Y_h");
        }
        node.addAttribute(AttributeProto.newBuilder().setName("hidden_size").setType(AttributeProto.AttributeType.INT)
                .setI(hidden));
        if (!direction.equals("forward") || layout == 1) {
            node.addAttribute(string("direction", direction));
        }
        if (activations != null) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName("activations")
                    .setType(AttributeProto.AttributeType.STRINGS);
            activations.forEach(s -> a.addStrings(ByteString.copyFrom(s, StandardCharsets.UTF_8)));
            node.addAttribute(a);
        }
        if (alphas != null) {
            node.addAttribute(floats("activation_alpha", alphas));
        }
        if (betas != null) {
            node.addAttribute(floats("activation_beta", betas));
        }
        if (clip > 0) {
            node.addAttribute(AttributeProto.newBuilder().setName("clip").setType(AttributeProto.AttributeType.FLOAT)
                    .setF(clip));
        }
        if (layout == 1) {
            node.addAttribute(AttributeProto.newBuilder().setName("layout").setType(AttributeProto.AttributeType.INT)
                    .setI(1));
        }
        GraphProto.Builder graph = GraphProto.newBuilder().setName("rnn_node").addNode(node);
        for (Map.Entry<String, GraphTensor> e : feeds().entrySet()) {
            graph.addInput(value(e.getKey(), e.getValue().isFloat() ? TensorProto.DataType.FLOAT_VALUE
                    : TensorProto.DataType.INT32_VALUE, e.getValue().shape()));
        }
        int d = directions();
        if (wantY) {
            graph.addOutput(value("Y", TensorProto.DataType.FLOAT_VALUE,
                    layout == 0 ? new int[] {steps, d, batch, hidden} : new int[] {batch, steps, d, hidden}));
        }
        if (wantYh) {
            graph.addOutput(value("Y_h", TensorProto.DataType.FLOAT_VALUE,
                    layout == 0 ? new int[] {d, batch, hidden} : new int[] {batch, d, hidden}));
        }
        return ModelProto.newBuilder().setIrVersion(opset >= 21 ? 10 : 7).setProducerName("elman-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
    }

    /** The model with W, R and B stored as initializers (what an importable file holds); X alone is fed. */
    ModelProto storedWeights() {
        ModelProto m = model();
        GraphProto.Builder graph = m.getGraph().toBuilder().clearInput();
        for (ValueInfoProto value : m.getGraph().getInputList()) {
            switch (value.getName()) {
                case "W" -> graph.addInitializer(TensorCodec.floats("W", w, directions(), hidden, input));
                case "R" -> graph.addInitializer(TensorCodec.floats("R", r, directions(), hidden, hidden));
                case "B" -> graph.addInitializer(TensorCodec.floats("B", b, directions(), 2 * hidden));
                default -> graph.addInput(value);
            }
        }
        return m.toBuilder().setGraph(graph).build();
    }

    private static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
    }

    private static AttributeProto floats(String name, float[] values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            a.addFloats(v);
        }
        return a.build();
    }

    static ValueInfoProto value(String name, int type, int... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int dim : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
    }

    @Override
    public String toString() {
        return description;
    }
}
