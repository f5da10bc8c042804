package dev.elman.engine.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * What an output path names, and so how {@link AtomicFileWriter} must write it: standard output
 * ({@code -}), a device or pipe (written as a stream, in place), or a regular file, existing or
 * not (replaced atomically where it really lives: symbolic links are followed to their final
 * target, so the rename happens in that target's folder and the link stays a link).
 *
 * @param given the path as the caller gave it, for messages
 * @param kind how it is written
 * @param file the file to write: the final target of any symbolic links (for {@link Kind#REPLACE}),
 *     the path to open (for {@link Kind#STREAM}), null for standard output
 * @param permissions the existing regular file's POSIX permissions, kept by the replacement; null
 *     when the file is new or the file system has none
 */
record OutputTarget(Path given, Kind kind, Path file, Set<PosixFilePermission> permissions) {
    /** The path that means standard output, as in most Unix tools. */
    static final String STANDARD_OUTPUT = "-";

    /** How a target is written. */
    enum Kind {
        /** {@code -}: {@code System.out}, flushed, never closed. */
        STANDARD_OUTPUT,
        /** A character device or a FIFO: opened for writing and written in place, no rename. */
        STREAM,
        /** A regular file, or none yet: a temporary file beside it, renamed over it. */
        REPLACE
    }

    /** Links followed before giving up, as Linux does (ELOOP after 40). */
    private static final int MAX_LINKS = 40;

    // The file type bits of st_mode, as "unix:mode" reports them.
    private static final int TYPE_MASK = 0170000;
    private static final int SOCKET = 0140000;
    private static final int BLOCK_DEVICE = 0060000;
    private static final int CHARACTER_DEVICE = 0020000;
    private static final int FIFO = 0010000;

    /**
     * Works out what {@code path} names.
     *
     * @throws IOException naming the path when it cannot be written safely: a directory, a socket,
     *     a block device, a loop of links or a folder that does not exist
     */
    static OutputTarget of(Path path) throws IOException {
        if (path.toString().equals(STANDARD_OUTPUT)) {
            return new OutputTarget(path, Kind.STANDARD_OUTPUT, null, null);
        }
        Path file = path.toAbsolutePath();
        for (int links = 0; Files.isSymbolicLink(file); links++) {
            if (links == MAX_LINKS) {
                throw new IOException(path + ": more than " + MAX_LINKS + " symbolic links (a loop?); cannot write it");
            }
            Path parent = file.getParent();
            Path realParent = parent == null ? null : parent.toRealPath();
            if (realParent != null && realParent.startsWith("/proc")) {
                // /dev/stdout, /dev/fd/N and /proc/self/fd/N are not paths but open descriptors: the
                // link text ("pipe:[1234]") is no file to rename over; opening the link reaches the
                // descriptor itself.
                return stream(path, file);
            }
            Path link = Files.readSymbolicLink(file);
            file = realParent == null ? link : realParent.resolve(link);
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Path folder = file.getParent();
            if (folder == null || !Files.isDirectory(folder)) {
                throw new NoSuchFileException(path.toString(), null, "cannot write it: the folder "
                        + (folder == null ? "" : folder + " ") + "does not exist");
            }
            return new OutputTarget(path, Kind.REPLACE, file, null);
        }
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(path + " is a directory; name a file to write");
        }
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return new OutputTarget(path, Kind.REPLACE, file, permissionsOf(file));
        }
        return special(path, file);
    }

    /** A device, FIFO or socket: written as a stream where that is safe, refused otherwise. */
    private static OutputTarget special(Path given, Path file) throws IOException {
        Integer mode = unixMode(file);
        if (mode == null) {
            // No st_mode on this platform: whatever is neither file nor folder is written in place.
            return stream(given, file);
        }
        return switch (mode & TYPE_MASK) {
            case CHARACTER_DEVICE, FIFO -> stream(given, file);
            case SOCKET -> throw new IOException(given + " is a socket; Elman writes files, devices and pipes, not sockets");
            case BLOCK_DEVICE -> throw new IOException(given + " is a block device (a disk); write to a file on it instead");
            default -> throw new IOException(given + " is neither a file, a device nor a pipe; cannot write it");
        };
    }

    private static OutputTarget stream(Path given, Path file) {
        return new OutputTarget(given, Kind.STREAM, file, null);
    }

    private static Integer unixMode(Path file) {
        try {
            return (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return null;
        }
    }

    private static Set<PosixFilePermission> permissionsOf(Path file) {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions();
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
    }
}
