package dev.elman.engine.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The temporary files {@link AtomicFileWriter} writes beside a target, named so that they are
 * recognisably ours and whose: {@code .<target name>.<pid>.<random hex>.tmp}. A process killed
 * while writing leaves one behind; the next write to the same target removes those whose process
 * has gone, so kills do not pile up files.
 */
final class TemporaryFiles {
    private static final String SUFFIX = ".tmp";
    private static final long PID = ProcessHandle.current().pid();

    private TemporaryFiles() {
    }

    /**
     * Creates an empty temporary file for {@code name} in {@code folder} (CREATE_NEW, so with the
     * default permissions a new target would have).
     */
    static Path create(Path folder, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = folder.resolve(prefix(name) + PID + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + SUFFIX);
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
     * Removes the temporary files of {@code name} in {@code folder} left by processes that no longer
     * run. A process id can be reused: a file older than the running process of that id is stale too.
     * Best effort: what cannot be listed or deleted is left for next time.
     */
    static void removeStale(Path folder, String name) {
        String prefix = prefix(name);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder,
                entry -> isTemporaryOf(entry.getFileName().toString(), prefix))) {
            for (Path entry : entries) {
                long pid = pidOf(entry.getFileName().toString(), prefix);
                if (pid != PID && isStale(entry, pid)) {
                    Files.deleteIfExists(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort, see above.
        }
    }

    private static boolean isStale(Path file, long pid) throws IOException {
        Optional<ProcessHandle> owner = ProcessHandle.of(pid);
        if (owner.isEmpty()) {
            return true;
        }
        Optional<Instant> started = owner.get().info().startInstant();
        return started.isPresent() && started.get().isAfter(Files.getLastModifiedTime(file).toInstant());
    }

    private static String prefix(String name) {
        return "." + name + ".";
    }

    /** Whether {@code fileName} is {@code <prefix><digits>.<hex>.tmp}. */
    static boolean isTemporaryOf(String fileName, String prefix) {
        return pidOf(fileName, prefix) >= 0;
    }

    /** @return the pid in a temporary file's name, or -1 when the name is not one of ours */
    private static long pidOf(String fileName, String prefix) {
        if (!fileName.startsWith(prefix) || !fileName.endsWith(SUFFIX)) {
            return -1;
        }
        String middle = fileName.substring(prefix.length(), fileName.length() - SUFFIX.length());
        int dot = middle.indexOf('.');
        if (dot <= 0 || dot == middle.length() - 1 || !middle.substring(0, dot).chars().allMatch(Character::isDigit)
                || !middle.substring(dot + 1).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return -1;
        }
        try {
            return Long.parseLong(middle.substring(0, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
