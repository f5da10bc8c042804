/**
 * ONNX import and export of Elman models, and a runner of ONNX's backend-test cases.
 *
 * <ul>
 *   <li>{@link dev.elman.onnx.OnnxModels}: {@code .onnx} → {@link dev.elman.engine.model.Model}
 *       (stacks of {@code RNN} nodes with an optional linear head, as {@code torch.onnx.export}
 *       writes them, or a single node) and back (opset 14, run by ONNX Runtime with the model's
 *       outputs).</li>
 *   <li>{@link dev.elman.onnx.OnnxTestCase}: one case in ONNX's backend-test layout, evaluated and
 *       compared with ONNX's tolerance, as {@code rnn onnx-test} prints it.</li>
 *   <li>{@link dev.elman.onnx.OnnxException} and {@link dev.elman.onnx.UnsupportedOnnxException}:
 *       a malformed file, and a well-formed one asking for what Elman does not compute.</li>
 * </ul>
 *
 * <p>Graphs are evaluated by a small interpreter of the operators {@code torch.onnx.export} puts
 * around RNN nodes (Shape, Gather, Unsqueeze, Squeeze, Concat, ConstantOfShape, Expand, Slice,
 * Transpose, Reshape, Identity, Constant, Cast, MatMul, Add, Gemm), RNN nodes on Elman's kernels
 * with every attribute of the operator (opsets 7 to 22); anything else is refused by node and
 * operator or attribute.
 */
package dev.elman.onnx;
