package dev.elman.cli;

import dev.elman.engine.io.AtomicFileWriter;
import dev.elman.engine.io.ElmanArchive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks every command makes on the files it will write, before any work starts, so that a
 * long run never ends in "cannot write": the one rule for output folders (a missing folder is
 * created, as {@code mkdir -p} would; a path through a file is refused), then {@link
 * AtomicFileWriter#checkWritable} (a folder where no file can be created, a directory, a socket …
 * is refused, naming the option and the path). Model outputs are checked once more: an existing
 * file that is not an Elman model file is not replaced without {@code --force}.
 */
final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * Makes the folder of {@code file} if missing and checks that {@code file} can be written.
     *
     * @param command for the message, e.g. {@code "rnn train"}
     * @param option the option naming the path, e.g. {@code "--out"}
     * @param file the output file, or {@code -} for standard output
     * @throws UsageException when a component of the path is a file, or the path is a directory
     * @throws IOException naming the option and the path when it cannot be written
     */
    static void prepare(String command, String option, Path file) throws UsageException, IOException {
        if (file.toString().equals("-")) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new UsageException(command + ": " + option + " " + file + " is a directory; name a file to write");
        }
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            OutputFolders.check(command, option, folder);
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new IOException(option + " " + file + ": cannot create the folder " + folder + " ("
                        + Main.describe(e) + ")", e);
            }
        }
        try {
            AtomicFileWriter.checkWritable(file);
        } catch (IOException e) {
            throw new IOException(option + " " + Main.describe(e), e);
        }
    }

    /**
     * {@link #prepare} for a model file, which must also not replace a file that is something else
     * (a README, a data set) unless the user says so.
     *
     * @param force whether {@code --force} was given
     * @throws UsageException when {@code file} exists, is not empty and is not an Elman model file,
     *     and {@code force} is false; or as {@link #prepare}
     * @throws IOException as {@link #prepare}
     */
    static void prepareModel(String command, String option, Path file, boolean force)
            throws UsageException, IOException {
        if (file.toString().equals("-")) {
            throw new UsageException(command + ": " + option + " cannot be standard output ('-'): the model file is"
                    + " replaced at every checkpoint; name a file");
        }
        prepare(command, option, file);
        if (!force && Files.isRegularFile(file) && Files.size(file) > 0 && !ElmanArchive.hasArchiveMagic(file)) {
            throw new UsageException(command + ": " + option + " " + file + " exists and is not an Elman model file;"
                    + " refusing to replace it (name another file, or add --force to replace it)");
        }
    }
}
