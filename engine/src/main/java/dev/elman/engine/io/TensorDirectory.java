package dev.elman.engine.io;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tensor directory shared by safetensors and Elman archives: entries of the form
 * {@code "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}} with offsets
 * relative to the start of the data section. Parsing checks each entry on its own; the layout
 * check then requires that the entries tile the data section exactly: every byte belongs to
 * exactly one tensor (no overlaps, no holes, nothing past the end, nothing left over), as the
 * safetensors specification demands.
 */
final class TensorDirectory {
    static final String DTYPE = "dtype";
    static final String SHAPE = "shape";
    static final String DATA_OFFSETS = "data_offsets";

    /** Safetensors types this package recognises but does not convert; named in the error. */
    private static final Set<String> UNSUPPORTED_DTYPES = Set.of("BOOL", "U8", "I8", "U16", "I16", "U32", "I32",
            "U64", "I64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64");

    private TensorDirectory() {
    }

    /** Parses and checks one entry on its own; {@code accepted} are the dtypes the format allows. */
    static TensorEntry parseEntry(Path file, String name, JsonValue value, Set<DType> accepted)
            throws MalformedFileException {
        if (!(value instanceof JsonValue.JsonObject entry)) {
            throw new MalformedFileException(file, name, null, "expected an object with dtype, shape and data_offsets, found "
                    + value.kind());
        }
        for (String field : entry.members().keySet()) {
            if (!field.equals(DTYPE) && !field.equals(SHAPE) && !field.equals(DATA_OFFSETS)) {
                throw new MalformedFileException(file, name, field, "unexpected field (expected only dtype, shape and data_offsets)");
            }
        }
        DType dtype = parseDtype(file, name, require(file, name, entry, DTYPE), accepted);
        int[] shape = parseShape(file, name, require(file, name, entry, SHAPE));
        long[] offsets = parseOffsets(file, name, require(file, name, entry, DATA_OFFSETS));

        long size = elementCount(file, name, shape);
        long needed = size * dtype.byteSize(); // size <= Tensor.MAX_ELEMENTS, no overflow
        long spanned = offsets[1] - offsets[0];
        if (spanned != needed) {
            throw new MalformedFileException(file, name, DATA_OFFSETS, "[" + offsets[0] + ", " + offsets[1] + "] spans "
                    + spanned + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + needed);
        }
        return new TensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    /**
     * Checks that the entries tile {@code [0, dataBytes)} exactly: nothing past the end, no
     * overlaps, no holes, no unused bytes at the end.
     */
    static void checkLayout(Path file, List<TensorEntry> entries, long dataBytes) throws MalformedFileException {
        for (TensorEntry e : entries) {
            if (e.end() > dataBytes) {
                long missing = e.end() - dataBytes;
                throw new MalformedFileException(file, e.name(), DATA_OFFSETS, "ends at byte " + e.end()
                        + ", past the end of the data section (" + dataBytes + " bytes): the data is " + bytes(missing)
                        + " short (is the file truncated?)");
            }
        }
        List<TensorEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long covered = 0;
        TensorEntry previous = null;
        for (TensorEntry e : sorted) {
            if (e.begin() < covered) {
                throw new MalformedFileException(file, e.name(), DATA_OFFSETS, "bytes [" + e.begin() + ", " + e.end()
                        + ") overlap tensor '" + previous.name() + "' (bytes [" + previous.begin() + ", " + previous.end() + "))");
            }
            if (e.begin() > covered) {
                throw new MalformedFileException(file, e.name(), DATA_OFFSETS, "starts at byte " + e.begin()
                        + " but the tensors before it end at byte " + covered + ": the data section may not have holes");
            }
            covered = e.end();
            previous = e;
        }
        if (covered < dataBytes) {
            throw new MalformedFileException(file, "the data section has " + dataBytes + " bytes but the tensors cover only "
                    + covered + ": " + bytes(dataBytes - covered) + " left over after the last tensor");
        }
    }

    /** "1 byte", "2 bytes": the off-by-one cases are the common ones, and read best in words. */
    private static String bytes(long count) {
        return count + (count == 1 ? " byte" : " bytes");
    }

    /** Views of every entry's bytes within {@code data}, keyed by name in the entries' order. */
    static Map<String, Tensor> views(List<TensorEntry> entries, MemorySegment data) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (TensorEntry e : entries) {
            tensors.put(e.name(), Tensor.view(e.dtype(), e.shape(), data.asSlice(e.begin(), e.end() - e.begin())));
        }
        return tensors;
    }

    /** Writes one entry's member: {@code "name":{"dtype":...,"shape":[...],"data_offsets":[b,e]}}. */
    static void writeEntry(JsonWriter json, String name, DType dtype, int[] shape, long begin, long end) {
        json.name(name).beginObject()
                .name(DTYPE).value(dtype.name())
                .name(SHAPE).array(shape)
                .name(DATA_OFFSETS).array(begin, end)
                .endObject();
    }

    private static JsonValue require(Path file, String name, JsonValue.JsonObject entry, String field)
            throws MalformedFileException {
        JsonValue v = entry.members().get(field);
        if (v == null) {
            throw new MalformedFileException(file, name, field, "missing");
        }
        return v;
    }

    private static DType parseDtype(Path file, String name, JsonValue v, Set<DType> accepted)
            throws MalformedFileException {
        if (!(v instanceof JsonValue.JsonString s)) {
            throw new MalformedFileException(file, name, DTYPE, "expected a string, found " + v.kind());
        }
        DType dtype;
        try {
            dtype = DType.valueOf(s.value());
        } catch (IllegalArgumentException e) {
            if (UNSUPPORTED_DTYPES.contains(s.value())) {
                throw new MalformedFileException(file, name, DTYPE, s.value() + " is not supported (supported: "
                        + accepted + ")");
            }
            throw new MalformedFileException(file, name, DTYPE, "unknown dtype \"" + s.value() + "\"");
        }
        if (!accepted.contains(dtype)) {
            throw new MalformedFileException(file, name, DTYPE, dtype + " is not allowed in this format (allowed: "
                    + accepted + ")");
        }
        return dtype;
    }

    private static int[] parseShape(Path file, String name, JsonValue v) throws MalformedFileException {
        if (!(v instanceof JsonValue.JsonArray array)) {
            throw new MalformedFileException(file, name, SHAPE, "expected an array of dimensions, found " + v.kind());
        }
        List<JsonValue> dims = array.elements();
        if (dims.size() > Tensor.MAX_RANK) {
            throw new MalformedFileException(file, name, SHAPE, "rank " + dims.size() + " exceeds the limit of "
                    + Tensor.MAX_RANK);
        }
        int[] shape = new int[dims.size()];
        for (int axis = 0; axis < shape.length; axis++) {
            shape[axis] = (int) nonNegativeInteger(file, name, SHAPE + "[" + axis + "]", dims.get(axis), Integer.MAX_VALUE);
        }
        return shape;
    }

    private static long[] parseOffsets(Path file, String name, JsonValue v) throws MalformedFileException {
        if (!(v instanceof JsonValue.JsonArray array) || array.elements().size() != 2) {
            throw new MalformedFileException(file, name, DATA_OFFSETS, "expected an array [begin, end], found "
                    + (v instanceof JsonValue.JsonArray a ? "an array of " + a.elements().size() + " elements" : v.kind()));
        }
        long begin = nonNegativeInteger(file, name, DATA_OFFSETS, array.elements().get(0), Long.MAX_VALUE);
        long end = nonNegativeInteger(file, name, DATA_OFFSETS, array.elements().get(1), Long.MAX_VALUE);
        if (end < begin) {
            throw new MalformedFileException(file, name, DATA_OFFSETS, "end " + end + " is before begin " + begin);
        }
        return new long[]{begin, end};
    }

    /** The product of the dimensions, rejecting overflow and counts beyond {@link Tensor#MAX_ELEMENTS}. */
    private static long elementCount(Path file, String name, int[] shape) throws MalformedFileException {
        long size = 1;
        for (int d : shape) {
            if (d == 0) {
                return 0; // a zero dimension empties the tensor however large the others are
            }
        }
        for (int d : shape) {
            try {
                size = Math.multiplyExact(size, d);
            } catch (ArithmeticException overflow) {
                throw new MalformedFileException(file, name, SHAPE, "the product of " + Arrays.toString(shape)
                        + " overflows a 64-bit element count");
            }
        }
        if (size > Tensor.MAX_ELEMENTS) {
            throw new MalformedFileException(file, name, SHAPE, Arrays.toString(shape) + " holds " + size
                    + " elements, more than the limit of " + Tensor.MAX_ELEMENTS);
        }
        return size;
    }

    /**
     * A JSON integer in {@code [0, max]}. Judged on its text, so that no huge or fractional
     * number is ever rounded into range.
     */
    static long nonNegativeInteger(Path file, String name, String field, JsonValue v, long max)
            throws MalformedFileException {
        if (!(v instanceof JsonValue.JsonNumber n)) {
            throw new MalformedFileException(file, name, field, "expected a non-negative integer, found " + v.kind());
        }
        String text = n.text();
        if (!n.isInteger()) {
            throw new MalformedFileException(file, name, field, "expected an integer, found " + abbreviate(text));
        }
        if (text.startsWith("-")) {
            throw new MalformedFileException(file, name, field, "must not be negative, found " + abbreviate(text));
        }
        long value;
        try {
            // The length test keeps a hostile million-digit number away from the parser.
            value = text.length() > 19 ? -1 : Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            value = -1;
        }
        if (value < 0 || value > max) {
            throw new MalformedFileException(file, name, field, abbreviate(text) + " exceeds the maximum of " + max);
        }
        return value;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
