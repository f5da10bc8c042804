package dev.elman.engine.io;

import dev.elman.testing.Trials;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
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
import java.util.zip.CRC32C;

import static dev.elman.engine.io.FileFixtures.assertRejected;
import static dev.elman.engine.io.FileFixtures.littleEndianFloats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElmanArchiveTest {
    @TempDir
    Path dir;

    private static final FileFixtures.Reader READ = ElmanArchive::read;
    private static final FileFixtures.Reader READ_MAPPED = file -> ElmanArchive.read(file, 0);

    private static byte[] small;

    static ArchiveContents sample() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("hiddenSize", "3");
        config.put("activation", "tanh");
        config.put("note", "ünïcödé \"quoted\" \\ 😀");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("layer0.wx", Tensor.of(new float[]{1, 2, 3, -4, 5, 6}, 3, 2));
        tensors.put("layer0.b", Tensor.of(new float[]{0.5f, Float.NaN, -0f}, 3));
        tensors.put("scale", Tensor.scalar(2));
        return new ArchiveContents(config, tensors);
    }

    @BeforeAll
    static void writeSmall(@TempDir Path shared) throws IOException {
        Path file = shared.resolve("small.elman");
        ElmanArchive.write(file, sample());
        small = Files.readAllBytes(file);
    }

    /** An archive with the given header (padded to a multiple of 8) and data, and a valid CRC. */
    static byte[] archive(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(h, (h.length + 7) & ~7);
        Arrays.fill(padded, h.length, padded.length, (byte) ' ');
        ByteBuffer b = ByteBuffer.allocate(28 + padded.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ElmanArchive.MAGIC).putInt(1).putInt(padded.length).putLong(data.length).put(padded).put(data);
        return withChecksum(b.array());
    }

    /** Recomputes the trailing CRC32C so that only the deliberate damage remains. */
    static byte[] withChecksum(byte[] file) {
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - 4);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(file.length - 4, (int) crc.getValue());
        return file;
    }

    @Test
    void roundTripsConfigAndTensors() throws IOException {
        for (FileFixtures.Reader reader : List.of(READ, READ_MAPPED)) {
            Path file = dir.resolve("model.elman");
            ElmanArchive.write(file, sample());
            ArchiveContents back = (ArchiveContents) reader.read(file);
            assertEquals(sample().config(), back.config());
            assertEquals(List.of("layer0.b", "layer0.wx", "scale"), List.copyOf(back.tensors().keySet()));
            for (Map.Entry<String, Tensor> e : sample().tensors().entrySet()) {
                Tensor got = back.tensors().get(e.getKey());
                assertArrayEquals(e.getValue().shape(), got.shape());
                SafetensorsTest.assertBitwiseEqual(e.getValue().toFloatArray(), got.toFloatArray());
            }
        }
        ElmanArchive.write(dir.resolve("empty.elman"), new ArchiveContents(Map.of(), Map.of()));
        ArchiveContents empty = ElmanArchive.read(dir.resolve("empty.elman"));
        assertTrue(empty.config().isEmpty() && empty.tensors().isEmpty());
    }

    @Test
    void writesTheDocumentedLayoutDeterministically() throws IOException {
        byte[] bytes = small.clone();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(new byte[]{(byte) 0x89, 'E', 'L', 'M', 'A', 'N', '\r', '\n'}, Arrays.copyOf(bytes, 8));
        assertEquals(1, b.getInt(8));
        int headerLength = b.getInt(12);
        long dataLength = b.getLong(16);
        assertEquals(0, headerLength % 8);
        assertEquals(4 * (6 + 3 + 1), dataLength);
        assertEquals(28 + headerLength + dataLength, bytes.length);
        String header = new String(bytes, 24, headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"config\":{\"activation\":\"tanh\",\"hiddenSize\":\"3\",\"note\":"), header);
        assertTrue(header.contains("\"tensors\":{\"layer0.b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}"),
                header);
        assertEquals(0.5f, b.getFloat(24 + headerLength));
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        assertEquals((int) crc.getValue(), b.getInt(bytes.length - 4));

        Map<String, Tensor> reordered = new LinkedHashMap<>();
        reordered.put("scale", Tensor.scalar(2));
        reordered.putAll(sample().tensors());
        Path other = dir.resolve("other.elman");
        ElmanArchive.write(other, new ArchiveContents(sample().config(), reordered));
        assertArrayEquals(bytes, Files.readAllBytes(other));
    }

    @Test
    void rejectsEveryTruncation() throws IOException {
        FileFixtures.assertEveryTruncationRejected(READ, dir, small);
        FileFixtures.assertEveryTruncationRejected(READ_MAPPED, dir, small);
    }

    /**
     * CRC32C has Hamming distance ≥ 2 at every length, so every single flipped bit changes the
     * checksum; flips in the magic, version or lengths are caught even before it.
     */
    @Test
    void catchesEverySingleBitFlip() throws IOException {
        // In memory: the same verification as from a file, without thousands of file writes.
        Path name = dir.resolve("flipped.elman");
        for (int bit = 0; bit < small.length * 8; bit++) {
            byte[] damaged = small.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            int b = bit;
            assertThrows(MalformedFileException.class, () -> ElmanArchive.read(name, MemorySegment.ofArray(damaged)),
                    () -> "bit " + b);
        }
        byte[] payload = small.clone();
        payload[small.length - 10] ^= 4;
        assertRejected(READ, dir, payload, "field 'checksum'", "the file is corrupt");
    }

    @Test
    void rejectsWrongMagicVersionAndLengths() throws IOException {
        byte[] textMode = small.clone();
        textMode[6] = '\n';
        assertRejected(READ, dir, textMode, "not an Elman archive", "89 45 4c 4d 41 4e 0a 0a", "expected 89 45 4c 4d 41 4e 0d 0a");
        byte[] v2 = small.clone();
        v2[8] = 2;
        assertRejected(READ, dir, v2, "field 'version'", "2 is not supported");
        byte[] oddHeader = small.clone();
        ByteBuffer.wrap(oddHeader).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 17);
        assertRejected(READ, dir, oddHeader, "field 'header length'", "17 is not a multiple of 8");
        byte[] hugeHeader = small.clone();
        ByteBuffer.wrap(hugeHeader).order(ByteOrder.LITTLE_ENDIAN).putInt(12, -8);
        assertRejected(READ, dir, hugeHeader, "4294967288 is not a multiple of 8 up to 100000000");
        byte[] hugeData = small.clone();
        ByteBuffer.wrap(hugeData).order(ByteOrder.LITTLE_ENDIAN).putLong(16, -1L);
        assertRejected(READ, dir, hugeData, "data 18446744073709551615", "more than 2^63");
        byte[] longer = Arrays.copyOf(small, small.length + 1);
        assertRejected(READ, dir, longer, "but the file has " + longer.length, "bytes appended");
        assertRejected(READ, dir, new byte[27], "fewer than the 28");
    }

    @Test
    void rejectsBadHeadersEvenWithAValidChecksum() throws IOException {
        byte[] two = littleEndianFloats(1, 2);
        String entry = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        assertRejected(READ, dir, archive("{\"config\":{},\"tensors\":{\"w\":" + entry.replace("F32", "F64").replace("8]", "16]")
                + "}}", littleEndianFloats(1, 2, 3, 4)), "tensor 'w'", "F64 is not allowed in this format");
        assertRejected(READ, dir, archive("{\"tensors\":{\"w\":" + entry + "}}", two), "field 'config'", "missing");
        assertRejected(READ, dir, archive("{\"config\":{},\"tensors\":{},\"extra\":1}", new byte[0]), "field 'extra'",
                "unexpected header field");
        assertRejected(READ, dir, archive("{\"config\":{\"n\":3},\"tensors\":{}}", new byte[0]), "field 'config.n'",
                "expected a string, found number");
        assertRejected(READ, dir, archive("{\"config\":{},\"tensors\":[]}", new byte[0]), "field 'tensors'",
                "expected an object");
        assertRejected(READ, dir, archive("[]", new byte[0]), "expected an object, found array");
        assertRejected(READ, dir, archive("{\"config\":{},\"tensors\":{\"w\":" + entry + "}}", littleEndianFloats(1, 2, 3)),
                "cover only 8");
        assertRejected(READ, dir, archive("{\"config\":{},\"config\":{},\"tensors\":{}}", new byte[0]), "duplicate");
        // A valid hand-made archive reads, proving the fixture itself is sound.
        ArchiveContents ok = ElmanArchive.read(FileFixtures.write(dir, "ok.elman",
                archive("{\"config\":{\"k\":\"v\"},\"tensors\":{\"w\":" + entry + "}}", two)));
        assertArrayEquals(new float[]{1, 2}, ok.tensors().get("w").toFloatArray());
    }

    @Test
    void saveReplacesTheOldFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("model.elman");
        ElmanArchive.write(file, sample());
        ElmanArchive.write(file, new ArchiveContents(Map.of("v", "2"), Map.of()));
        assertEquals(Map.of("v", "2"), ElmanArchive.read(file).config());
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList());
        }
    }

    @Test
    void aSaveThatFailsLeavesThePreviousFileIntact() throws IOException {
        Path file = dir.resolve("model.elman");
        ElmanArchive.write(file, sample());
        byte[] before = Files.readAllBytes(file);
        assertThrows(IllegalArgumentException.class, () -> ElmanArchive.write(file,
                new ArchiveContents(Map.of("bad\uDC00", "x"), Map.of())));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList());
        }
    }

    @Test
    void contentsRejectNulls() {
        assertThrows(IllegalArgumentException.class, () -> new ArchiveContents(null, Map.of()));
        Map<String, Tensor> withNull = new LinkedHashMap<>();
        withNull.put("w", null);
        assertThrows(IllegalArgumentException.class, () -> new ArchiveContents(Map.of(), withNull));
        assertThrows(UnsupportedOperationException.class, () -> sample().config().put("x", "y"));
    }

    static LongStream damageSeeds() {
        return Trials.seeds("archive damage", 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("damageSeeds")
    void randomDamageIsAlwaysRejected(long seed) throws IOException {
        // Unlike the other formats, any change at all must be caught (by the CRC at the latest).
        Path file = dir.resolve("case.elman");
        byte[] damaged = damage(small, seed);
        if (Arrays.equals(damaged, small)) {
            return; // the random bytes happened to equal the originals
        }
        Files.write(file, damaged);
        assertThrows(MalformedFileException.class, () -> ElmanArchive.read(file, seed % 2 == 0 ? 0 : Long.MAX_VALUE));
    }

    private static byte[] damage(byte[] valid, long seed) {
        java.util.Random random = new java.util.Random(seed);
        byte[] damaged = valid.clone();
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
            damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
        }
        return damaged;
    }
}
