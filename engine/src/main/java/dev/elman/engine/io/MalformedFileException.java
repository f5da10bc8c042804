package dev.elman.engine.io;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A file is not a valid file of the format being read: truncated, corrupt, hostile, or using a
 * feature this package does not support. The message names the file, and where it applies the
 * tensor and the header field at fault, the value expected and the value found.
 */
public class MalformedFileException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String tensor;
    private final String field;
    private final String problem;

    /** A problem with the file as a whole (length, magic bytes, checksum, header syntax). */
    public MalformedFileException(Path file, String problem) {
        this(file, null, null, problem);
    }

    /**
     * A problem with one tensor's entry or one header field.
     *
     * @param tensor the tensor's name, or null if the problem is not about one tensor
     * @param field  the header field, or null if the problem is not about one field
     */
    public MalformedFileException(Path file, String tensor, String field, String problem) {
        super(describe(file, tensor, field, problem));
        this.file = String.valueOf(file);
        this.tensor = tensor;
        this.field = field;
        this.problem = problem;
    }

    private static String describe(Path file, String tensor, String field, String problem) {
        StringBuilder sb = new StringBuilder().append(file);
        if (tensor != null) {
            sb.append(": tensor '").append(tensor).append('\'');
        }
        if (field != null) {
            sb.append(tensor != null ? ", " : ": ").append("field '").append(field).append('\'');
        }
        return sb.append(": ").append(problem).toString();
    }

    /** The file that failed to read. */
    public Path file() {
        return Path.of(file);
    }

    /** The tensor at fault, if the problem is about one tensor. */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }

    /** The header field at fault, if the problem is about one field. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** The problem alone, without the file, tensor and field. */
    public String problem() {
        return problem;
    }
}
