package dev.elman.engine.io;

/**
 * The element types this package reads from files. Every type is converted to float32 for use:
 * {@link #F16} and {@link #BF16} exactly, {@link #F64} by rounding to the nearest float32 (ties to
 * even, the rounding of a Java {@code (float)} cast). Writers produce {@link #F32}, and
 * {@link #F64} where a format allows it on request.
 */
public enum DType {
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary64; narrowed to float32 on conversion, round to nearest even. */
    F64(8),
    /** IEEE 754 binary16; every value is exactly representable in float32. */
    F16(2),
    /** bfloat16, the upper half of a binary32; every value is exactly representable in float32. */
    BF16(2);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }
}
