package dev.elman.flink;

import dev.elman.engine.model.Model;

import java.io.Serializable;

/**
 * Where a task gets its model. It is serialised into the job graph and {@link #load() loaded} once
 * per parallel task when the task opens (and again after every restart), so it should describe the
 * model (a path) rather than hold it.
 *
 * <p>{@link #file(String)} reads Elman's model file from any file system Flink can read. Other
 * formats (e.g. an ONNX import) plug in as another implementation without this module depending on
 * them.
 */
@FunctionalInterface
public interface ModelSource extends Serializable {
    /**
     * Loads the model; called on the task manager.
     *
     * @return a unidirectional model (a streaming step reads its inputs in order)
     * @throws Exception when the model cannot be read; the task then fails with it
     */
    Model load() throws Exception;

    /**
     * An Elman model file ({@link dev.elman.engine.interop.ModelFile}) at a Flink file-system URI:
     * {@code file:///models/m.elman}, {@code s3://bucket/m.elman}, {@code hdfs://…}, or a plain
     * local path. Every task manager must be able to read it.
     *
     * @param uri the model file
     * @return the source
     * @throws IllegalArgumentException when the URI is null, blank or not a valid path
     */
    static ModelSource file(String uri) {
        return new ModelFileSource(uri);
    }
}
