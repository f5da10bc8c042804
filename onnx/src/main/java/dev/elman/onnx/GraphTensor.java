package dev.elman.onnx;

import java.util.Arrays;

/**
 * A value flowing through an ONNX graph as Elman evaluates it: a shape and either float32 data
 * (every floating-point element type, converted on reading) or int64 data (the integer tensors
 * of shape arithmetic, indices and sequence lengths). Row-major; immutable by convention (an
 * operator never writes into its inputs).
 */
final class GraphTensor {
    private final int[] shape;
    private final float[] floats;
    private final long[] longs;

    private GraphTensor(int[] shape, float[] floats, long[] longs) {
        this.shape = shape;
        this.floats = floats;
        this.longs = longs;
    }

    static GraphTensor ofFloats(float[] data, int... shape) {
        check(data.length, shape);
        return new GraphTensor(shape.clone(), data, null);
    }

    static GraphTensor ofLongs(long[] data, int... shape) {
        check(data.length, shape);
        return new GraphTensor(shape.clone(), null, data);
    }

    private static void check(int length, int[] shape) {
        long count = count(shape);
        if (count != length) {
            throw new IllegalStateException("data of " + length + " elements for shape " + Arrays.toString(shape));
        }
    }

    /** @return the number of elements of a shape, or −1 when it overflows a Java array */
    static long count(int[] shape) {
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count > Integer.MAX_VALUE - 8) {
                return -1;
            }
        }
        return count;
    }

    boolean isFloat() {
        return floats != null;
    }

    int[] shape() {
        return shape.clone();
    }

    int rank() {
        return shape.length;
    }

    int dim(int axis) {
        return shape[axis];
    }

    int size() {
        return isFloat() ? floats.length : longs.length;
    }

    /** @return the float data, live (do not write) */
    float[] floats() {
        if (floats == null) {
            throw new IllegalStateException("an integer tensor has no float data");
        }
        return floats;
    }

    /** @return the integer data, live (do not write) */
    long[] longs() {
        if (longs == null) {
            throw new IllegalStateException("a float tensor has no integer data");
        }
        return longs;
    }

    /** @return the element at a flat index as a double, of either kind */
    double get(int index) {
        return isFloat() ? floats[index] : longs[index];
    }

    /** @return a tensor of the same data and kind under another shape of as many elements */
    GraphTensor reshaped(int... newShape) {
        return isFloat() ? ofFloats(floats, newShape) : ofLongs(longs, newShape);
    }

    /** @return an empty tensor of the same kind */
    GraphTensor like(int[] newShape, int count) {
        return isFloat() ? ofFloats(new float[count], newShape) : ofLongs(new long[count], newShape);
    }

    /** Copies element {@code from} of this tensor to element {@code to} of {@code target} (same kind). */
    void copyElement(int from, GraphTensor target, int to) {
        if (isFloat()) {
            target.floats[to] = floats[from];
        } else {
            target.longs[to] = longs[from];
        }
    }

    String kind() {
        return isFloat() ? "float" : "int64";
    }

    @Override
    public String toString() {
        return kind() + Arrays.toString(shape);
    }
}
