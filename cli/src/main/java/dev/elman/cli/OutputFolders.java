package dev.elman.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any work is done, that an output folder can be created: a long training run must
 * not end in "cannot create directory" because a path component is a file.
 */
final class OutputFolders {
    private OutputFolders() {
    }

    /**
     * @param command for the message, e.g. {@code "rnn demo"}
     * @param option the option naming the path, e.g. {@code "--out"}
     * @param folder the folder that will be created if missing
     * @throws UsageException when the folder, or the nearest of its parents that exists, is not a directory
     */
    static void check(String command, String option, Path folder) throws UsageException {
        for (Path p = folder.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new UsageException(command + ": " + option + " " + folder + ": " + p
                            + " is a file, so the folder cannot be created there");
                }
                return;
            }
        }
    }
}
