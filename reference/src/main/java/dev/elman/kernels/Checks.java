package dev.elman.kernels;

/**
 * Argument validation shared by the contract's classes, so every implementation rejects the same
 * inputs with the same messages: the argument's name, what was expected and what was given.
 */
final class Checks {
    private Checks() {
    }

    static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
        return value;
    }

    /** Converts an element count to an array length, refusing counts no Java array can hold. */
    static int arraySize(String formula, long count) {
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(formula + " = " + count + " elements is more than a Java array holds");
        }
        return (int) count;
    }

    static void exactLength(String name, float[] array, long expected, String formula) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null (expected length " + expected + " = " + formula + ")");
        }
        if (array.length != expected) {
            throw new IllegalArgumentException(name + ": expected length " + expected + " (" + formula + "), got " + array.length);
        }
    }

    /** A region {@code [offset, offset + count)} that must lie inside {@code array}. */
    static void region(String name, float[] array, int offset, long count, String formula) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null (expected " + count + " floats = " + formula + ")");
        }
        if (offset < 0) {
            throw new IllegalArgumentException(name + "Offset must not be negative, got " + offset);
        }
        if (offset + count > array.length) {
            throw new IllegalArgumentException(name + ": expected at least " + count + " floats from offset " + offset
                    + " (" + formula + "), got length " + array.length);
        }
    }

    /*
     * The overloads below take the formula's names and factors instead of a finished message and
     * build the message only when the check fails: the checks run on every pass, and a pass must
     * not allocate (string concatenation would, on every call).
     */

    /** {@link #exactLength(String, float[], long, String)} for {@code a × b} elements named {@code names}. */
    static void exactLength(String name, float[] array, String names, int a, int b) {
        long expected = (long) a * b;
        if (array == null || array.length != expected) {
            exactLength(name, array, expected, names + " = " + a + " × " + b);
        }
    }

    /** {@link #region(String, float[], int, long, String)} for {@code a × b} elements named {@code names}. */
    static void region(String name, float[] array, int offset, String names, int a, int b) {
        long count = (long) a * b;
        if (array == null || offset < 0 || offset + count > array.length) {
            region(name, array, offset, count, names + " = " + a + " × " + b);
        }
    }

    /** {@link #region(String, float[], int, long, String)} for {@code a × b × c} elements named {@code names}. */
    static void region(String name, float[] array, int offset, String names, int a, int b, int c) {
        long count = (long) a * b * c;
        if (array == null || offset < 0 || offset + count > array.length) {
            region(name, array, offset, count, names + " = " + a + " × " + b + " × " + c);
        }
    }

    /** Fails when two regions of the same array overlap; regions of different arrays never do. */
    static void disjoint(String nameA, float[] a, int offsetA, long countA,
                         String nameB, float[] b, int offsetB, long countB) {
        if (a != null && a == b && offsetA < offsetB + countB && offsetB < offsetA + countA) {
            throw new IllegalArgumentException(nameA + " [" + offsetA + ", " + (offsetA + countA) + ") overlaps "
                    + nameB + " [" + offsetB + ", " + (offsetB + countB) + ") in the same array");
        }
    }
}
