package dev.elman.onnx;

import com.google.protobuf.ByteString;
import dev.elman.onnx.proto.StringStringEntryProto;
import dev.elman.onnx.proto.TensorProto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads {@link TensorProto}s into {@link GraphTensor}s and writes them back.
 *
 * <p>Element types: float32 as is; float16 and bfloat16 widen to float32 exactly; float64 narrows
 * to float32 by round-to-nearest-even (Java's {@code (float)} cast), and a value beyond float32's
 * range is refused rather than turned into an infinity. int64, int32 (and the small integer types
 * and bool, as ONNX stores them in {@code int32_data} or raw bytes) become int64 tensors. Other
 * types are refused by name.
 *
 * <p>Sizes are checked before anything is allocated: the declared dimensions must multiply to at
 * most a Java array's length and to exactly the bytes (or typed values) the tensor holds, and the
 * {@link Budget} caps the elements one model may decode in total. External data is read only from
 * regular files inside the model's folder (after resolving links), at the offset and length the
 * tensor states, which must lie inside the file.
 */
final class TensorCodec {
    /** The most elements one model (or one test case) may decode, over all its tensors: 2 GiB of float32. */
    static final long MAX_TOTAL_ELEMENTS = 1L << 29;

    /** Counts the elements decoded for one model or case, so that many large tensors cannot exhaust the heap. */
    static final class Budget {
        private long remaining = MAX_TOTAL_ELEMENTS;

        void take(long elements, String where) throws OnnxException {
            if (elements > remaining) {
                throw new OnnxException(where + ": holds more tensor data than Elman reads from one model ("
                        + MAX_TOTAL_ELEMENTS + " elements in all)");
            }
            remaining -= elements;
        }
    }

    private TensorCodec() {
    }

    /**
     * @param tensor the protobuf
     * @param folder the folder external data is resolved against, or null when none is allowed
     * @param where the file and tensor, for messages ("model.onnx: initializer 'W'")
     * @param budget the model's element budget
     */
    static GraphTensor decode(TensorProto tensor, Path folder, String where, Budget budget) throws OnnxException {
        int[] shape = new int[tensor.getDimsCount()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = tensor.getDims(i);
            if (d < 0) {
                throw new OnnxException(where + ": dimension " + i + " is " + d + "; dimensions must be at least 0");
            }
            count *= Math.max(d, 1);
            if (d > Integer.MAX_VALUE - 8 || count > Integer.MAX_VALUE - 8) {
                throw new OnnxException(where + ": declares " + Arrays.toString(tensor.getDimsList().toArray())
                        + ", more elements than a Java array holds");
            }
            shape[i] = (int) d;
        }
        int elements = (int) GraphTensor.count(shape);
        if (tensor.hasSegment()) {
            throw new UnsupportedOnnxException(where + ": segmented tensors are not supported");
        }
        budget.take(elements, where);
        int type = tensor.getDataType();
        ElementType element = ElementType.of(type, where);
        ByteBuffer raw = rawBytes(tensor, folder, where, (long) elements * element.bytes);
        return switch (element) {
            case FLOAT -> GraphTensor.ofFloats(raw != null ? floats(raw, elements) : typedFloats(tensor, elements, where), shape);
            case DOUBLE -> GraphTensor.ofFloats(raw != null ? narrow(raw, elements, where)
                    : narrow(tensor, elements, where), shape);
            case FLOAT16, BFLOAT16 -> GraphTensor.ofFloats(halves(element, raw, tensor, elements, where), shape);
            case INT64 -> GraphTensor.ofLongs(raw != null ? longs(raw, elements) : typedLongs(tensor, elements, where), shape);
            case INT32, INT16, INT8, UINT8, UINT16, BOOL -> GraphTensor.ofLongs(raw != null ? smallInts(element, raw, elements)
                    : int32s(tensor, elements, where), shape);
        };
    }

    /** The element types read, with their byte widths in raw data. */
    enum ElementType {
        FLOAT(1, 4), UINT8(2, 1), INT8(3, 1), UINT16(4, 2), INT16(5, 2), INT32(6, 4), INT64(7, 8), BOOL(9, 1),
        FLOAT16(10, 2), DOUBLE(11, 8), BFLOAT16(16, 2);

        final int code;
        final int bytes;

        ElementType(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        static ElementType of(int code, String where) throws OnnxException {
            for (ElementType e : values()) {
                if (e.code == code) {
                    return e;
                }
            }
            String name = TensorProto.DataType.forNumber(code) == null ? "type code " + code
                    : TensorProto.DataType.forNumber(code).name().toLowerCase(java.util.Locale.ROOT);
            throw new UnsupportedOnnxException(where + ": element type " + name + " is not supported"
                    + " (Elman reads float, float16, bfloat16, double and integer tensors)");
        }
    }

    /** The tensor's raw little-endian bytes (inline or external), checked to be exactly {@code expected}; null when it has typed fields instead. */
    private static ByteBuffer rawBytes(TensorProto tensor, Path folder, String where, long expected) throws OnnxException {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return external(tensor, folder, where, expected);
        }
        if (tensor.getRawData().isEmpty()) {
            return null;
        }
        ByteString raw = tensor.getRawData();
        if (raw.size() != expected) {
            throw new OnnxException(where + ": raw_data holds " + raw.size() + " bytes; its shape "
                    + tensor.getDimsList() + " needs " + expected);
        }
        return raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer external(TensorProto tensor, Path folder, String where, long expected) throws OnnxException {
        if (folder == null) {
            throw new OnnxException(where + ": refers to external data, which a tensor file cannot");
        }
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto entry : tensor.getExternalDataList()) {
            switch (entry.getKey()) {
                case "location" -> location = entry.getValue();
                case "offset" -> offset = parseLong(entry.getValue(), "offset", where);
                case "length" -> length = parseLong(entry.getValue(), "length", where);
                case "checksum" -> { }
                default -> throw new UnsupportedOnnxException(where + ": external_data key '" + entry.getKey()
                        + "' is not supported");
            }
        }
        if (location == null || location.isEmpty()) {
            throw new OnnxException(where + ": external data without a location");
        }
        if (length >= 0 && length != expected) {
            throw new OnnxException(where + ": external data length " + length + " bytes; its shape "
                    + tensor.getDimsList() + " needs " + expected);
        }
        Path base;
        Path file;
        try {
            base = folder.toRealPath();
            Path relative = Path.of(location);
            if (relative.isAbsolute()) {
                throw new OnnxException(where + ": external data location '" + location
                        + "' is absolute; it must be a file inside the model's folder");
            }
            file = base.resolve(relative).normalize();
            if (!file.startsWith(base)) {
                throw new OnnxException(where + ": external data location '" + location
                        + "' is outside the model's folder " + base);
            }
            if (!Files.isRegularFile(file)) {
                throw new OnnxException(where + ": external data file " + file + " does not exist");
            }
            Path real = file.toRealPath();
            if (!real.startsWith(base)) {
                throw new OnnxException(where + ": external data location '" + location
                        + "' leads outside the model's folder " + base);
            }
            file = real;
        } catch (java.nio.file.InvalidPathException e) {
            throw new OnnxException(where + ": external data location '" + location + "' is not a valid path");
        } catch (OnnxException e) {
            throw e;
        } catch (IOException e) {
            throw new OnnxException(where + ": external data: " + e.getMessage(), e);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            if (offset < 0 || offset > size || size - offset < expected) {
                throw new OnnxException(where + ": external data " + file.getFileName() + " holds " + size
                        + " bytes; the tensor needs " + expected + " from offset " + offset);
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) expected);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new OnnxException(where + ": external data " + file.getFileName() + " ended early");
                }
            }
            return buffer.flip().order(ByteOrder.LITTLE_ENDIAN);
        } catch (OnnxException e) {
            throw e;
        } catch (IOException e) {
            throw new OnnxException(where + ": external data " + file + ": " + e.getMessage(), e);
        }
    }

    private static long parseLong(String value, String key, String where) throws OnnxException {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new OnnxException(where + ": external data " + key + " '" + value + "' is not a number");
        }
    }

    private static float[] floats(ByteBuffer raw, int n) {
        float[] out = new float[n];
        raw.asFloatBuffer().get(out);
        return out;
    }

    private static float[] typedFloats(TensorProto tensor, int n, String where) throws OnnxException {
        requireCount(tensor.getFloatDataCount(), n, "float_data", where);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = tensor.getFloatData(i);
        }
        return out;
    }

    private static float[] narrow(ByteBuffer raw, int n, String where) throws OnnxException {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = narrow(raw.getDouble(i * 8), i, where);
        }
        return out;
    }

    private static float[] narrow(TensorProto tensor, int n, String where) throws OnnxException {
        requireCount(tensor.getDoubleDataCount(), n, "double_data", where);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = narrow(tensor.getDoubleData(i), i, where);
        }
        return out;
    }

    /** float64 → float32, round to nearest even; a finite double beyond float32's range is refused. */
    private static float narrow(double value, int index, String where) throws OnnxException {
        float f = (float) value;
        if (Float.isInfinite(f) && !Double.isInfinite(value)) {
            throw new OnnxException(where + ": element " + index + " = " + value + " is beyond float32's range");
        }
        return f;
    }

    private static float[] halves(ElementType type, ByteBuffer raw, TensorProto tensor, int n, String where)
            throws OnnxException {
        if (raw == null) {
            // ONNX keeps 16-bit floats in int32_data, one value (its bits) per entry.
            requireCount(tensor.getInt32DataCount(), n, "int32_data", where);
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            short bits = raw != null ? raw.getShort(i * 2) : (short) tensor.getInt32Data(i);
            out[i] = type == ElementType.FLOAT16 ? Float.float16ToFloat(bits) : Float.intBitsToFloat((bits & 0xffff) << 16);
        }
        return out;
    }

    private static long[] longs(ByteBuffer raw, int n) {
        long[] out = new long[n];
        raw.asLongBuffer().get(out);
        return out;
    }

    private static long[] typedLongs(TensorProto tensor, int n, String where) throws OnnxException {
        requireCount(tensor.getInt64DataCount(), n, "int64_data", where);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = tensor.getInt64Data(i);
        }
        return out;
    }

    private static long[] smallInts(ElementType type, ByteBuffer raw, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (type) {
                case INT32 -> raw.getInt(i * 4);
                case INT16 -> raw.getShort(i * 2);
                case UINT16 -> raw.getShort(i * 2) & 0xffff;
                case INT8 -> raw.get(i);
                default -> raw.get(i) & 0xff;
            };
        }
        return out;
    }

    private static long[] int32s(TensorProto tensor, int n, String where) throws OnnxException {
        requireCount(tensor.getInt32DataCount(), n, "int32_data", where);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = tensor.getInt32Data(i);
        }
        return out;
    }

    private static void requireCount(int present, int expected, String field, String where) throws OnnxException {
        if (present != expected) {
            throw new OnnxException(where + ": " + field + " holds " + present + " values; its shape needs " + expected);
        }
    }

    /** A float32 tensor as raw little-endian data. */
    static TensorProto floats(String name, float[] data, int... shape) {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (int d : shape) {
            b.addDims(d);
        }
        return b.build();
    }

    /** An int64 tensor as raw little-endian data. */
    static TensorProto longs(String name, long[] data, int... shape) {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(data);
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (int d : shape) {
            b.addDims(d);
        }
        return b.build();
    }
}
