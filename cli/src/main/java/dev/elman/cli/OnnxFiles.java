package dev.elman.cli;

import dev.elman.engine.model.Model;
import dev.elman.onnx.OnnxException;
import dev.elman.onnx.OnnxModels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How the command line reads an {@code .onnx} model wherever it takes one: imported through
 * {@link OnnxModels}, a malformed or unsupported file being a mistake in a file the user named
 * (status 2, one line naming the file and the node or field).
 */
final class OnnxFiles {
    private OnnxFiles() {
    }

    /** @return whether the path names an ONNX model (by its extension) */
    static boolean isOnnx(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /**
     * @param command for the message, e.g. {@code "rnn import"}
     * @param file the {@code .onnx} file
     * @return the Elman model it holds
     * @throws UsageException when the file is malformed or asks for what Elman does not compute
     * @throws IOException when it cannot be read
     */
    static Model read(String command, Path file) throws UsageException, IOException {
        if (Files.isDirectory(file)) {
            throw new UsageException(command + ": " + file + " is a directory, not an ONNX model");
        }
        try {
            return OnnxModels.read(file);
        } catch (OnnxException e) {
            throw new UsageException(command + ": " + e.getMessage().replace('\n', ' '), e);
        }
    }
}
