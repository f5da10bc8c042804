package dev.elman.onnx;

import dev.elman.engine.KernelSelection;
import dev.elman.engine.io.AtomicFileWriter;
import dev.elman.engine.model.Model;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.onnx.proto.ModelProto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * ONNX files in and out of Elman.
 *
 * <h2>Import</h2>
 * {@link #read(Path)} makes an Elman {@link Model} of an {@code .onnx} file whose graph is a stack
 * of {@code RNN} nodes with an optional linear head: what {@code torch.onnx.export} writes for an
 * {@code nn.RNN} (time- or batch-major, one or two directions, with or without {@code h0}, with an
 * {@code nn.Linear} after it), or a single {@code RNN} node. ONNX keeps two biases per direction;
 * the model's one bias is their sum {@code Wb + Rb}. Weights stored as float16 or bfloat16 widen to
 * float32 exactly; float64 weights narrow by round-to-nearest-even. The graph is evaluated once on
 * a seeded input against the model built from it, so a graph computing anything else is refused
 * rather than imported wrongly. What Elman does not compute (an operator outside the set
 * {@code torch.onnx.export} uses around RNN nodes, an attribute, an activation, an opset outside
 * 7 … 22) is refused with an {@link UnsupportedOnnxException} naming the node and the operator or
 * attribute; a malformed file (truncated or corrupt protobuf, sizes that do not match the data,
 * external data outside the model's folder, shapes that do not fit) with an {@link OnnxException}
 * naming the file and the field.
 *
 * <p>Per-call settings of the operator are not part of a model: {@code sequence_lens} are the
 * lengths of a {@link dev.elman.engine.model.SequenceBatch}, {@code initial_h} the initial states
 * of {@link Model#forward(dev.elman.engine.model.SequenceBatch, float[])}.
 *
 * <h2>Export</h2>
 * {@link #toBytes(Model)} and {@link #write(Model, Path)} write a model as ONNX (opset 14) that
 * ONNX Runtime runs with the model's outputs: input {@code X [sequence, batch, I]} (time-major),
 * outputs {@code Y [sequence, batch, W]} and {@code h_n [L·D, batch, H]}; with
 * {@link #toBytes(Model, boolean)} also the input {@code h0 [L·D, batch, H]}, the initial states in
 * PyTorch's layout.
 */
public final class OnnxModels {
    private OnnxModels() {
    }

    /**
     * Imports an ONNX model on the JVM's selected kernels.
     *
     * @param file an {@code .onnx} file
     * @return the Elman model it holds
     * @throws UnsupportedOnnxException when the graph asks for something Elman does not compute
     * @throws OnnxException when the file is malformed
     * @throws IOException when it cannot be read
     */
    public static Model read(Path file) throws IOException {
        return read(file, KernelSelection.kernels());
    }

    /**
     * Imports an ONNX model on the given kernels.
     *
     * @param file an {@code .onnx} file
     * @param kernels the implementation the model computes with
     * @return the Elman model it holds
     * @throws UnsupportedOnnxException when the graph asks for something Elman does not compute
     * @throws OnnxException when the file is malformed
     * @throws IOException when it cannot be read
     */
    public static Model read(Path file, RecurrentKernels kernels) throws IOException {
        ModelProto proto = OnnxFiles.readModel(file);
        GraphEvaluator graph = GraphEvaluator.load(proto, file, kernels);
        return ModelRecognizer.recognize(graph, file.toString(), kernels);
    }

    /**
     * A model as an ONNX file's bytes, without an initial-state input (states start at zero).
     *
     * @param model the model
     * @return the serialized {@code ModelProto}
     * @throws IllegalArgumentException when the model uses an activation ONNX's RNN lacks
     */
    public static byte[] toBytes(Model model) {
        return toBytes(model, false);
    }

    /**
     * A model as an ONNX file's bytes.
     *
     * @param model the model
     * @param initialStateInput whether the graph takes the initial states as a second input
     *     {@code h0 [L·D, batch, H]} (as a streaming step needs); without it they are zero
     * @return the serialized {@code ModelProto}
     * @throws IllegalArgumentException when the model uses an activation ONNX's RNN lacks
     */
    public static byte[] toBytes(Model model, boolean initialStateInput) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        return OnnxExporter.export(model, initialStateInput).toByteArray();
    }

    /**
     * Writes a model as an ONNX file, atomically (a reader never sees half a file; on failure the
     * previous file is kept).
     *
     * @param model the model
     * @param file the {@code .onnx} file to write; its directory must exist
     * @throws IOException when the file cannot be written
     * @throws IllegalArgumentException when the model uses an activation ONNX's RNN lacks
     */
    public static void write(Model model, Path file) throws IOException {
        write(model, file, false);
    }

    /**
     * Writes a model as an ONNX file, atomically.
     *
     * @param model the model
     * @param file the {@code .onnx} file to write; its directory must exist
     * @param initialStateInput whether the graph takes the initial states as an input (see {@link #toBytes(Model, boolean)})
     * @throws IOException when the file cannot be written
     * @throws IllegalArgumentException when the model uses an activation ONNX's RNN lacks
     */
    public static void write(Model model, Path file, boolean initialStateInput) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(toBytes(model, initialStateInput));
        AtomicFileWriter.write(file, channel -> {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        });
    }
}
