package dev.elman.flink;

import dev.elman.engine.interop.ModelFile;
import dev.elman.engine.model.Model;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * {@link ModelSource#file(String)}: an Elman model file read through Flink's file systems.
 *
 * <p>A local file is loaded where it is. A remote one (S3, HDFS, …) is copied to a temporary local
 * file first, because the model file reader verifies the whole file (checksum, lengths) from a
 * local path; the copy is deleted once the model is loaded.
 */
final class ModelFileSource implements ModelSource {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String uri;

    ModelFileSource(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("model file URI must not be null or blank");
        }
        try {
            new Path(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file URI '" + uri + "' is not a valid path: " + e.getMessage(), e);
        }
        this.uri = uri;
    }

    @Override
    public Model load() throws IOException {
        Path path = new Path(uri);
        FileSystem fileSystem = path.getFileSystem();
        if (!fileSystem.isDistributedFS() && "file".equals(fileSystem.getUri().getScheme())) {
            return ModelFile.load(java.nio.file.Path.of(path.toUri().getPath())).model();
        }
        java.nio.file.Path local = Files.createTempFile("elman-model-", ".elman");
        try {
            try (FSDataInputStream in = fileSystem.open(path); InputStream source = in) {
                Files.copy(source, local, StandardCopyOption.REPLACE_EXISTING);
            }
            return ModelFile.load(local).model();
        } finally {
            Files.deleteIfExists(local);
        }
    }

    @Override
    public String toString() {
        return "Elman model file " + uri;
    }
}
