package dev.elman.jmh.report;

import java.io.IOException;
import java.nio.file.Path;

/** A peers CSV file that cannot be read as the kit's output; the message names the file and line. */
public final class PeersFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the file
     * @param line the 1-based line number, or 0 for the file as a whole
     * @param problem what is wrong
     */
    public PeersFormatException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    }
}
