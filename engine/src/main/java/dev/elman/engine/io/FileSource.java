package dev.elman.engine.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of a whole file as one read-only segment: small files are read onto the heap, large
 * ones memory-mapped read-only, so their tensors are views of the page cache and are copied only
 * once, into the caller's arrays.
 *
 * <p>A mapping belongs to an automatic arena: it is released when no tensor (or buffer) viewing it
 * is reachable any more, so readers need no close() and views can never outlive their memory.
 */
final class FileSource {
    /** Files up to this size are read rather than mapped: a mapping costs more than a small read. */
    static final long MAP_THRESHOLD = 1 << 20;

    private FileSource() {
    }

    /** The file's contents; {@code mapThreshold} is {@link #MAP_THRESHOLD} except in tests. */
    static MemorySegment open(Path file, long mapThreshold) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > mapThreshold) {
                return channel.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto()).asReadOnly();
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    throw new MalformedFileException(file, "the file shrank from " + size + " to " + buffer.position()
                            + " bytes while being read");
                }
            }
            return MemorySegment.ofArray(buffer.array()).asReadOnly();
        }
    }
}
