package dev.elman.engine.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Elman's own checksummed file: a configuration and named float32 tensors in one file that cannot
 * be silently corrupted or half-written. The model file is built on it.
 *
 * <h2>Byte layout, version 1</h2>
 * All integers are unsigned little-endian.
 * <pre>
 * offset     size  field
 * 0          8     magic: 0x89 'E' 'L' 'M' 'A' 'N' '\r' '\n'
 * 8          4     format version: 1
 * 12         4     header length N: a multiple of 8, at most {@value #MAX_HEADER_BYTES}
 * 16         8     data length M
 * 24         N     header: UTF-8 JSON, padded at the end with spaces to N bytes
 * 24+N       M     data: the tensors' float32 little-endian elements, row-major, one after the
 *                  other in name order, no gaps
 * 24+N+M     4     CRC32C (Castagnoli) of bytes [0, 24+N+M)
 * </pre>
 * The file is exactly {@code 28 + N + M} bytes. The magic's first byte is not ASCII and its
 * {@code \r\n} is damaged by text-mode transfers, so neither goes unnoticed; the data starts at a
 * multiple of 8. The header is
 * <pre>
 * {"config":{"key":"value",...},
 *  "tensors":{"name":{"dtype":"F32","shape":[2,3],"data_offsets":[begin,end]},...}}
 * </pre>
 * with keys in sorted order (written without whitespace), offsets relative to the data section,
 * the safetensors convention.
 *
 * <h2>Guarantees</h2>
 * {@link #read} checks, in this order and before trusting any content: the length, the magic, the
 * version, the lengths against the file's size, the checksum over everything, then the header
 * (strict JSON, exactly the fields above, F32 only, byte ranges tiling the data section exactly).
 * A CRC32C detects every error burst of up to 32 bits, so every flipped bit. Every failure is a
 * {@link MalformedFileException}. {@link #write} writes a temporary file in the same directory,
 * forces it to the device and renames it over the target, so an interrupted save never loses the
 * previous file. Files above 1 MiB are memory-mapped (see {@link Tensor}).
 */
public final class ElmanArchive {
    /** The format version this class writes and the only one it reads. */
    public static final int VERSION = 1;
    /** The largest header accepted. */
    public static final int MAX_HEADER_BYTES = 100_000_000;

    static final byte[] MAGIC = {(byte) 0x89, 'E', 'L', 'M', 'A', 'N', '\r', '\n'};
    static final int PREAMBLE_BYTES = 24;
    static final int CHECKSUM_BYTES = 4;
    static final String CONFIG = "config";
    static final String TENSORS = "tensors";

    private static final Set<DType> STORED = EnumSet.of(DType.F32);
    private static final ValueLayout.OfInt U32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** CRC32C takes ByteBuffers, whose size is an int; checksum a mapping in slices of this size. */
    private static final long CHECKSUM_SLICE = 1L << 30;

    private ElmanArchive() {
    }

    /**
     * Whether a file begins as an Elman archive does (its magic bytes), without reading the rest:
     * what a writer checks before replacing a file, so that a mistyped output path never overwrites
     * a user's document with a model.
     *
     * @param file the file to look at
     * @return true when it is a regular file starting with the archive's magic bytes
     * @throws IOException when it exists but cannot be read
     */
    public static boolean hasArchiveMagic(Path file) throws IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            return false;
        }
        try (var in = java.nio.file.Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }

    /**
     * Reads and verifies an archive.
     *
     * @throws MalformedFileException if the file is not an intact version-1 archive
     * @throws IOException            if the file cannot be read
     */
    public static ArchiveContents read(Path file) throws IOException {
        return read(file, FileSource.MAP_THRESHOLD);
    }

    /** {@link #read(Path)} with the size above which the file is mapped (tests map small files). */
    static ArchiveContents read(Path file, long mapThreshold) throws IOException {
        return read(file, FileSource.open(file, mapThreshold));
    }

    /** Verifies and parses the contents {@code all} of {@code file}. */
    static ArchiveContents read(Path file, MemorySegment all) throws MalformedFileException {
        long size = all.byteSize();
        if (size < PREAMBLE_BYTES + CHECKSUM_BYTES) {
            throw new MalformedFileException(file, "the file has " + size + " bytes, fewer than the "
                    + (PREAMBLE_BYTES + CHECKSUM_BYTES) + " of an empty archive (truncated, or not an Elman archive)");
        }
        byte[] magic = all.asSlice(0, MAGIC.length).toArray(ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new MalformedFileException(file, "not an Elman archive: magic bytes " + HexFormat.ofDelimiter(" ").formatHex(magic)
                    + ", expected " + HexFormat.ofDelimiter(" ").formatHex(MAGIC));
        }
        long version = Integer.toUnsignedLong(all.get(U32_LE, 8));
        if (version != VERSION) {
            throw new MalformedFileException(file, null, "version", version + " is not supported (this reader knows "
                    + VERSION + ")");
        }
        long headerBytes = Integer.toUnsignedLong(all.get(U32_LE, 12));
        if (headerBytes > MAX_HEADER_BYTES || headerBytes % 8 != 0) {
            throw new MalformedFileException(file, null, "header length", headerBytes
                    + " is not a multiple of 8 up to " + MAX_HEADER_BYTES);
        }
        long dataBytes = all.get(U64_LE, 16);
        long expectedSize = PREAMBLE_BYTES + headerBytes + CHECKSUM_BYTES;
        if (dataBytes < 0 || dataBytes > size - expectedSize || size != expectedSize + dataBytes) {
            throw new MalformedFileException(file, "the lengths (header " + headerBytes + ", data "
                    + Long.toUnsignedString(dataBytes) + ") make " + (dataBytes < 0 ? "more than 2^63"
                    : Long.toUnsignedString(expectedSize + dataBytes)) + " bytes but the file has " + size
                    + " (truncated, or bytes appended)");
        }
        long checked = size - CHECKSUM_BYTES;
        int stored = all.get(U32_LE, checked);
        int computed = crc32c(all.asSlice(0, checked));
        if (stored != computed) {
            throw new MalformedFileException(file, null, "checksum", String.format(
                    "stored CRC32C 0x%08x but the contents give 0x%08x: the file is corrupt", stored, computed));
        }

        JsonValue root;
        try {
            root = JsonParser.parse(all.asSlice(PREAMBLE_BYTES, headerBytes));
        } catch (JsonSyntaxException e) {
            throw new MalformedFileException(file, null, "header", "invalid JSON: " + e.getMessage());
        }
        if (!(root instanceof JsonValue.JsonObject object)) {
            throw new MalformedFileException(file, null, "header", "expected an object, found " + root.kind());
        }
        for (String key : object.members().keySet()) {
            if (!key.equals(CONFIG) && !key.equals(TENSORS)) {
                throw new MalformedFileException(file, null, key, "unexpected header field (expected config and tensors)");
            }
        }
        Map<String, String> config = parseConfig(file, member(file, object, CONFIG));
        JsonValue tensorsValue = member(file, object, TENSORS);
        if (!(tensorsValue instanceof JsonValue.JsonObject directory)) {
            throw new MalformedFileException(file, null, TENSORS, "expected an object, found " + tensorsValue.kind());
        }
        List<TensorEntry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e : directory.members().entrySet()) {
            entries.add(TensorDirectory.parseEntry(file, e.getKey(), e.getValue(), STORED));
        }
        TensorDirectory.checkLayout(file, entries, dataBytes);
        MemorySegment data = all.asSlice(PREAMBLE_BYTES + headerBytes, dataBytes);
        return new ArchiveContents(config, TensorDirectory.views(entries, data));
    }

    private static JsonValue member(Path file, JsonValue.JsonObject object, String key) throws MalformedFileException {
        JsonValue v = object.members().get(key);
        if (v == null) {
            throw new MalformedFileException(file, null, key, "missing from the header");
        }
        return v;
    }

    private static Map<String, String> parseConfig(Path file, JsonValue value) throws MalformedFileException {
        if (!(value instanceof JsonValue.JsonObject object)) {
            throw new MalformedFileException(file, null, CONFIG, "expected an object of strings, found " + value.kind());
        }
        Map<String, String> config = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : object.members().entrySet()) {
            if (!(e.getValue() instanceof JsonValue.JsonString s)) {
                throw new MalformedFileException(file, null, CONFIG + "." + e.getKey(), "expected a string, found "
                        + e.getValue().kind());
            }
            config.put(e.getKey(), s.value());
        }
        return config;
    }

    private static int crc32c(MemorySegment bytes) {
        CRC32C crc = new CRC32C();
        for (long at = 0; at < bytes.byteSize(); at += CHECKSUM_SLICE) {
            crc.update(bytes.asSlice(at, Math.min(CHECKSUM_SLICE, bytes.byteSize() - at)).asByteBuffer());
        }
        return (int) crc.getValue();
    }

    /**
     * Writes an archive, tensors converted to float32, replacing {@code file} atomically.
     *
     * @throws IllegalArgumentException if an argument is null, a string has an unpaired surrogate
     *                                  or the header would exceed {@link #MAX_HEADER_BYTES}
     */
    public static void write(Path file, ArchiveContents contents) throws IOException {
        if (file == null || contents == null) {
            throw new IllegalArgumentException("file and contents must not be null");
        }
        JsonWriter json = new JsonWriter().beginObject().name(CONFIG).beginObject();
        contents.config().forEach((k, v) -> json.name(k).value(v));
        json.endObject().name(TENSORS).beginObject();
        long offset = 0;
        for (Map.Entry<String, Tensor> t : contents.tensors().entrySet()) {
            long bytes = (long) t.getValue().size() * DType.F32.byteSize();
            TensorDirectory.writeEntry(json, t.getKey(), DType.F32, t.getValue().shape(), offset, offset + bytes);
            offset += bytes;
        }
        byte[] raw = json.endObject().endObject().toUtf8();
        if (raw.length > MAX_HEADER_BYTES - 7) {
            throw new IllegalArgumentException("the header would have " + raw.length + " bytes, more than "
                    + MAX_HEADER_BYTES);
        }
        byte[] header = Arrays.copyOf(raw, (raw.length + 7) & ~7);
        Arrays.fill(header, raw.length, header.length, (byte) ' ');
        long dataBytes = offset;
        long expectedSize = PREAMBLE_BYTES + header.length + dataBytes + CHECKSUM_BYTES;

        AtomicFileWriter.write(file, channel -> {
            CRC32C crc = new CRC32C();
            LittleEndianOutput out = new LittleEndianOutput(channel, crc);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(header.length);
            out.writeLong(dataBytes);
            out.write(header);
            for (Tensor t : contents.tensors().values()) {
                t.writeTo(out, DType.F32);
            }
            out.flush();
            // The checksum covers exactly the bytes flushed so far; the CRC's own bytes pass
            // through it afterwards, which no longer matters.
            out.writeInt((int) crc.getValue());
            out.flush();
            if (out.position() != expectedSize) {
                throw new IllegalStateException("wrote " + out.position() + " bytes, expected " + expectedSize);
            }
        });
    }
}
