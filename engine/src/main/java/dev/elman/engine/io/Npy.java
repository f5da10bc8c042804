package dev.elman.engine.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads and writes NumPy's {@code .npy} format: the magic {@code \x93NUMPY}, a version byte pair,
 * a little-endian header length (2 bytes in version 1.0, 4 in 2.0 and 3.0), the header (a Python
 * dictionary literal with {@code descr}, {@code fortran_order} and {@code shape}, padded with
 * spaces and ending in a newline), then the elements.
 *
 * <p>Supported: versions 1.0, 2.0 and 3.0; {@code '<f4'} and {@code '<f8'}; C order; any rank
 * including 0 (a scalar). Everything else is a {@link MalformedFileException} that says what was
 * found: Fortran order, big-endian or object or structured or any other dtype, an unknown version,
 * a header longer than {@value #MAX_HEADER_BYTES} bytes (NumPy's own safety limit) or not ASCII,
 * and a data section whose length is not exactly the shape's elements. Float64 values must fit
 * float32. Files above 1 MiB are memory-mapped (see {@link Tensor}).
 *
 * <p>Writing produces version 1.0 with the data aligned to 64 bytes, byte for byte as NumPy's
 * {@code np.save} writes the same array, and replaces the file atomically.
 */
public final class Npy {
    /** The largest header accepted, NumPy's default {@code max_header_size}. */
    public static final int MAX_HEADER_BYTES = 10_000;

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() {
    }

    /**
     * Reads an {@code .npy} file.
     *
     * @throws MalformedFileException if the file is not a valid {@code .npy} file this package
     *                                supports
     * @throws IOException            if the file cannot be read
     */
    public static Tensor read(Path file) throws IOException {
        return read(file, FileSource.MAP_THRESHOLD);
    }

    /** {@link #read(Path)} with the size above which the file is mapped (tests map small files). */
    static Tensor read(Path file, long mapThreshold) throws IOException {
        MemorySegment all = FileSource.open(file, mapThreshold);
        long size = all.byteSize();
        if (size < MAGIC.length || !Arrays.equals(all.asSlice(0, MAGIC.length).toArray(ValueLayout.JAVA_BYTE), MAGIC)) {
            throw new MalformedFileException(file, "not an .npy file: it does not start with the magic bytes \\x93NUMPY"
                    + (size < MAGIC.length ? " (only " + size + " bytes)" : ""));
        }
        if (size < 10) {
            throw new MalformedFileException(file, "truncated: " + size + " bytes, the preamble alone has 10");
        }
        int major = Byte.toUnsignedInt(all.get(ValueLayout.JAVA_BYTE, 6));
        int minor = Byte.toUnsignedInt(all.get(ValueLayout.JAVA_BYTE, 7));
        if (minor != 0 || major < 1 || major > 3) {
            throw new MalformedFileException(file, null, "version", major + "." + minor
                    + " is not supported (expected 1.0, 2.0 or 3.0)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        int prefix = 8 + lengthBytes;
        if (size < prefix) {
            throw new MalformedFileException(file, "truncated: " + size + " bytes, the version " + major
                    + ".0 preamble alone has " + prefix);
        }
        long headerBytes = major == 1
                ? Short.toUnsignedInt(all.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8))
                : Integer.toUnsignedLong(all.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8));
        if (headerBytes > MAX_HEADER_BYTES) {
            throw new MalformedFileException(file, null, "header", "length " + headerBytes + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        if (prefix + headerBytes > size) {
            throw new MalformedFileException(file, null, "header", "length " + headerBytes + " exceeds the "
                    + (size - prefix) + " bytes after the preamble (truncated?)");
        }
        byte[] headerRaw = all.asSlice(prefix, headerBytes).toArray(ValueLayout.JAVA_BYTE);
        for (int i = 0; i < headerRaw.length; i++) {
            if (headerRaw[i] < 0) {
                throw new MalformedFileException(file, null, "header", "non-ASCII byte 0x"
                        + Integer.toHexString(headerRaw[i] & 0xFF) + " at header byte " + i);
            }
        }
        NpyHeader header = NpyHeader.parse(file, new String(headerRaw, StandardCharsets.US_ASCII));

        long dataStart = prefix + headerBytes;
        long needed = (long) Tensor.checkShape(header.shape()) * header.dtype().byteSize();
        long actual = size - dataStart;
        if (actual != needed) {
            throw new MalformedFileException(file, "the data section has " + actual + " bytes but shape "
                    + Arrays.toString(header.shape()) + " of '" + NpyHeader.descr(header.dtype()) + "' needs " + needed
                    + (actual < needed ? " (truncated)" : " (trailing bytes)"));
        }
        Tensor tensor = Tensor.view(header.dtype(), header.shape(), all.asSlice(dataStart));
        int overflow = tensor.firstNarrowingOverflow();
        if (overflow >= 0) {
            throw new MalformedFileException(file, "element " + overflow + " = " + tensor.getDouble(overflow)
                    + " is too large for float32");
        }
        return tensor;
    }

    /** Writes a tensor as {@code '<f4'}; see {@link #write(Path, Tensor, DType)}. */
    public static void write(Path file, Tensor tensor) throws IOException {
        write(file, tensor, DType.F32);
    }

    /**
     * Writes a tensor as {@code '<f4'} ({@link DType#F32}) or {@code '<f8'} ({@link DType#F64});
     * replaces {@code file} atomically. Float64 output of a float32 tensor holds the float32
     * values exactly; a float64 tensor read from a file is written back with its full precision.
     *
     * @throws IllegalArgumentException if an argument is null or {@code dtype} is neither F32 nor F64
     */
    public static void write(Path file, Tensor tensor, DType dtype) throws IOException {
        if (file == null || tensor == null || dtype == null) {
            throw new IllegalArgumentException("file, tensor and dtype must not be null");
        }
        byte[] preamble = NpyHeader.preamble(dtype, tensor.shape());
        long expectedSize = preamble.length + (long) tensor.size() * dtype.byteSize();
        AtomicFileWriter.write(file, channel -> {
            LittleEndianOutput out = new LittleEndianOutput(channel, null);
            out.write(preamble);
            tensor.writeTo(out, dtype);
            out.flush();
            if (out.position() != expectedSize) {
                throw new IllegalStateException("wrote " + out.position() + " bytes, expected " + expectedSize);
            }
        });
    }
}
