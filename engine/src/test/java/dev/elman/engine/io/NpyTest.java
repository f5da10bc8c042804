package dev.elman.engine.io;

import dev.elman.testing.Trials;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

import static dev.elman.engine.io.FileFixtures.assertRejected;
import static dev.elman.engine.io.FileFixtures.littleEndianDoubles;
import static dev.elman.engine.io.FileFixtures.littleEndianFloats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {
    @TempDir
    Path dir;

    /** A small valid file, written once: every write forces the disk, which costs milliseconds. */
    private static byte[] small;

    @org.junit.jupiter.api.BeforeAll
    static void writeSmallFile(@TempDir Path shared) throws IOException {
        Path file = shared.resolve("small.npy");
        Npy.write(file, Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 3, 2));
        small = Files.readAllBytes(file);
    }

    private static final FileFixtures.Reader READ = Npy::read;
    private static final FileFixtures.Reader READ_MAPPED = file -> Npy.read(file, 0);

    /** An .npy file of the given version with the header text as given (its own padding). */
    static byte[] npy(int major, String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(12 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(Npy.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        b.put(h).put(data);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static String header(String descr, String fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }   \n";
    }

    @Test
    void roundTripsEveryRankInBothDtypes() throws IOException {
        int[][] shapes = {{}, {0}, {5}, {2, 3}, {2, 1, 3}, {1, 2, 1, 2, 1}, {3, 0, 2}};
        for (int[] shape : shapes) {
            int size = Tensor.checkShape(shape);
            float[] values = new float[size];
            for (int i = 0; i < size; i++) {
                values[i] = (i - 2.5f) / 3f;
            }
            Tensor t = Tensor.of(values, shape);
            for (DType dtype : List.of(DType.F32, DType.F64)) {
                for (FileFixtures.Reader reader : List.of(READ, READ_MAPPED)) {
                    Path file = dir.resolve("t.npy");
                    Npy.write(file, t, dtype);
                    byte[] bytes = Files.readAllBytes(file);
                    int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
                    assertEquals(0, (10 + headerLength) % 64, "data is 64-byte aligned");
                    assertEquals(1, bytes[6], "version 1.0");
                    Tensor back = (Tensor) reader.read(file);
                    assertEquals(dtype, back.dtype());
                    assertArrayEquals(shape, back.shape());
                    SafetensorsTest.assertBitwiseEqual(values, back.toFloatArray());
                }
            }
        }
    }

    @Test
    void writesHeadersAsNumpyDoes() throws IOException {
        // np.save(np.zeros((2, 3), np.float32)) with NumPy 1.24, and np.zeros((), np.float64).
        Path file = dir.resolve("z.npy");
        Npy.write(file, Tensor.zeros(2, 3));
        String expected = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + " ".repeat(58) + "\n";
        assertEquals(expected, new String(Files.readAllBytes(file), 10, 118, StandardCharsets.US_ASCII));
        assertEquals(128 + 24, Files.size(file));
        Npy.write(file, Tensor.scalar(0), DType.F64);
        String scalar = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }" + " ".repeat(62) + "\n";
        assertEquals(scalar, new String(Files.readAllBytes(file), 10, 118, StandardCharsets.US_ASCII));
        Npy.write(file, Tensor.zeros(5), DType.F32);
        assertTrue(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).contains("'shape': (5,), }"));
    }

    @Test
    void float64FilesKeepFullPrecisionWhenRewritten() throws IOException {
        double[] precise = {Math.PI, -1e-300, 1 + 0x1p-40};
        Path source = FileFixtures.write(dir, "p.npy", npy(1, header("<f8", "False", "(3,)"), littleEndianDoubles(precise)));
        Tensor t = Npy.read(source);
        assertArrayEquals(precise, t.toDoubleArray());
        assertArrayEquals(new float[]{(float) Math.PI, -0f, 1f}, t.toFloatArray());
        Path copy = dir.resolve("copy.npy");
        Npy.write(copy, t, DType.F64);
        assertArrayEquals(precise, Npy.read(copy).toDoubleArray());
    }

    @Test
    void readsVersions2And3AndAnyAlignment() throws IOException {
        for (int major : new int[]{1, 2, 3}) {
            Tensor t = (Tensor) READ.read(FileFixtures.write(dir, "v.npy",
                    npy(major, "{\"descr\":\"<f4\",\"shape\":(2,),\"fortran_order\":False}\n", littleEndianFloats(1, 2))));
            assertArrayEquals(new float[]{1, 2}, t.toFloatArray());
        }
    }

    @Test
    void rejectsUnsupportedLayoutsAndDtypesNamingThem() throws IOException {
        byte[] four = littleEndianFloats(1, 2, 3, 4);
        assertRejected(READ, dir, npy(1, header("<f4", "True", "(2, 2)"), four), "field 'fortran_order'",
                "True is not supported");
        assertRejected(READ, dir, npy(1, header(">f4", "False", "(2, 2)"), four), "field 'descr'", "big-endian", ">f4");
        assertRejected(READ, dir, npy(1, header(">f8", "False", "(2,)"), four), "big-endian");
        assertRejected(READ, dir, npy(1, header("|O", "False", "(2,)"), four), "object arrays");
        assertRejected(READ, dir, npy(1, header("<i4", "False", "(4,)"), four), "dtype '<i4' is not supported");
        assertRejected(READ, dir, npy(1, header("<f2", "False", "(8,)"), four), "dtype '<f2' is not supported");
        assertRejected(READ, dir, npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (4,), }\n", four),
                "structured dtypes");
    }

    @Test
    void rejectsBadPreamblesAndHeaders() throws IOException {
        byte[] two = littleEndianFloats(1, 2);
        String ok = header("<f4", "False", "(2,)");
        assertRejected(READ, dir, "PK\3\4 not npy".getBytes(StandardCharsets.US_ASCII), "not an .npy file");
        assertRejected(READ, dir, new byte[]{(byte) 0x93, 'N', 'U'}, "not an .npy file", "only 3 bytes");
        byte[] v4 = npy(1, ok, two);
        v4[6] = 4;
        assertRejected(READ, dir, v4, "field 'version'", "4.0 is not supported");
        byte[] minor = npy(1, ok, two);
        minor[7] = 1;
        assertRejected(READ, dir, minor, "1.1 is not supported");
        byte[] longHeader = npy(2, ok, two);
        ByteBuffer.wrap(longHeader).order(ByteOrder.LITTLE_ENDIAN).putInt(8, Integer.MAX_VALUE);
        assertRejected(READ, dir, longHeader, "field 'header'", "length 2147483647 exceeds the limit of 10000");
        byte[] pastEnd = npy(1, ok, two);
        ByteBuffer.wrap(pastEnd).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 9000);
        assertRejected(READ, dir, pastEnd, "length 9000 exceeds the", "truncated?");

        assertRejected(READ, dir, npy(1, ok.replace("\n", " "), two), "does not end with a newline");
        assertRejected(READ, dir, npy(1, "{'descr': '<f4', 'shape': (2,), }\n", two), "field 'fortran_order'", "missing");
        assertRejected(READ, dir, npy(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}\n", two),
                "field 'descr'", "duplicate key");
        assertRejected(READ, dir, npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}\n", two),
                "unexpected key 'x'");
        assertRejected(READ, dir, npy(1, header("<f4", "False", "(2)"), two), "not a tuple");
        assertRejected(READ, dir, npy(1, header("<f4", "False", "(02,)"), two), "leading zero");
        assertRejected(READ, dir, npy(1, header("<f4", "False", "(-2,)"), two), "shape[0]", "non-negative");
        assertRejected(READ, dir, npy(1, header("<f4", "False", "[2]"), two), "expected a tuple");
        assertRejected(READ, dir, npy(1, header("<f4", "false", "(2,)"), two), "expected True or False");
        assertRejected(READ, dir, npy(1, header("<f4", "False", "(99999999999,)"), two), "exceeds the maximum");
        assertRejected(READ, dir, npy(1, header("<f4", "False", "(65536, 65536)"), two), "exceed the limit");
        assertRejected(READ, dir, npy(1, header("<f4", "False", "(2,)") + "x\n", two), "trailing content");
        assertRejected(READ, dir, npy(1, header("<f4", "False", "(" + "1, ".repeat(65) + ")"), two), "rank exceeds");
        assertRejected(READ, dir, npy(1, header("<f4", "False", "(2,)").replace("'shape'", "'sh\u00e4pe'"), two),
                "non-ASCII byte 0xe4");
    }

    @Test
    void rejectsDataLengthMismatches() throws IOException {
        String ok = header("<f4", "False", "(2, 2)");
        assertRejected(READ, dir, npy(1, ok, littleEndianFloats(1, 2, 3)), "has 12 bytes", "needs 16", "(truncated)");
        assertRejected(READ, dir, npy(1, ok, littleEndianFloats(1, 2, 3, 4, 5)), "has 20 bytes", "(trailing bytes)");
        assertRejected(READ, dir, npy(1, header("<f8", "False", "(1,)"), littleEndianDoubles(1e300)), "too large for float32");
    }

    @Test
    void writerRejectsOtherDtypes() {
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("h.npy"), Tensor.scalar(1), DType.F16));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("h.npy"), null));
    }

    @Test
    void rejectsEveryTruncation() throws IOException {
        Path file = dir.resolve("small.npy");
        Npy.write(file, Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 3, 2));
        FileFixtures.assertEveryTruncationRejected(READ, dir, Files.readAllBytes(file));
        FileFixtures.assertEveryTruncationRejected(READ_MAPPED, dir, Files.readAllBytes(file));
        Npy.write(file, Tensor.scalar(3), DType.F64);
        FileFixtures.assertEveryTruncationRejected(READ, dir, Files.readAllBytes(file));
    }

    static LongStream damageSeeds() {
        return Trials.seeds("npy damage", 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("damageSeeds")
    void randomDamageIsRejectedCleanlyOrHarmless(long seed) throws IOException {
        FileFixtures.assertDamageHandled(seed % 2 == 0 ? READ : READ_MAPPED, dir, small, seed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"'<f4'", "\"<f4\""})
    void acceptsEitherQuoteStyle(String descr) throws IOException {
        String h = "{'descr': " + descr + ", 'fortran_order': False, 'shape': (1,)}\n";
        assertArrayEquals(new float[]{9}, Npy.read(FileFixtures.write(dir, "q.npy", npy(1, h, littleEndianFloats(9))))
                .toFloatArray());
    }
}
