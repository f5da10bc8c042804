package dev.elman.engine.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file so that readers see either the old contents or the complete new contents, never
 * a mixture and never nothing, even if the program dies part-way: the body is written to a
 * temporary file in the target's directory (the same file system, so the rename below is
 * possible), forced to the storage device, and renamed over the target in one atomic step; the
 * directory is then forced so the rename itself survives a crash. A failure deletes the temporary
 * file and leaves the old file as it was. A crash can leave a stray {@code .name.*.tmp} file, never
 * a damaged target.
 */
final class AtomicFileWriter {

    /** Writes a file's whole contents to a channel. */
    @FunctionalInterface
    interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFileWriter() {
    }

    static void write(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        if (directory == null) {
            throw new IOException(target + ": cannot write a file without a parent directory");
        }
        Path temporary = createTemporary(directory, absolute.getFileName().toString());
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                body.writeTo(channel);
                channel.force(true);
            }
            // No fallback to a non-atomic move: in the same directory the rename is always
            // possible, and a copy could lose the old file when interrupted.
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable failure) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        forceDirectory(directory);
    }

    /** Created with CREATE_NEW so that the file has the default permissions, as the target would. */
    private static Path createTemporary(Path directory, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = directory.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return candidate;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 9) {
                    throw e;
                }
            }
        }
    }

    /**
     * Makes the rename durable. Some platforms (Windows) cannot open a directory for forcing; there
     * the rename is as durable as the platform makes it, and the file contents were forced anyway.
     */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException unsupported) {
            // Best effort, see above.
        }
    }
}
