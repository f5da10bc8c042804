package dev.elman.engine.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * An n-dimensional array of numbers: a shape (row-major, C order; rank 0 is a scalar with one
 * element), an element type and the elements. It is the library's one tensor type: a model's
 * parameters and gradients ({@link dev.elman.engine.model.Parameters}), the files of this package
 * and the PyTorch interop all take and hand out this class, so values move between them without
 * conversion.
 *
 * <p>A tensor is stored in one of two ways, fixed when it is made:
 * <ul>
 *   <li><b>Array-backed</b> ({@link #of}, {@link #wrap}, {@link #zeros}, {@link #scalar}): float32
 *       values in one Java array, which {@link #data()} returns itself, so writing it writes the
 *       tensor. {@code of} copies the caller's values; {@code wrap} shares the caller's array, which
 *       is how parameters and gradients expose the arrays the engine computes in.</li>
 *   <li><b>Read-only views</b> ({@link #isReadOnly()}): a tensor read from a file is a view of the
 *       file's little-endian bytes in the file's own {@link #dtype()} (a memory-mapped region for
 *       large files), converted to float32 only when the values are asked for; a float32 view is
 *       then copied exactly once, into the caller's array. A view keeps its mapping alive for as
 *       long as the tensor is reachable. <em>Read-only</em> means that this program cannot change
 *       a view, not that nothing can: a view of a mapped file reads the file's current bytes, so
 *       if another process edits that file in place, the view's values change with it (and if it
 *       truncates the file, reading the view fails with an {@link InternalError}). The writers of
 *       this package never modify a file in place (they replace it, and the old mapping keeps the
 *       old bytes), so this only happens to files changed behind the program's back. Whoever needs
 *       values that cannot change copies them: {@code Tensor.of(view.toFloatArray(), view.shape())}.
 *       The model loaders do exactly that ({@code ModelFile}, the PyTorch weights): a model copies
 *       its parameters at load, after every check, and never changes with its file.</li>
 * </ul>
 * The shape and the element type never change. Tensors are not synchronised: values written while
 * another thread reads them need the caller's own hand-off.
 *
 * <p>Limits: at most {@value #MAX_RANK} dimensions and {@value #MAX_ELEMENTS} elements, so that
 * every tensor converts to one Java {@code float[]}.
 */
public final class Tensor {
    /** The largest rank a tensor may have (NumPy 2 allows 64 too). */
    public static final int MAX_RANK = 64;
    /** The largest element count: the largest Java array length the JVM reliably allocates. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_LE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int[] shape;
    private final int size;
    private final DType dtype;
    /** The values of an array-backed tensor (possibly the caller's array, see {@link #wrap}), or null for a view. */
    private final float[] values;
    /** Read-only little-endian elements of {@link #dtype} from a file, or null. */
    private final MemorySegment bytes;

    private Tensor(int[] shape, int size, DType dtype, float[] values, MemorySegment bytes) {
        this.shape = shape;
        this.size = size;
        this.dtype = dtype;
        this.values = values;
        this.bytes = bytes;
    }

    /**
     * A float32 tensor holding a copy of {@code values} in the given shape; later writes to
     * {@code values} do not reach it.
     *
     * @throws IllegalArgumentException if an argument is null, a dimension is negative, the rank
     *                                  or element count exceeds the limits, or
     *                                  {@code values.length} is not the product of the dimensions
     */
    public static Tensor of(float[] values, int... shape) {
        int size = checkLength(values, shape);
        return new Tensor(shape.clone(), size, DType.F32, values.clone(), null);
    }

    /**
     * A float32 tensor over {@code values} itself, without copying: a write through the array or
     * through {@link #data()} is a write to both. The caller keeps the array's length.
     *
     * @throws IllegalArgumentException if an argument is null, a dimension is negative, the rank
     *                                  or element count exceeds the limits, or
     *                                  {@code values.length} is not the product of the dimensions
     */
    public static Tensor wrap(float[] values, int... shape) {
        int size = checkLength(values, shape);
        return new Tensor(shape.clone(), size, DType.F32, values, null);
    }

    /** Checks that {@code values} fills {@code shape} exactly and returns the element count. */
    private static int checkLength(float[] values, int[] shape) {
        if (values == null) {
            throw new IllegalArgumentException("values must not be null");
        }
        if (shape == null) {
            throw new IllegalArgumentException("shape must not be null");
        }
        int size = checkShape(shape);
        if (values.length != size) {
            throw new IllegalArgumentException("values has length " + values.length + " but shape "
                    + Arrays.toString(shape) + " holds " + size + " elements");
        }
        return size;
    }

    /** A rank-0 float32 tensor holding one value. */
    public static Tensor scalar(float value) {
        return new Tensor(new int[0], 1, DType.F32, new float[]{value}, null);
    }

    /** A float32 tensor of zeros. */
    public static Tensor zeros(int... shape) {
        if (shape == null) {
            throw new IllegalArgumentException("shape must not be null");
        }
        int size = checkShape(shape);
        return new Tensor(shape.clone(), size, DType.F32, new float[size], null);
    }

    /**
     * A view of little-endian elements; the readers have already checked that the shape is
     * within the limits and that {@code bytes} holds exactly the elements.
     */
    static Tensor view(DType dtype, int[] shape, MemorySegment bytes) {
        int size = checkShape(shape);
        if (bytes.byteSize() != (long) size * dtype.byteSize()) {
            throw new IllegalStateException("view of " + bytes.byteSize() + " bytes for " + size + " " + dtype);
        }
        return new Tensor(shape.clone(), size, dtype, null, bytes.asReadOnly());
    }

    /** Checks a shape against the limits and returns its element count. */
    static int checkShape(int[] shape) {
        if (shape.length > MAX_RANK) {
            throw new IllegalArgumentException("shape has rank " + shape.length + ", more than " + MAX_RANK);
        }
        long size = 1;
        for (int axis = 0; axis < shape.length; axis++) {
            if (shape[axis] < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has negative dimension "
                        + shape[axis] + " at axis " + axis);
            }
            // Both factors are at most MAX_ELEMENTS here, so the product cannot overflow a long.
            size *= shape[axis];
            if (size > MAX_ELEMENTS) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds more than "
                        + MAX_ELEMENTS + " elements");
            }
        }
        return (int) size;
    }

    /** The dimensions, outermost first (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions; 0 for a scalar. */
    public int rank() {
        return shape.length;
    }

    /** The length of one dimension. */
    public int dim(int axis) {
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("axis " + axis + " is outside [0, " + shape.length + ")");
        }
        return shape[axis];
    }

    /** Whether the shape is exactly {@code dims}. */
    public boolean hasShape(int... dims) {
        return Arrays.equals(shape, dims);
    }

    /** The number of elements: the product of the dimensions (1 for a scalar). */
    public int size() {
        return size;
    }

    /**
     * The element type the values are stored in: {@link DType#F32} for array-backed tensors,
     * the file's type for views of a file. The values are always available as float32.
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * Whether this is a read-only view of file bytes. Every other tensor is array-backed, and
     * writable through {@link #data()}.
     */
    public boolean isReadOnly() {
        return values == null;
    }

    /**
     * The float32 values themselves, row-major: the backing array, not a copy, so writing it
     * writes the tensor (element {@code (i, j)} of a {@code [rows, columns]} tensor is
     * {@code data()[i·columns + j]}).
     *
     * @throws UnsupportedOperationException for a {@linkplain #isReadOnly() read-only view} of
     *                                       file bytes, which has no array; {@link #toFloatArray()}
     *                                       converts its values into a new one
     */
    public float[] data() {
        if (values == null) {
            throw new UnsupportedOperationException(this + " is a read-only view of file bytes and has no array;"
                    + " toFloatArray() gives its values as a new float32 array");
        }
        return values;
    }

    /** One element, as float32, by its row-major (flat) index. */
    public float get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is outside [0, " + size + ")");
        }
        if (values != null) {
            return values[index];
        }
        return switch (dtype) {
            case F32 -> bytes.getAtIndex(F32_LE, index);
            case F64 -> (float) bytes.getAtIndex(F64_LE, index);
            case F16 -> Float.float16ToFloat(bytes.getAtIndex(I16_LE, index));
            case BF16 -> bfloat16ToFloat(bytes.getAtIndex(I16_LE, index));
        };
    }

    /** One element, as float64, by its row-major (flat) index: exact for every element type. */
    public double getDouble(int index) {
        if (values == null && dtype == DType.F64) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("index " + index + " is outside [0, " + size + ")");
            }
            return bytes.getAtIndex(F64_LE, index);
        }
        return get(index);
    }

    /** A new array with every element as float32, row-major. */
    public float[] toFloatArray() {
        float[] out = new float[size];
        copyTo(out, 0);
        return out;
    }

    /**
     * Copies every element, as float32 and row-major, into {@code destination} from
     * {@code offset} on.
     */
    public void copyTo(float[] destination, int offset) {
        if (destination == null) {
            throw new IllegalArgumentException("destination must not be null");
        }
        if (offset < 0 || offset > destination.length - size) {
            throw new IllegalArgumentException("destination of length " + destination.length + " at offset " + offset
                    + " has no room for " + size + " elements");
        }
        if (values != null) {
            System.arraycopy(values, 0, destination, offset, size);
            return;
        }
        switch (dtype) {
            case F32 -> MemorySegment.copy(bytes, F32_LE, 0, destination, offset, size);
            case F64 -> {
                for (int i = 0; i < size; i++) {
                    destination[offset + i] = (float) bytes.getAtIndex(F64_LE, i);
                }
            }
            case F16 -> {
                for (int i = 0; i < size; i++) {
                    destination[offset + i] = Float.float16ToFloat(bytes.getAtIndex(I16_LE, i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < size; i++) {
                    destination[offset + i] = bfloat16ToFloat(bytes.getAtIndex(I16_LE, i));
                }
            }
        }
    }

    /** A new array with every element as float64: exact for every element type. */
    public double[] toDoubleArray() {
        double[] out = new double[size];
        if (dtype == DType.F64 && values == null) {
            MemorySegment.copy(bytes, F64_LE, 0, out, 0, size);
            return out;
        }
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return out;
    }

    /**
     * The elements as a read-only float32 buffer: a view without copying when the tensor is a
     * float32 file region below 2 GiB, a (converted) copy otherwise, which later writes through
     * {@link #data()} do not reach.
     */
    public FloatBuffer asFloatBuffer() {
        if (values == null && dtype == DType.F32 && bytes.byteSize() <= Integer.MAX_VALUE) {
            return bytes.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        }
        return FloatBuffer.wrap(values != null ? values.clone() : toFloatArray()).asReadOnlyBuffer();
    }

    /**
     * The index of the first float64 element that is finite but too large for float32 (it would
     * become infinite on conversion), or -1. The readers reject such files rather than let an
     * infinity appear in the values silently.
     */
    int firstNarrowingOverflow() {
        if (dtype != DType.F64 || values != null) {
            return -1;
        }
        for (int i = 0; i < size; i++) {
            double v = bytes.getAtIndex(F64_LE, i);
            if (Double.isFinite(v) && Float.isInfinite((float) v)) {
                return i;
            }
        }
        return -1;
    }

    /** The raw little-endian element bytes of a file tensor, or null for an array-backed tensor. */
    MemorySegment bytes() {
        return bytes;
    }

    /**
     * Writes every element little-endian as {@code target} ({@link DType#F32} or
     * {@link DType#F64}). Float32 and float64 file bytes that need no conversion are copied as
     * they are.
     */
    void writeTo(LittleEndianOutput out, DType target) throws IOException {
        if (target != DType.F32 && target != DType.F64) {
            throw new IllegalArgumentException("cannot write elements as " + target + "; F32 or F64 expected");
        }
        if (values == null && dtype == target) {
            out.write(bytes);
        } else if (target == DType.F32) {
            for (int i = 0; i < size; i++) {
                out.writeFloat(values != null ? values[i] : get(i));
            }
        } else {
            // Every element is a float32 value here, and widening a float32 to float64 is exact.
            for (int i = 0; i < size; i++) {
                out.writeDouble(values != null ? values[i] : get(i));
            }
        }
    }

    private static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** For example {@code Tensor[F32 2×3]}; a scalar is {@code Tensor[F32 scalar]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor[").append(dtype).append(' ');
        if (shape.length == 0) {
            sb.append("scalar");
        }
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? "×" : "").append(shape[i]);
        }
        return sb.append(']').toString();
    }
}
