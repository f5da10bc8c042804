package dev.elman.engine.io;

import java.nio.file.Path;

/**
 * A well-formed file holding a value that must be finite and is not (NaN or an infinity in a
 * model's weights): bad data rather than a damaged file, so a command line reports it as it reports
 * a NaN in an input, as a problem with what it was given.
 */
public final class NonFiniteValueException extends MalformedFileException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the file
     * @param tensor the tensor holding the value, or null
     * @param field the header field, or null
     * @param problem which element, and its value
     */
    public NonFiniteValueException(Path file, String tensor, String field, String problem) {
        super(file, tensor, field, problem);
    }
}
