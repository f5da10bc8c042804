package dev.elman.engine.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes an output so that what the user pointed at is never harmed. How depends on what the path
 * names:
 * <ul>
 *   <li>A regular file, or none yet: replaced so that readers see either the old contents or the
 *       complete new contents, never a mixture and never nothing, even if the program dies
 *       part-way. The body is written to a temporary file in the target's folder (the same file
 *       system, so the rename below is possible), forced to the storage device, given the old
 *       file's permissions, and renamed over the target in one atomic step; the folder is then
 *       forced so the rename itself survives a crash. A symbolic link is followed to its final
 *       target, which is replaced in <em>its</em> folder: the link stays a link.</li>
 *   <li>A character device ({@code /dev/null}, a terminal) or a FIFO: written in place as a
 *       stream; no rename could be right for them. So are {@code /dev/stdout} and
 *       {@code /proc/self/fd/N}, which name open descriptors rather than files.</li>
 *   <li>{@code -}: standard output ({@code System.out}), flushed and left open.</li>
 *   <li>Anything else (a directory, a socket, a block device, a loop of links, a missing folder)
 *       is refused before anything is written, with an {@link IOException} naming the path and why.</li>
 * </ul>
 * A failure deletes the temporary file and leaves the old file as it was; every failure of the
 * writer's own (a full disk, a rename refused) names the caller's path, not the temporary file. A
 * crash can leave a stray temporary file ({@code .name.<pid>.<hex>.tmp}), never a damaged target;
 * the next write to that target removes the strays of processes that have gone.
 *
 * <p>This is the one way Elman writes a file, from the model formats to the command line's charts
 * and the benchmark reports: how a file is replaced is decided here and nowhere else. The folder
 * must exist; callers that make folders create them first.
 */
public final class AtomicFileWriter {

    /** Writes a file's whole contents to a channel. */
    @FunctionalInterface
    public interface Body {
        /**
         * @param channel the output, empty and at its start: a temporary file, a device or pipe, or
         *     standard output; written sequentially
         * @throws IOException when writing fails (the target is then left as it was)
         */
        void writeTo(WritableByteChannel channel) throws IOException;
    }

    /** Writes a file's whole contents to a stream, for writers that only speak streams. */
    @FunctionalInterface
    public interface StreamBody {
        /**
         * @param out the output; buffered by the caller if it writes in small pieces, and not to be
         *     closed (the writer closes it)
         * @throws IOException when writing fails (the target is then left as it was)
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFileWriter() {
    }

    /**
     * Checks, before any work is done, that {@link #write} could write {@code target}: that it names
     * something writable (see the class comment) and, for a regular file, that a temporary file can
     * be created in its folder. Nothing is left behind.
     *
     * @param target the output path
     * @throws IOException naming the path and why it cannot be written
     */
    public static void checkWritable(Path target) throws IOException {
        OutputTarget resolved = OutputTarget.of(target);
        switch (resolved.kind()) {
            case STANDARD_OUTPUT -> { }
            case STREAM -> {
                if (!Files.isWritable(resolved.file())) {
                    throw new java.nio.file.AccessDeniedException(target.toString(), null,
                            "cannot write it: permission denied");
                }
            }
            case REPLACE -> {
                Path folder = resolved.file().getParent();
                Path probe;
                try {
                    probe = TemporaryFiles.create(folder, resolved.file().getFileName().toString());
                } catch (IOException e) {
                    throw new IOException(target + ": cannot create a file in " + folder + " (" + reason(e)
                            + "), so it cannot be written", e);
                }
                Files.deleteIfExists(probe);
            }
        }
    }

    /**
     * Writes {@code target} with what {@code body} writes: replaces a regular file atomically, writes
     * a device or pipe in place, {@code -} to standard output (see the class comment).
     *
     * @param target the file to replace or create (its folder must exist), a device or pipe, or {@code -}
     * @param body writes the whole contents
     * @throws IOException when the target cannot be written safely, the body fails or the rename
     *     fails; a regular target is then unchanged. Failures of the writer's own name {@code target}.
     */
    public static void write(Path target, Body body) throws IOException {
        OutputTarget resolved = OutputTarget.of(target);
        switch (resolved.kind()) {
            case STANDARD_OUTPUT -> writeStandardOutput(target, body);
            case STREAM -> writeInPlace(resolved, body);
            case REPLACE -> replace(resolved, body);
        }
    }

    private static void replace(OutputTarget target, Body body) throws IOException {
        Path file = target.file();
        Path folder = file.getParent();
        String name = file.getFileName().toString();
        TemporaryFiles.removeStale(folder, name);
        Path temporary;
        try {
            temporary = TemporaryFiles.create(folder, name);
        } catch (IOException e) {
            throw new IOException(target.given() + ": cannot create a file in " + folder + " (" + reason(e)
                    + "), so it cannot be written", e);
        }
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                body.writeTo(new NamedChannel(channel, target.given()));
                named(target.given(), () -> channel.force(true));
            }
            // After writing: the old file may be read-only (0444), which the temporary could then not be opened with.
            if (target.permissions() != null) {
                named(target.given(), () -> Files.setPosixFilePermissions(temporary, target.permissions()));
            }
            // No fallback to a non-atomic move: in the same folder the rename is always possible,
            // and a copy could lose the old file when interrupted.
            named(target.given(), () -> Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING));
        } catch (Throwable failure) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        forceDirectory(folder);
    }

    private static void writeInPlace(OutputTarget target, Body body) throws IOException {
        // APPEND: /dev/stdout redirected to a file must not overwrite what was printed before.
        FileChannel channel;
        try {
            channel = FileChannel.open(target.file(), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IOException(target.given() + ": cannot open it for writing (" + reason(e) + ")", e);
        }
        try (channel) {
            body.writeTo(new NamedChannel(channel, target.given()));
        }
    }

    private static void writeStandardOutput(Path target, Body body) throws IOException {
        PrintStream stdout = System.out;
        stdout.flush();
        body.writeTo(new NamedChannel(Channels.newChannel(new OutputStream() {
            @Override
            public void write(int b) {
                stdout.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                stdout.write(bytes, offset, length);
            }
        }), target));
        stdout.flush();
        if (stdout.checkError()) {
            throw new IOException("standard output (" + target + "): writing failed (closed pipe or full disk?)");
        }
    }

    /**
     * Replaces {@code target} with {@code text} in UTF-8.
     *
     * @param target as {@link #write(Path, Body)}
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
     * @param target as {@link #write(Path, Body)}
     * @param body writes the whole contents
     * @throws IOException as {@link #write(Path, Body)}
     */
    public static void writeStream(Path target, StreamBody body) throws IOException {
        write(target, channel -> body.writeTo(new ChannelStream(channel)));
    }

    /**
     * The output as a stream whose {@code close} only flushes: the writer closes the channel once
     * the contents are forced, and a body closing its stream (as PrintStream users do) must not
     * close it first.
     */
    private static final class ChannelStream extends FilterOutputStream {
        ChannelStream(WritableByteChannel channel) {
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

    /**
     * The channel the body writes to, whose failures ("No space left on device") name the user's
     * path rather than a temporary file the user never heard of.
     */
    private static final class NamedChannel implements WritableByteChannel {
        private final WritableByteChannel channel;
        private final Path target;

        NamedChannel(WritableByteChannel channel, Path target) {
            this.channel = channel;
            this.target = target;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            try {
                return channel.write(source);
            } catch (IOException e) {
                throw new IOException(target + ": writing failed (" + reason(e) + ")", e);
            }
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        /** The writer closes the underlying channel itself, after forcing it. */
        @Override
        public void close() {
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    private static void named(Path target, Step step) throws IOException {
        try {
            step.run();
        } catch (IOException e) {
            throw new IOException(target + ": writing failed (" + reason(e) + ")", e);
        }
    }

    /** The cause in words, without the temporary file's name that file-system exceptions carry. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException) {
            return e.getClass().getSimpleName().replace("Exception", "");
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
