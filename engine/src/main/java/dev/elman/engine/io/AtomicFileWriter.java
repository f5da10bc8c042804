package dev.elman.engine.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>This is the one way Elman writes a file, from the model formats to the command line's charts
 * and the benchmark reports: how a file is replaced is decided here and nowhere else. The parent
 * directory must exist; callers that make folders create them first.
 */
public final class AtomicFileWriter {

    /** Writes a file's whole contents to a channel. */
    @FunctionalInterface
    public interface Body {
        /**
         * @param channel the temporary file, empty, positioned at its start
         * @throws IOException when writing fails (the target is then left as it was)
         */
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes a file's whole contents to a stream, for writers that only speak streams. */
    @FunctionalInterface
    public interface StreamBody {
        /**
         * @param out the temporary file; buffered by the caller if it writes in small pieces, and not
         *     to be closed (the writer closes it)
         * @throws IOException when writing fails (the target is then left as it was)
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFileWriter() {
    }

    /**
     * Replaces {@code target} with what {@code body} writes.
     *
     * @param target the file to replace or create; its directory must exist
     * @param body writes the whole contents
     * @throws IOException when the directory is missing, the body fails or the rename fails; the
     *     target is then unchanged
     */
    public static void write(Path target, Body body) throws IOException {
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

    /**
     * Replaces {@code target} with {@code text} in UTF-8.
     *
     * @param target the file to replace or create; its directory must exist
     * @param text the whole contents
     * @throws IOException as {@link #write(Path, Body)}
     */
    public static void writeText(Path target, CharSequence text) throws IOException {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(text));
        write(target, channel -> {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        });
    }

    /**
     * Replaces {@code target} with what {@code body} writes to a stream.
     *
     * @param target the file to replace or create; its directory must exist
     * @param body writes the whole contents
     * @throws IOException as {@link #write(Path, Body)}
     */
    public static void writeStream(Path target, StreamBody body) throws IOException {
        write(target, channel -> body.writeTo(new ChannelStream(channel)));
    }

    /**
     * The temporary file as a stream whose {@code close} only flushes: the writer closes the channel
     * once the contents are forced, and a body closing its stream (as PrintStream users do) must not
     * close it first.
     */
    private static final class ChannelStream extends FilterOutputStream {
        ChannelStream(FileChannel channel) {
            super(Channels.newOutputStream(channel));
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
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
