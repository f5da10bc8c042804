package dev.elman.engine.io;

import java.io.Serial;

/**
 * The header text is not the strict JSON this package accepts; {@link #offset()} is the byte
 * offset within the text where the problem was found. File readers turn it into a
 * {@link MalformedFileException} that names the file.
 */
final class JsonSyntaxException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    private final long offset;

    JsonSyntaxException(String problem, long offset) {
        super(problem + " at byte " + offset);
        this.offset = offset;
    }

    long offset() {
        return offset;
    }
}
