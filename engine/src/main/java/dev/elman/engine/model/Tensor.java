package dev.elman.engine.model;

import java.util.Arrays;

/**
 * A named, shaped block of float32 values in one flat row-major array: element
 * {@code (i, j)} of a {@code [rows, columns]} tensor is {@code data()[i·columns + j]}.
 *
 * <p>The name and shape are fixed; the values are live: {@link #data()} is the array itself, not a
 * copy, so writing it writes the tensor (see {@link Model#loadParameters()} for when a model sees
 * such writes).
 */
public final class Tensor {
    private final String name;
    private final int[] shape;
    private final float[] data;

    Tensor(String name, int[] shape, float[] data) {
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalStateException(name + ": shape " + Arrays.toString(shape) + " does not hold " + data.length
                    + " values");
        }
        this.name = name;
        this.shape = shape.clone();
        this.data = data;
    }

    static Tensor zeros(String name, int... shape) {
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        return new Tensor(name, shape, new float[Math.toIntExact(size)]);
    }

    /** @return the tensor's stable name, see {@link ParameterNames} */
    public String name() {
        return name;
    }

    /** @return a copy of the shape, outermost dimension first */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    /**
     * @param axis 0 … rank − 1
     * @return the length along {@code axis}
     */
    public int dimension(int axis) {
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException(name + ": axis must be in 0 … " + (shape.length - 1) + ", got " + axis);
        }
        return shape[axis];
    }

    /** @return the number of values, the product of the shape */
    public int size() {
        return data.length;
    }

    /** @return the live values, row-major */
    public float[] data() {
        return data;
    }

    /**
     * Whether the shape is the given one.
     *
     * @param expected a shape
     * @return whether it equals this tensor's shape
     */
    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
