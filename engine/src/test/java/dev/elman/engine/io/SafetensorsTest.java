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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static dev.elman.engine.io.FileFixtures.assertRejected;
import static dev.elman.engine.io.FileFixtures.littleEndianDoubles;
import static dev.elman.engine.io.FileFixtures.littleEndianFloats;
import static dev.elman.engine.io.FileFixtures.safetensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** Reads small files from the heap. */
    private static final FileFixtures.Reader READ = Safetensors::read;
    /** Maps every file, however small, to exercise the mapped path. */
    private static final FileFixtures.Reader READ_MAPPED = file -> Safetensors.read(file, 0);

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("weight_ih_l0", Tensor.of(new float[]{1, -2, 3.5f, Float.MIN_VALUE, -0f, Float.MAX_VALUE}, 2, 3));
        tensors.put("bias", Tensor.of(new float[]{0.25f, Float.NaN}, 2));
        tensors.put("scalar", Tensor.scalar(-7f));
        tensors.put("empty", Tensor.of(new float[0], 0, 4));
        tensors.put("cube", Tensor.of(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2));
        return tensors;
    }

    /** The sample as a file, written once: every write forces the disk, which costs milliseconds. */
    private static byte[] sampleFile;

    @org.junit.jupiter.api.BeforeAll
    static void writeSample(@TempDir Path shared) throws IOException {
        Path file = shared.resolve("sample.safetensors");
        Safetensors.write(file, sample(), Map.of("format", "pt", "note", "é \"quoted\""));
        sampleFile = Files.readAllBytes(file);
    }

    private static byte[] sampleFile() {
        return sampleFile.clone();
    }

    @Test
    void roundTripsFloat32TensorsAndMetadata() throws IOException {
        for (FileFixtures.Reader reader : List.of(READ, READ_MAPPED)) {
            Path file = dir.resolve("rt.safetensors");
            Safetensors.write(file, sample(), Map.of("format", "pt", "note", "é \"quoted\""));
            SafetensorsFile read = (SafetensorsFile) reader.read(file);
            assertEquals(Map.of("format", "pt", "note", "é \"quoted\""), read.metadata());
            assertEquals(List.of("bias", "cube", "empty", "scalar", "weight_ih_l0"), List.copyOf(read.tensors().keySet()));
            for (Map.Entry<String, Tensor> e : sample().entrySet()) {
                Tensor got = read.tensors().get(e.getKey());
                assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
                assertEquals(DType.F32, got.dtype());
                assertBitwiseEqual(e.getValue().toFloatArray(), got.toFloatArray());
            }
        }
    }

    @Test
    void writesDeterministicAlignedFiles() throws IOException {
        Map<String, Tensor> reversed = new LinkedHashMap<>();
        List<String> names = List.copyOf(sample().keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            reversed.put(names.get(i), sample().get(names.get(i)));
        }
        Path other = dir.resolve("other.safetensors");
        Safetensors.write(other, reversed, Map.of("note", "é \"quoted\"", "format", "pt"));
        byte[] bytes = sampleFile();
        assertArrayEquals(bytes, Files.readAllBytes(other));

        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8);
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\",\"note\":\"é \\\"quoted\\\"\"},\"bias\":"
                + "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"cube\":"), header);
        assertTrue(header.stripTrailing().endsWith("}"), header);
        assertEquals(8 + headerLength + 4 * (6 + 2 + 1 + 8), bytes.length);
    }

    @Test
    void writerRejectsBadArguments() {
        Path file = dir.resolve("x.safetensors");
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, Map.of("__metadata__", Tensor.scalar(1))));
        Map<String, Tensor> nullValue = new LinkedHashMap<>();
        nullValue.put("a", null);
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, nullValue));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, Map.of("bad\uD800", Tensor.scalar(1))));
        assertFalse(Files.exists(file));
    }

    @Test
    void readsF16Bf16AndF64ConvertingToFloat32() throws IOException {
        byte[] data = ByteBuffer.allocate(2 * 2 + 2 * 2 + 8 * 2 + 4).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x3C00).putShort((short) 0xC000)        // F16 1, -2
                .putShort((short) 0x3F80).putShort((short) 0x4049)        // BF16 1, 3.140625
                .putDouble(1 + 0x1p-24).putDouble(-1e-3)                  // F64
                .putFloat(5f).array();
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[8,24]},"
                + "\"f\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[24,28]}}   ";
        for (FileFixtures.Reader reader : List.of(READ, READ_MAPPED)) {
            SafetensorsFile file = (SafetensorsFile) reader.read(FileFixtures.write(dir, "mixed.safetensors",
                    safetensors(header, data)));
            assertArrayEquals(new float[]{1, -2}, file.tensors().get("h").toFloatArray());
            assertEquals(DType.F16, file.tensors().get("h").dtype());
            assertArrayEquals(new float[]{1, 3.140625f}, file.tensors().get("b").toFloatArray());
            assertArrayEquals(new float[]{1, (float) -1e-3}, file.tensors().get("d").toFloatArray());
            assertArrayEquals(new double[]{1 + 0x1p-24, -1e-3}, file.tensors().get("d").toDoubleArray());
            assertArrayEquals(new float[]{5}, file.tensors().get("f").toFloatArray());
            assertEquals(Map.of(), file.metadata());

            // Rewriting converts everything to F32.
            Path copy = dir.resolve("copy.safetensors");
            Safetensors.write(copy, file.tensors());
            SafetensorsFile back = Safetensors.read(copy);
            assertArrayEquals(new float[]{1, (float) -1e-3}, back.tensors().get("d").toFloatArray());
            assertEquals(DType.F32, back.tensors().get("d").dtype());
        }
    }

    @Test
    void rejectsFloat64ValuesBeyondFloat32() throws IOException {
        String header = "{\"big\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}";
        assertRejected(READ, dir, safetensors(header, littleEndianDoubles(1, 1e300)), "tensor 'big'",
                "element 1 = 1.0E300 is too large for float32");
        // Infinities and NaN are values, not overflow: they are kept.
        Path ok = FileFixtures.write(dir, "inf.safetensors",
                safetensors(header, littleEndianDoubles(Double.NEGATIVE_INFINITY, Double.NaN)));
        float[] values = Safetensors.read(ok).tensors().get("big").toFloatArray();
        assertEquals(Float.NEGATIVE_INFINITY, values[0]);
        assertTrue(Float.isNaN(values[1]));
    }

    @Test
    void mappedTensorsAreZeroCopyViews() throws IOException {
        Path file = dir.resolve("big.safetensors");
        float[] values = new float[(int) (FileSource.MAP_THRESHOLD / 4) + 1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f;
        }
        Safetensors.write(file, Map.of("w", Tensor.of(values, values.length)));
        Tensor w = Safetensors.read(file).tensors().get("w");
        assertTrue(w.asFloatBuffer().isDirect(), "a mapped file gives direct buffer views");
        assertArrayEquals(values, w.toFloatArray());
    }

    // ---- hostile and malformed files ---------------------------------------------------------

    private static final String ONE = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @Test
    void rejectsHugeOrImpossibleHeaderLengths() throws IOException {
        byte[] header = ONE.getBytes(StandardCharsets.UTF_8);
        byte[] data = littleEndianFloats(1, 2);
        assertRejected(READ, dir, safetensors(-1L, header, data), "header length 18446744073709551615 exceeds the limit");
        assertRejected(READ, dir, safetensors(Safetensors.MAX_HEADER_BYTES + 1, header, data), "exceeds the limit of 100000000");
        assertRejected(READ, dir, safetensors(header.length + 9, header, data), "exceeds the " + (header.length + 8)
                + " bytes after the length field");
        assertRejected(READ, dir, new byte[]{1, 2, 3}, "fewer than the 8-byte header length");
        assertRejected(READ, dir, safetensors(0, new byte[0], new byte[0]), "field 'header'", "does not start with '{'");
        assertRejected(READ, dir, safetensors(" " + ONE, littleEndianFloats(1, 2)), "does not start with '{'");
    }

    @Test
    void rejectsOverlappingTensors() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertRejected(READ, dir, safetensors(header, littleEndianFloats(1, 2, 3)), "tensor 'b'", "field 'data_offsets'",
                "overlap tensor 'a'");
        String same = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertRejected(READ, dir, safetensors(same, littleEndianFloats(1, 2)), "overlap");
    }

    @Test
    void rejectsOffsetsPastTheEndHolesAndTrailingBytes() throws IOException {
        assertRejected(READ, dir, safetensors(ONE, littleEndianFloats(1)), "tensor 'a'",
                "ends at byte 8, past the end of the data section (4 bytes");
        String far = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[9223372036854775799,9223372036854775807]}}";
        assertRejected(READ, dir, safetensors(far, littleEndianFloats(1, 2)), "past the end");
        String hole = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertRejected(READ, dir, safetensors(hole, littleEndianFloats(1, 2)), "starts at byte 4", "holes");
        assertRejected(READ, dir, safetensors(ONE, littleEndianFloats(1, 2, 3)), "data section has 12 bytes",
                "cover only 8");
    }

    /**
     * The off-by-one cases of the layout check: a data section one byte short of its last tensor is
     * named as short (not as trailing bytes), one byte long as one byte left over, and the exact
     * size is accepted.
     */
    @Test
    void aDataSectionOneByteShortOrLongIsNamedAsSuch() throws IOException {
        byte[] exact = littleEndianFloats(1, 2);
        assertRejected(READ, dir, safetensors(ONE, Arrays.copyOf(exact, 7)), "tensor 'a'", "ends at byte 8",
                "data section (7 bytes)", "is 1 byte short");
        assertRejected(READ, dir, safetensors(ONE, Arrays.copyOf(exact, 9)), "has 9 bytes", "cover only 8",
                "1 byte left over");
        Path file = dir.resolve("exact.safetensors");
        Files.write(file, safetensors(ONE, exact));
        assertArrayEquals(new float[] {1, 2}, Safetensors.read(file).tensors().get("a").toFloatArray());
    }

    @Test
    void rejectsShapesThatDoNotMatchTheirBytes() throws IOException {
        String overflow = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}";
        assertRejected(READ, dir, safetensors(overflow, littleEndianFloats(1, 2)), "field 'shape'", "overflows");
        String tooMany = "{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}";
        assertRejected(READ, dir, safetensors(tooMany, littleEndianFloats(1, 2)), "4294967296 elements", "limit");
        String hugeDim = "{\"a\":{\"dtype\":\"F32\",\"shape\":[100000000000000000000],\"data_offsets\":[0,8]}}";
        assertRejected(READ, dir, safetensors(hugeDim, littleEndianFloats(1, 2)), "field 'shape[0]'", "exceeds the maximum");
        String negative = "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}";
        assertRejected(READ, dir, safetensors(negative, littleEndianFloats(1, 2)), "shape[0]", "must not be negative");
        String fraction = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}";
        assertRejected(READ, dir, safetensors(fraction, littleEndianFloats(1, 2)), "expected an integer, found 2.0");
        String mismatch = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        assertRejected(READ, dir, safetensors(mismatch, littleEndianFloats(1, 2)), "spans 8 bytes", "needs 12");
        String backwards = "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}";
        assertRejected(READ, dir, safetensors(backwards, littleEndianFloats(1, 2)), "end 0 is before begin 8");
        String threeOffsets = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}";
        assertRejected(READ, dir, safetensors(threeOffsets, littleEndianFloats(1, 2)), "array of 3 elements");
        String deepRank = "{\"a\":{\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(64) + "1],\"data_offsets\":[0,4]}}";
        assertRejected(READ, dir, safetensors(deepRank, littleEndianFloats(1)), "rank 65 exceeds");
    }

    @Test
    void rejectsDuplicateKeysUnknownDtypesAndBadEntries() throws IOException {
        String duplicate = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertRejected(READ, dir, safetensors(duplicate, littleEndianFloats(1, 2)), "invalid JSON", "duplicate member name \"a\"");
        String duplicateField = "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertRejected(READ, dir, safetensors(duplicateField, littleEndianFloats(1, 2)), "duplicate member name \"dtype\"");
        assertRejected(READ, dir, safetensors(ONE.replace("F32", "F31"), littleEndianFloats(1, 2)), "tensor 'a'",
                "field 'dtype'", "unknown dtype \"F31\"");
        assertRejected(READ, dir, safetensors(ONE.replace("F32", "I32"), littleEndianFloats(1, 2)),
                "I32 is not supported");
        assertRejected(READ, dir, safetensors(ONE.replace("\"F32\"", "32"), littleEndianFloats(1, 2)),
                "expected a string, found number");
        assertRejected(READ, dir, safetensors(ONE.replace("\"dtype\"", "\"kind\""), littleEndianFloats(1, 2)),
                "field 'kind'", "unexpected field");
        String missing = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}";
        assertRejected(READ, dir, safetensors(missing, littleEndianFloats(1, 2)), "field 'data_offsets'", "missing");
        assertRejected(READ, dir, safetensors("{\"a\":[1]}", new byte[0]), "tensor 'a'", "found array");
        String metadataNumber = "{\"__metadata__\":{\"epoch\":3}}";
        assertRejected(READ, dir, safetensors(metadataNumber, new byte[0]), "field '__metadata__.epoch'",
                "expected a string, found number");
        assertRejected(READ, dir, safetensors("{\"__metadata__\":[]}", new byte[0]), "field '__metadata__'");
    }

    @Test
    void rejectsDeepNestingTrailingGarbageAndInvalidUtf8() throws IOException {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertRejected(READ, dir, safetensors(deep, new byte[0]), "nesting deeper than 64");
        assertRejected(READ, dir, safetensors(ONE + " x", littleEndianFloats(1, 2)), "trailing content");
        assertRejected(READ, dir, safetensors(ONE + "}", littleEndianFloats(1, 2)), "trailing content");
        byte[] latin1 = "{\"caf\u00e9\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertRejected(READ, dir, safetensors(latin1.length, latin1, new byte[0]), "UTF-8");
        assertRejected(READ, dir, safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],", littleEndianFloats(1, 2)),
                "unexpected end");
    }

    @Test
    void acceptsEmptyFilesWhitespacePaddingAndZeroSizeTensors() throws IOException {
        SafetensorsFile empty = Safetensors.read(FileFixtures.write(dir, "e.safetensors", safetensors("{}", new byte[0])));
        assertTrue(empty.tensors().isEmpty());
        String header = "{\"z\":{\"dtype\":\"F32\",\"shape\":[3,0],\"data_offsets\":[0,0]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}\n\t ";
        SafetensorsFile read = Safetensors.read(FileFixtures.write(dir, "z.safetensors",
                safetensors(header, littleEndianFloats(1, 2))));
        assertArrayEquals(new int[]{3, 0}, read.tensors().get("z").shape());
        assertArrayEquals(new float[]{1, 2}, read.tensors().get("a").toFloatArray());
    }

    @Test
    void rejectsEveryTruncation() throws IOException {
        byte[] valid = sampleFile();
        FileFixtures.assertEveryTruncationRejected(READ, dir, valid);
        FileFixtures.assertEveryTruncationRejected(READ_MAPPED, dir, valid);
    }

    static LongStream damageSeeds() {
        return Trials.seeds("safetensors damage", 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("damageSeeds")
    void randomDamageIsRejectedCleanlyOrHarmless(long seed) throws IOException {
        FileFixtures.assertDamageHandled(seed % 2 == 0 ? READ : READ_MAPPED, dir, sampleFile(), seed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing.safetensors"})
    void reportsMissingFilesAsIoErrors(String name) {
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(dir.resolve(name)));
        assertFalse(e instanceof MalformedFileException);
        assertTrue(e.getMessage().contains(name));
    }

    static void assertBitwiseEqual(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "element " + i);
        }
    }
}
