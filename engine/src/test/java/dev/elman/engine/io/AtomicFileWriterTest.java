package dev.elman.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFileWriterTest {
    @TempDir
    Path dir;

    @Test
    void createsAndReplacesFilesLeavingNothingElse() throws IOException {
        Path file = dir.resolve("out.bin");
        AtomicFileWriter.write(file, channel -> channel.write(ByteBuffer.wrap(new byte[]{1, 2, 3})));
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(file));
        AtomicFileWriter.write(file, channel -> channel.write(ByteBuffer.wrap(new byte[]{4})));
        assertArrayEquals(new byte[]{4}, Files.readAllBytes(file));
        assertEquals(List.of(file), list());
    }

    /** A write that dies half-way (here by an exception after some bytes) keeps the old file. */
    @Test
    void aFailureHalfWayKeepsTheOldFileAndRemovesTheTemporary() throws IOException {
        Path file = dir.resolve("out.bin");
        AtomicFileWriter.write(file, channel -> channel.write(ByteBuffer.wrap(new byte[]{1, 2, 3})));
        IOException failure = new IOException("disk full");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFileWriter.write(file, channel -> {
            channel.write(ByteBuffer.wrap(new byte[]{9, 9, 9, 9, 9}));
            // The half-written bytes went to a temporary file in the same directory, not the target.
            assertEquals(2, list().size());
            assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(file));
            throw failure;
        }));
        assertSame(failure, thrown);
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(file));
        assertEquals(List.of(file), list());

        assertThrows(UncheckedIOException.class, () -> AtomicFileWriter.write(file, channel -> {
            throw new UncheckedIOException(failure);
        }));
        assertEquals(List.of(file), list());
    }

    @Test
    void theTemporaryFileIsHiddenAndInTheTargetDirectory() throws IOException {
        Path file = dir.resolve("model.elman");
        AtomicFileWriter.write(file, channel -> {
            List<Path> entries = list();
            assertEquals(1, entries.size());
            String name = entries.get(0).getFileName().toString();
            assertTrue(name.startsWith(".model.elman.") && name.endsWith(".tmp"), name);
        });
    }

    @Test
    void writingToAMissingDirectoryFailsWithoutCreatingIt() {
        Path file = dir.resolve("missing").resolve("out.bin");
        assertThrows(IOException.class, () -> AtomicFileWriter.write(file, channel -> { }));
        assertTrue(Files.notExists(file.getParent()));
    }

    @Test
    void textIsWrittenAsUtf8() throws IOException {
        Path file = dir.resolve("curves.csv");
        AtomicFileWriter.writeText(file, "k,‖∂h‖\n1,0.5\n");
        assertEquals("k,‖∂h‖\n1,0.5\n", Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(List.of(file), list());
    }

    /** Stream writers (ImageIO, JMH's result formats) may close their stream; the file is still complete. */
    @Test
    void aStreamBodyMayCloseItsStream() throws IOException {
        Path file = dir.resolve("report.md");
        AtomicFileWriter.writeStream(file, out -> {
            try (PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8)) {
                print.print("# results\n");
            }
        });
        assertEquals("# results\n", Files.readString(file, StandardCharsets.UTF_8));
        IOException failure = new IOException("no PNG writer");
        assertSame(failure, assertThrows(IOException.class, () -> AtomicFileWriter.writeStream(file, out -> {
            out.write(new byte[] {1, 2});
            throw failure;
        })));
        assertEquals("# results\n", Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(List.of(file), list());
    }

    private List<Path> list() {
        try (var listing = Files.list(dir)) {
            return listing.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
