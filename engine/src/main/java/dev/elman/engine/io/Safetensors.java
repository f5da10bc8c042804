package dev.elman.engine.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format (Hugging Face): an unsigned 64-bit little-endian header
 * length {@code N}; {@code N} bytes of UTF-8 JSON, an object whose members are tensor entries
 * {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}} and an optional
 * {@code "__metadata__"} object of strings; then the data section, which the tensors' byte ranges
 * (relative to its start) must cover exactly.
 *
 * <p>Reading is strict and safe against hostile files: the header length must be at most
 * {@value #MAX_HEADER_BYTES} bytes and fit in the file; the header must start with '{' and be
 * strict JSON (see {@link JsonParser}: no duplicate keys, well-formed UTF-8, bounded nesting and
 * size), with trailing whitespace only; entries may have no other fields; dtypes must be known
 * and one of F32, F64, F16, BF16; dimensions non-negative, their product without overflow and
 * equal to the byte range's length over the element size; the ranges must tile the data section
 * (no overlap, no hole, nothing past the end or left over); float64 values must fit float32.
 * Every violation is a {@link MalformedFileException} naming the file, tensor and field. Nothing
 * is allocated in proportion to what a header claims, only to what the file holds. Files above
 * 1 MiB are memory-mapped and their tensors are views of the mapping (see {@link Tensor}).
 *
 * <p>Writing produces float32 tensors in name order (the header members too, with
 * {@code __metadata__} first), so equal inputs give identical files; the header is padded with
 * spaces to make the data section start at a multiple of 8 bytes. The file is replaced
 * atomically: a crash during the write leaves the previous file intact.
 */
public final class Safetensors {
    /** The largest header this reader accepts, as the reference implementation does. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA = "__metadata__";
    private static final Set<DType> READABLE = EnumSet.of(DType.F32, DType.F64, DType.F16, DType.BF16);
    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Safetensors() {
    }

    /**
     * Reads a safetensors file.
     *
     * @throws MalformedFileException if the file is not a valid safetensors file this package
     *                                supports; the message says what is wrong where
     * @throws IOException            if the file cannot be read
     */
    public static SafetensorsFile read(Path file) throws IOException {
        return read(file, FileSource.MAP_THRESHOLD);
    }

    /** {@link #read(Path)} with the size above which the file is mapped (tests map small files). */
    static SafetensorsFile read(Path file, long mapThreshold) throws IOException {
        MemorySegment all = FileSource.open(file, mapThreshold);
        long size = all.byteSize();
        if (size < 8) {
            throw new MalformedFileException(file, "the file has " + size
                    + " bytes, fewer than the 8-byte header length (truncated, or not a safetensors file)");
        }
        long headerBytes = all.get(U64_LE, 0);
        if (headerBytes < 0 || headerBytes > MAX_HEADER_BYTES) {
            throw new MalformedFileException(file, "header length " + Long.toUnsignedString(headerBytes)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (headerBytes > size - 8) {
            throw new MalformedFileException(file, "header length " + headerBytes + " exceeds the " + (size - 8)
                    + " bytes after the length field (truncated?)");
        }
        MemorySegment header = all.asSlice(8, headerBytes);
        if (headerBytes == 0 || header.get(ValueLayout.JAVA_BYTE, 0) != '{') {
            throw new MalformedFileException(file, null, "header", "does not start with '{'");
        }
        JsonValue.JsonObject root;
        try {
            root = (JsonValue.JsonObject) JsonParser.parse(header); // starts with '{', so an object
        } catch (JsonSyntaxException e) {
            throw new MalformedFileException(file, null, "header", "invalid JSON: " + e.getMessage());
        }

        Map<String, String> metadata = Map.of();
        List<TensorEntry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonValue> member : root.members().entrySet()) {
            if (member.getKey().equals(METADATA)) {
                metadata = parseMetadata(file, member.getValue());
            } else {
                entries.add(TensorDirectory.parseEntry(file, member.getKey(), member.getValue(), READABLE));
            }
        }
        long dataStart = 8 + headerBytes;
        TensorDirectory.checkLayout(file, entries, size - dataStart);
        Map<String, Tensor> tensors = TensorDirectory.views(entries, all.asSlice(dataStart));
        for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
            int overflow = t.getValue().firstNarrowingOverflow();
            if (overflow >= 0) {
                throw new MalformedFileException(file, t.getKey(), null, "F64 element " + overflow + " = "
                        + t.getValue().getDouble(overflow) + " is too large for float32");
            }
        }
        return new SafetensorsFile(tensors, metadata);
    }

    private static Map<String, String> parseMetadata(Path file, JsonValue value) throws MalformedFileException {
        if (!(value instanceof JsonValue.JsonObject object)) {
            throw new MalformedFileException(file, null, METADATA, "expected an object of strings, found " + value.kind());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> m : object.members().entrySet()) {
            if (!(m.getValue() instanceof JsonValue.JsonString s)) {
                throw new MalformedFileException(file, null, METADATA + "." + m.getKey(), "expected a string, found "
                        + m.getValue().kind());
            }
            metadata.put(m.getKey(), s.value());
        }
        return metadata;
    }

    /** Writes tensors as float32 without metadata; see {@link #write(Path, Map, Map)}. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes tensors, converted to float32, and string metadata; replaces {@code file}
     * atomically.
     *
     * @throws IllegalArgumentException if a name, tensor, key or value is null, a tensor is named
     *                                  {@code __metadata__}, or a string has an unpaired surrogate
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        if (file == null || tensors == null || metadata == null) {
            throw new IllegalArgumentException("file, tensors and metadata must not be null");
        }
        Map<String, Tensor> sorted = sortedTensors(tensors);
        Map<String, String> sortedMetadata = new TreeMap<>();
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            if (m.getKey() == null || m.getValue() == null) {
                throw new IllegalArgumentException("metadata must not hold null keys or values, found " + m);
            }
            sortedMetadata.put(m.getKey(), m.getValue());
        }

        JsonWriter json = new JsonWriter().beginObject();
        if (!sortedMetadata.isEmpty()) {
            json.name(METADATA).beginObject();
            sortedMetadata.forEach((k, v) -> json.name(k).value(v));
            json.endObject();
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> t : sorted.entrySet()) {
            long bytes = (long) t.getValue().size() * DType.F32.byteSize();
            TensorDirectory.writeEntry(json, t.getKey(), DType.F32, t.getValue().shape(), offset, offset + bytes);
            offset += bytes;
        }
        byte[] header = padded(json.endObject().toUtf8());
        if (header.length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("the header would have " + header.length + " bytes, more than readers accept ("
                    + MAX_HEADER_BYTES + ")");
        }
        long expectedSize = 8 + header.length + offset;
        AtomicFileWriter.write(file, channel -> {
            LittleEndianOutput out = new LittleEndianOutput(channel, null);
            out.writeLong(header.length);
            out.write(header);
            for (Tensor t : sorted.values()) {
                t.writeTo(out, DType.F32);
            }
            out.flush();
            if (out.position() != expectedSize) {
                throw new IllegalStateException("wrote " + out.position() + " bytes, the header promised " + expectedSize);
            }
        });
    }

    /** Checks names and tensors and orders them by name. */
    static Map<String, Tensor> sortedTensors(Map<String, Tensor> tensors) {
        Map<String, Tensor> sorted = new TreeMap<>();
        for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
            if (t.getKey() == null || t.getValue() == null) {
                throw new IllegalArgumentException("tensors must not hold null names or tensors, found " + t);
            }
            if (t.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("a tensor may not be named " + METADATA + ", the metadata key");
            }
            sorted.put(t.getKey(), t.getValue());
        }
        return sorted;
    }

    /** Pads with spaces so that the 8-byte length plus the header is a multiple of 8. */
    private static byte[] padded(byte[] header) {
        int length = (header.length + 7) & ~7;
        byte[] out = Arrays.copyOf(header, length);
        Arrays.fill(out, header.length, length, (byte) ' ');
        return out;
    }
}
