package dev.elman.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.elman.onnx.proto.ModelProto;
import dev.elman.onnx.proto.TensorProto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Parses {@code .onnx} models and {@code .pb} tensors from files, turning every protobuf failure
 * (truncated, corrupt, not protobuf at all) into one {@link OnnxException} line naming the file.
 * Files above protobuf's 2 GiB message limit are refused before reading.
 */
final class OnnxFiles {
    /** protobuf's limit on one message. */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE;

    private OnnxFiles() {
    }

    static ModelProto readModel(Path file) throws IOException {
        try (InputStream in = open(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            ModelProto model = ModelProto.parseFrom(coded);
            coded.checkLastTagWas(0);
            if (!model.hasGraph()) {
                throw new OnnxException(file + ": not an ONNX model (no graph); is it a .onnx file?");
            }
            return model;
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxException(file + ": not a valid ONNX model (truncated or corrupt protobuf: "
                    + e.getMessage() + ")", e);
        }
    }

    static TensorProto readTensor(Path file) throws IOException {
        try (InputStream in = open(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            return TensorProto.parseFrom(coded);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxException(file + ": not a valid ONNX tensor (truncated or corrupt protobuf: "
                    + e.getMessage() + ")", e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new OnnxException(file + " is a directory, not an ONNX file");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new OnnxException(file + ": " + size + " bytes, more than one protobuf message may hold (2 GiB);"
                    + " keep large weights as external data");
        }
        return Files.newInputStream(file);
    }
}
