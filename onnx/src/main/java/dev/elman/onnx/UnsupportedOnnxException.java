package dev.elman.onnx;

/**
 * A well-formed ONNX model that asks for something Elman does not compute: an operator outside
 * the supported set, an attribute or attribute value it does not implement, an opset outside
 * 7 … 22, an element type it does not read. The message names the node, the operator or the
 * attribute.
 */
public final class UnsupportedOnnxException extends OnnxException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is not supported, naming the node, operator or attribute
     */
    public UnsupportedOnnxException(String message) {
        super(message);
    }
}
