package dev.elman.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What {@link AtomicFileWriter} does to what an output path names: a regular file is replaced
 * atomically, keeping its permissions; a symbolic link is followed and stays a link; devices, FIFOs
 * and {@code -} are written as streams and stay what they were; what cannot be written safely is
 * refused by name before anything is written; failures name the user's path; stale temporary files
 * of dead processes are removed.
 */
class OutputTargetsTest {
    private static final byte[] BODY = {1, 2, 3, 4};

    @TempDir
    Path dir;

    private static void writeBody(Path target) throws IOException {
        AtomicFileWriter.write(target, channel -> channel.write(ByteBuffer.wrap(BODY)));
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aSymbolicLinkIsFollowedAndItsTargetReplacedInItsOwnFolder() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path real = elsewhere.resolve("model.elman");
        Files.write(real, new byte[] {9});
        Path links = Files.createDirectory(dir.resolve("links"));
        Path link = Files.createSymbolicLink(links.resolve("model.elman"), Path.of("../elsewhere/model.elman"));
        Path linkToLink = Files.createSymbolicLink(links.resolve("again.elman"), Path.of("model.elman"));

        AtomicFileWriter.checkWritable(linkToLink);
        writeBody(linkToLink);
        assertTrue(Files.isSymbolicLink(link) && Files.isSymbolicLink(linkToLink), "the links stay links");
        assertArrayEquals(BODY, Files.readAllBytes(real));
        assertEquals(List.of(real), list(elsewhere), "no temporary left beside the target");
        assertEquals(List.of(linkToLink, link), list(links));

        // A dangling link creates its target, as a shell's redirection does.
        Files.delete(real);
        writeBody(link);
        assertTrue(Files.isSymbolicLink(link));
        assertArrayEquals(BODY, Files.readAllBytes(real));
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aLoopOfLinksIsRefused() throws IOException {
        Path a = dir.resolve("a");
        Files.createSymbolicLink(a, Path.of("b"));
        Files.createSymbolicLink(dir.resolve("b"), Path.of("a"));
        IOException refused = assertThrows(IOException.class, () -> writeBody(a));
        assertTrue(refused.getMessage().contains(a.toString()) && refused.getMessage().contains("symbolic links"),
                refused.getMessage());
    }

    @Test
    void theReplacementKeepsTheExistingFilesPermissions() throws IOException {
        Path file = dir.resolve("secret.elman");
        Files.write(file, new byte[] {9});
        assumeTrue(Files.getFileStore(file).supportsFileAttributeView("posix"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        writeBody(file);
        assertArrayEquals(BODY, Files.readAllBytes(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        AtomicFileWriter.writeText(file, "text");
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        // A read-only file (0444) in a writable folder is replaced too, and stays read-only: the
        // permissions go onto the temporary after it is written, not before.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        writeBody(file);
        assertArrayEquals(BODY, Files.readAllBytes(file));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void devNullIsWrittenInPlaceAndStaysADevice() throws IOException {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull));
        AtomicFileWriter.checkWritable(devNull);
        writeBody(devNull);
        AtomicFileWriter.writeText(devNull, "more");
        assertFalse(Files.isRegularFile(devNull), "/dev/null must stay a device");
        assertFalse(Files.isRegularFile(devNull, LinkOption.NOFOLLOW_LINKS));
    }

    /** /dev/full fails every write with ENOSPC: the error names the path the user gave. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aFullDeviceFailsNamingThePath() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full));
        IOException failure = assertThrows(IOException.class, () -> writeBody(full));
        assertTrue(failure.getMessage().startsWith("/dev/full: writing failed"), failure.getMessage());
        assertTrue(failure.getMessage().contains("No space left on device"), failure.getMessage());
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aFifoIsWrittenAsAStreamAndStaysAFifo() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        } catch (IOException noMkfifo) {
            // No mkfifo on this machine: nothing to make a FIFO with, so the case cannot run here.
            throw new TestAbortedException("mkfifo is not available: " + noMkfifo.getMessage());
        }
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writeBody(fifo);
        assertArrayEquals(BODY, read.get(10, TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS), "the FIFO must stay a FIFO");
        assertEquals(List.of(fifo), list(dir));
    }

    @Test
    void dashIsStandardOutput() throws IOException {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            AtomicFileWriter.checkWritable(Path.of("-"));
            writeBody(Path.of("-"));
            AtomicFileWriter.writeStream(Path.of("-"), out -> {
                try (PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8)) {
                    print.print("text");
                }
            });
        } finally {
            System.setOut(saved);
        }
        byte[] expected = {1, 2, 3, 4, 't', 'e', 'x', 't'};
        assertArrayEquals(expected, captured.toByteArray());
        assertTrue(Files.notExists(Path.of("-")), "no file named '-' may appear");
    }

    @Test
    void aDirectoryIsRefusedByName() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("out"));
        IOException refused = assertThrows(IOException.class, () -> writeBody(folder));
        assertTrue(refused.getMessage().contains(folder + " is a directory"), refused.getMessage());
        assertThrows(IOException.class, () -> AtomicFileWriter.checkWritable(folder));
        assertTrue(Files.isDirectory(folder));
        assertEquals(List.of(), list(folder));
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aSocketIsRefusedByName() throws IOException {
        Path socket = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            IOException refused = assertThrows(IOException.class, () -> writeBody(socket));
            assertTrue(refused.getMessage().contains(socket + " is a socket"), refused.getMessage());
            IOException checked = assertThrows(IOException.class, () -> AtomicFileWriter.checkWritable(socket));
            assertEquals(refused.getMessage(), checked.getMessage());
            assertFalse(Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS));
        }
    }

    /**
     * A folder where no file can be created: checked before any work, and the message names the
     * user's path, not a temporary file. /sys refuses new files even to root; a folder without
     * write permission does so to everyone else.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aFolderWhereNoFileCanBeCreatedIsRefusedNamingTheTarget() throws IOException {
        Path sys = Path.of("/sys");
        assumeTrue(Files.isDirectory(sys));
        Path target = sys.resolve("model.elman");
        IOException checked = assertThrows(IOException.class, () -> AtomicFileWriter.checkWritable(target));
        assertTrue(checked.getMessage().startsWith(target + ": cannot create a file in /sys"), checked.getMessage());
        assertFalse(checked.getMessage().contains(".tmp"), checked.getMessage());
        IOException failed = assertThrows(IOException.class, () -> writeBody(target));
        assertFalse(failed.getMessage().contains(".tmp"), failed.getMessage());
        assertTrue(failed.getMessage().startsWith(target.toString()), failed.getMessage());

        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Path file = readOnly.resolve("model.elman");
        Files.write(file, new byte[] {9});
        assumeTrue(Files.getFileStore(readOnly).supportsFileAttributeView("posix"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(readOnly), "running as root: permissions do not apply");
            IOException refused = assertThrows(IOException.class, () -> AtomicFileWriter.checkWritable(file));
            assertTrue(refused.getMessage().startsWith(file + ": cannot create a file in " + readOnly),
                    refused.getMessage());
            assertThrows(IOException.class, () -> writeBody(file));
            assertArrayEquals(new byte[] {9}, Files.readAllBytes(file));
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aMissingFolderIsRefusedByName() {
        Path target = dir.resolve("missing").resolve("model.elman");
        IOException refused = assertThrows(IOException.class, () -> AtomicFileWriter.checkWritable(target));
        assertTrue(refused.getMessage().contains("does not exist"), refused.getMessage());
        assertTrue(Files.notExists(target.getParent()));
    }

    /**
     * A kill leaves a temporary file; the next write to the same target removes those of processes
     * that have gone (or whose id now belongs to a process started after the file was written), and
     * leaves alone files that are not ours and those of live writers.
     */
    @Test
    void staleTemporaryFilesOfDeadProcessesAreRemovedOnTheNextWrite() throws Exception {
        Process gone = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(gone.waitFor(60, TimeUnit.SECONDS));
        long deadPid = gone.pid();
        assumeTrue(ProcessHandle.of(deadPid).isEmpty(), "the pid was reused at once");

        Path target = dir.resolve("model.elman");
        Path stale = Files.write(dir.resolve(".model.elman." + deadPid + ".1f2e3d.tmp"), new byte[] {7});
        Path reused = Files.write(dir.resolve(".model.elman.1.abc.tmp"), new byte[] {7});
        // pid 1 is alive and started before this file was written: a live writer's file, left alone.
        Files.setLastModifiedTime(reused, FileTime.from(Instant.now().plusSeconds(3600)));
        Path notOurs = Files.write(dir.resolve(".model.elman.backup.tmp"), new byte[] {7});
        Path otherTarget = Files.write(dir.resolve(".other.elman." + deadPid + ".1f2e3d.tmp"), new byte[] {7});

        writeBody(target);
        assertTrue(Files.notExists(stale), "the stale temporary of a dead process is removed");
        assertTrue(Files.exists(reused), "a temporary newer than its (live) process is left alone");
        assertTrue(Files.exists(notOurs), "a file that is not ours is left alone");
        assertTrue(Files.exists(otherTarget), "only the target's own temporaries are cleaned");
        assertArrayEquals(BODY, Files.readAllBytes(target));
    }

    @Test
    void temporaryNamesCarryTheProcessId() throws IOException {
        Path target = dir.resolve("model.elman");
        long pid = ProcessHandle.current().pid();
        AtomicFileWriter.write(target, channel -> {
            List<Path> entries = list(dir);
            assertEquals(1, entries.size());
            String name = entries.get(0).getFileName().toString();
            assertTrue(name.startsWith(".model.elman." + pid + ".") && name.endsWith(".tmp"), name);
            assertTrue(TemporaryFiles.isTemporaryOf(name, ".model.elman."), name);
        });
        assertFalse(TemporaryFiles.isTemporaryOf(".model.elman.backup.tmp", ".model.elman."));
        assertFalse(TemporaryFiles.isTemporaryOf(".model.elman.12.tmp", ".model.elman."));
        assertFalse(TemporaryFiles.isTemporaryOf(".model.elman.12.xyz.tmp", ".model.elman."));
    }

    private static List<Path> list(Path folder) {
        try (var listing = Files.list(folder)) {
            return listing.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
