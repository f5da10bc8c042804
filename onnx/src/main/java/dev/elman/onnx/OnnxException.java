package dev.elman.onnx;

import java.io.IOException;

/**
 * An ONNX file (a model or a tensor {@code .pb}) that cannot be used: truncated or corrupt
 * protobuf, a tensor whose declared size does not match its data, a reference outside the model's
 * folder, shapes that do not fit together. The message is one line naming the file and the node,
 * tensor or field at fault.
 *
 * <p>A model that is well formed but asks for something Elman does not do is the subclass
 * {@link UnsupportedOnnxException}.
 */
public class OnnxException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the file and the node, tensor or field
     */
    public OnnxException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file and the node, tensor or field
     * @param cause the underlying failure
     */
    public OnnxException(String message, Throwable cause) {
        super(message, cause);
    }
}
