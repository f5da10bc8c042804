package dev.elman.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Building raw (possibly hostile) files and checking that readers reject them properly. */
final class FileFixtures {
    private FileFixtures() {
    }

    /** Reads a file with one of the package's readers. */
    @FunctionalInterface
    interface Reader {
        Object read(Path file) throws IOException;
    }

    /** A safetensors file with the given header text (its exact length) and data bytes. */
    static byte[] safetensors(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return safetensors(h.length, h, data);
    }

    /** A safetensors file whose length field says {@code headerLength}, whatever follows. */
    static byte[] safetensors(long headerLength, byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(headerLength).put(header).put(data).array();
    }

    static byte[] littleEndianFloats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] littleEndianDoubles(double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    /**
     * Asserts that reading {@code bytes} fails with a {@link MalformedFileException} (nothing
     * else) whose message names the file and contains every one of {@code fragments}.
     */
    static MalformedFileException assertRejected(Reader reader, Path dir, byte[] bytes, String... fragments)
            throws IOException {
        Path file = write(dir, "case.bin", bytes);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> reader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e::getMessage);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "expected \"" + fragment + "\" in: " + e.getMessage());
        }
        return e;
    }

    /** Every proper prefix of a valid file must be rejected with a MalformedFileException. */
    static void assertEveryTruncationRejected(Reader reader, Path dir, byte[] valid) throws IOException {
        for (int length = 0; length < valid.length; length++) {
            byte[] prefix = java.util.Arrays.copyOf(valid, length);
            int n = length;
            Path file = write(dir, "truncated.bin", prefix);
            MalformedFileException e = assertThrows(MalformedFileException.class, () -> reader.read(file),
                    () -> "prefix of " + n + " of " + valid.length + " bytes");
            assertTrue(e.getMessage().startsWith(file.toString()), e::getMessage);
        }
    }

    /**
     * Random damage (flipped bits, overwritten bytes, inserted and deleted runs) must either read
     * successfully, with every tensor's values readable, or fail with a MalformedFileException;
     * never with any other exception.
     */
    static void assertDamageHandled(Reader reader, Path dir, byte[] valid, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] damaged = valid.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    int at = random.nextInt(damaged.length);
                    damaged[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            case 2 -> {
                int at = random.nextInt(damaged.length);
                int n = 1 + random.nextInt(16);
                byte[] longer = new byte[damaged.length + n];
                System.arraycopy(damaged, 0, longer, 0, at);
                for (int i = 0; i < n; i++) {
                    longer[at + i] = (byte) random.nextInt(256);
                }
                System.arraycopy(damaged, at, longer, at + n, damaged.length - at);
                damaged = longer;
            }
            default -> {
                int at = random.nextInt(damaged.length);
                int n = Math.min(damaged.length - at, 1 + random.nextInt(16));
                byte[] shorter = new byte[damaged.length - n];
                System.arraycopy(damaged, 0, shorter, 0, at);
                System.arraycopy(damaged, at + n, shorter, at, damaged.length - at - n);
                damaged = shorter;
            }
        }
        Path file = write(dir, "damaged.bin", damaged);
        try {
            Object contents = reader.read(file);
            touchAllValues(contents);
        } catch (MalformedFileException expected) {
            assertTrue(expected.getMessage().startsWith(file.toString()), expected::getMessage);
        }
    }

    private static void touchAllValues(Object contents) {
        if (contents instanceof Tensor t) {
            t.toFloatArray();
        } else if (contents instanceof SafetensorsFile s) {
            s.tensors().values().forEach(Tensor::toFloatArray);
        } else if (contents instanceof ArchiveContents a) {
            a.tensors().values().forEach(Tensor::toFloatArray);
        }
    }
}
