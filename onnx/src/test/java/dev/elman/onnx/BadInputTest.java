package dev.elman.onnx;

import com.google.protobuf.ByteString;
import dev.elman.onnx.proto.ModelProto;
import dev.elman.onnx.proto.NodeProto;
import dev.elman.onnx.proto.StringStringEntryProto;
import dev.elman.onnx.proto.TensorProto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad files get one clear line naming the file and the field, never an OutOfMemoryError or a
 * half-computed result: truncated and corrupt protobuf, declared sizes beyond the data, external
 * data outside the model's folder, mismatched shapes; what Elman does not compute is refused by
 * node and operator or attribute.
 */
class BadInputTest {
    @TempDir
    Path folder;

    @Test
    void aTruncatedModelNamesTheFile() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.torch().resolve("torch_tanh_zero_state/model.onnx"));
        for (int cut : new int[] {1, 7, bytes.length / 3, bytes.length / 2, bytes.length - 3}) {
            Path file = Files.write(folder.resolve("cut" + cut + ".onnx"), Arrays.copyOf(bytes, cut));
            OnnxException e = assertThrows(OnnxException.class, () -> OnnxModels.read(file));
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void garbageIsNotAModel() throws IOException {
        Path text = Files.writeString(folder.resolve("readme.onnx"), "this is not protobuf at all, just text\n");
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxModels.read(text));
        assertTrue(e.getMessage().contains("readme.onnx"), e.getMessage());
        Path empty = Files.write(folder.resolve("empty.onnx"), new byte[0]);
        assertTrue(assertThrows(OnnxException.class, () -> OnnxModels.read(empty)).getMessage().contains("no graph"));
    }

    @Test
    void hugeDeclaredSizesAreRefusedBeforeAllocating() throws OnnxException {
        TensorProto huge = TensorProto.newBuilder().setName("W").setDataType(1).addDims(1 << 20).addDims(1 << 20)
                .setRawData(ByteString.copyFrom(new byte[16])).build();
        OnnxException e = assertThrows(OnnxException.class,
                () -> TensorCodec.decode(huge, null, "m.onnx: initializer 'W'", new TensorCodec.Budget()));
        assertTrue(e.getMessage().contains("more elements than a Java array holds"), e.getMessage());

        TensorProto lying = TensorProto.newBuilder().setName("W").setDataType(1).addDims(1000).addDims(1000)
                .setRawData(ByteString.copyFrom(new byte[16])).build();
        e = assertThrows(OnnxException.class,
                () -> TensorCodec.decode(lying, null, "m.onnx: initializer 'W'", new TensorCodec.Budget()));
        assertEquals("m.onnx: initializer 'W': raw_data holds 16 bytes; its shape [1000, 1000] needs 4000000", e.getMessage());

        TensorProto negative = TensorProto.newBuilder().setName("W").setDataType(1).addDims(-3).build();
        assertThrows(OnnxException.class, () -> TensorCodec.decode(negative, null, "w", new TensorCodec.Budget()));

        TensorProto.Builder many = TensorProto.newBuilder().setName("W").setDataType(1).addDims(1 << 28);
        TensorCodec.Budget budget = new TensorCodec.Budget();
        budget.take(TensorCodec.MAX_TOTAL_ELEMENTS - 10, "earlier tensors");
        e = assertThrows(OnnxException.class, () -> TensorCodec.decode(many.build(), null, "m.onnx: 'W'", budget));
        assertTrue(e.getMessage().contains("more tensor data than Elman reads"), e.getMessage());
    }

    @Test
    void hugeIntermediateResultsAreRefusedBeforeAllocating() throws OnnxException {
        NodeAttributes none = new NodeAttributes(NodeProto.getDefaultInstance(), "m.onnx: node 'big' (ConstantOfShape)");
        GraphTensor shape = GraphTensor.ofLongs(new long[] {1 << 20, 1 << 20}, 2);
        OnnxException e = assertThrows(OnnxException.class,
                () -> ShapeOperators.constantOfShape(shape, none, new TensorCodec.Budget(), "m.onnx: node 'big'"));
        assertTrue(e.getMessage().startsWith("m.onnx: node 'big': its result [1048576, 1048576] would hold more than"),
                e.getMessage());
        GraphTensor column = GraphTensor.ofFloats(new float[1 << 16], 1 << 16, 1);
        GraphTensor row = GraphTensor.ofFloats(new float[1 << 16], 1, 1 << 16);
        assertThrows(OnnxException.class, () -> MathOperators.add(column, row, "m.onnx: node 'add'"));
    }

    @Test
    void typedDataOfTheWrongCountIsRefused() {
        TensorProto t = TensorProto.newBuilder().setDataType(1).addDims(3).addFloatData(1).addFloatData(2).build();
        OnnxException e = assertThrows(OnnxException.class, () -> TensorCodec.decode(t, null, "x.pb", new TensorCodec.Budget()));
        assertEquals("x.pb: float_data holds 2 values; its shape needs 3", e.getMessage());
    }

    @Test
    void halfAndDoublePrecisionWeightsConvertByTheStatedRule() throws OnnxException {
        // float16 1.0, −2.0, 65504 (its largest), a subnormal: widened exactly.
        short[] halves = {0x3c00, (short) 0xc000, 0x7bff, 0x0001};
        TensorProto.Builder half = TensorProto.newBuilder().setDataType(10).addDims(4);
        for (short s : halves) {
            half.addInt32Data(s & 0xffff);
        }
        float[] widened = TensorCodec.decode(half.build(), null, "h", new TensorCodec.Budget()).floats();
        assertEquals(List.of(1f, -2f, 65504f, 0x1p-24f), List.of(widened[0], widened[1], widened[2], widened[3]));
        // float64: round to nearest even; 1 + 2⁻²⁴ is halfway between 1 and 1 + 2⁻²³ and goes to 1 (even).
        TensorProto doubles = TensorProto.newBuilder().setDataType(11).addDims(3).addDoubleData(1 + 0x1p-24)
                .addDoubleData(1 + 3 * 0x1p-24).addDoubleData(0.1).build();
        float[] narrowed = TensorCodec.decode(doubles, null, "d", new TensorCodec.Budget()).floats();
        assertEquals(List.of(1f, 1 + 0x1p-22f, 0.1f), List.of(narrowed[0], narrowed[1], narrowed[2]));
        TensorProto tooLarge = TensorProto.newBuilder().setDataType(11).addDims(1).addDoubleData(1e300).build();
        assertTrue(assertThrows(OnnxException.class, () -> TensorCodec.decode(tooLarge, null, "d", new TensorCodec.Budget()))
                .getMessage().contains("beyond float32's range"));
    }

    @Test
    void externalDataIsReadOnlyInsideTheModelsFolder() throws IOException {
        Path model = Files.createDirectories(folder.resolve("model"));
        Path outside = Files.write(folder.resolve("secret.bin"), new byte[16]);
        Files.write(model.resolve("weights.bin"), new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40});
        Files.createSymbolicLink(model.resolve("link.bin"), outside);
        for (String location : List.of("../secret.bin", outside.toString(), "link.bin", "sub/../../secret.bin")) {
            TensorProto t = external(location, 0, 4);
            OnnxException e = assertThrows(OnnxException.class, () -> TensorCodec.decode(t, model, "m.onnx: 'W'",
                    new TensorCodec.Budget()));
            assertTrue(e.getMessage().contains("outside the model's folder") || e.getMessage().contains("absolute"),
                    location + ": " + e.getMessage());
        }
        assertEquals(2f, TensorCodec.decode(external("weights.bin", 4, 1), model, "w", new TensorCodec.Budget()).floats()[0]);
        OnnxException e = assertThrows(OnnxException.class, () -> TensorCodec.decode(external("weights.bin", 4, 4),
                model, "m.onnx: 'W'", new TensorCodec.Budget()));
        assertTrue(e.getMessage().contains("holds 8 bytes; the tensor needs 16 from offset 4"), e.getMessage());
    }

    private static TensorProto external(String location, long offset, int elements) {
        return TensorProto.newBuilder().setName("W").setDataType(1).addDims(elements)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)))
                .build();
    }

    @Test
    void mismatchedShapesNameTheInput() throws Exception {
        RnnNodeCase c = RnnNodeCase.random(3, false);
        GraphEvaluator graph = GraphEvaluator.load(c.model(), Path.of("case.onnx"), Kernels.all().get(0));
        var feeds = c.feeds();
        feeds.put("W", GraphTensor.ofFloats(new float[c.directions() * c.hidden * (c.input + 1)], c.directions(), c.hidden, c.input + 1));
        OnnxException e = assertThrows(OnnxException.class, () -> graph.run(feeds));
        assertTrue(e.getMessage().startsWith("case.onnx: input 'W' has shape"), e.getMessage());
    }

    @Test
    void unsupportedOperatorsAndAttributesAreNamed() throws IOException {
        RnnNodeCase c = RnnNodeCase.random(5, false);
        ModelProto lstm = c.model().toBuilder().setGraph(c.model().getGraph().toBuilder()
                .setNode(0, c.model().getGraph().getNode(0).toBuilder().setOpType("LSTM"))).build();
        UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class,
                () -> GraphEvaluator.load(lstm, Path.of("m.onnx"), Kernels.all().get(0)));
        assertTrue(e.getMessage().startsWith("m.onnx: node 'rnn' (LSTM): operator LSTM is not supported"), e.getMessage());

        NodeProto node = c.model().getGraph().getNode(0).toBuilder().addAttribute(
                dev.elman.onnx.proto.AttributeProto.newBuilder().setName("output_sequence").setType(
                        dev.elman.onnx.proto.AttributeProto.AttributeType.INT).setI(1)).build();
        ModelProto extra = c.model().toBuilder().setGraph(c.model().getGraph().toBuilder().setNode(0, node)).build();
        e = assertThrows(UnsupportedOnnxException.class, () -> GraphEvaluator.load(extra, Path.of("m.onnx"),
                Kernels.all().get(0)));
        assertEquals("m.onnx: node 'rnn' (RNN): attribute 'output_sequence' is not supported", e.getMessage());

        for (long opset : new long[] {6, 23}) {
            ModelProto old = c.model().toBuilder().setOpsetImport(0, c.model().getOpsetImport(0).toBuilder().setVersion(opset))
                    .build();
            e = assertThrows(UnsupportedOnnxException.class, () -> GraphEvaluator.load(old, Path.of("m.onnx"),
                    Kernels.all().get(0)));
            assertTrue(e.getMessage().contains("opset " + opset + " is not supported"), e.getMessage());
        }
    }

    @Test
    void backendCasesReportFailAndUnsupportedInOneLine() throws IOException {
        RnnNodeCase c = RnnNodeCase.random(11, false);
        c.wantY = false;
        c.wantYh = true;
        c.lengths = null;
        c.direction = "forward";
        c.layout = 0;
        c.opset = 14;
        c.activations = null;
        c.alphas = null;
        c.betas = null;
        c.w = Arrays.copyOf(c.w, c.hidden * c.input);
        c.r = Arrays.copyOf(c.r, c.hidden * c.hidden);
        c.b = null;
        c.initialH = null;
        float[] yH = RnnReference.run(c)[1].clone();
        yH[yH.length - 1] += 0.5f;
        Path wrong = BackendCases.write(folder.resolve("wrong"), c.model(), new ArrayList<>(c.feeds().values()),
                List.of(GraphTensor.ofFloats(yH, 1, c.batch, c.hidden)));
        OnnxTestCase.Result result = OnnxTestCase.run(wrong);
        assertEquals(OnnxTestCase.Status.FAIL, result.status());
        assertTrue(result.line().startsWith("FAIL wrong: output 'Y_h' (#0): worst error 0.500"), result.line());

        ModelProto lstm = c.model().toBuilder().setGraph(c.model().getGraph().toBuilder()
                .setNode(0, c.model().getGraph().getNode(0).toBuilder().setOpType("GRU"))).build();
        Path gru = BackendCases.write(folder.resolve("gru"), lstm, new ArrayList<>(c.feeds().values()),
                List.of(GraphTensor.ofFloats(yH, 1, c.batch, c.hidden)));
        result = OnnxTestCase.run(gru);
        assertEquals(OnnxTestCase.Status.UNSUPPORTED, result.status());
        assertTrue(result.line().startsWith("UNSUPPORTED gru: model.onnx: node 'rnn' (GRU): operator GRU"), result.line());

        Path missing = Files.createDirectories(folder.resolve("missing"));
        result = OnnxTestCase.run(missing);
        assertEquals("FAIL missing: no model.onnx in " + missing, result.line());

        Files.write(gru.resolve("model.onnx"), new byte[] {8, 7, 0x3a, 100, 1});
        result = OnnxTestCase.run(gru);
        assertEquals(OnnxTestCase.Status.FAIL, result.status());
        assertTrue(result.line().contains("not a valid ONNX model (truncated or corrupt protobuf"), result.line());
    }
}
