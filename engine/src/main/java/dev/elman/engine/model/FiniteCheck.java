package dev.elman.engine.model;

import java.util.List;

/**
 * Looks for NaN and infinities in a block of a row-major array and describes what it finds as a
 * {@link NonFiniteException}: the one check behind every "no silent non-finite result" rule of the
 * models. The scan of a finite block is one compare per value, negligible beside the
 * multiply-adds that produced the block.
 */
final class FiniteCheck {
    private FiniteCheck() {
    }

    /**
     * @param values the array
     * @param offset where the block starts
     * @param axes the block's axes, outermost first
     * @param dims the block's extent along each axis (the block is their product long)
     * @param origin added to the coordinates of the first non-finite value (e.g. the block's first
     *     step within a longer sequence), or null
     * @param context leads the message, or null
     * @param quantity names the block
     * @param consequence ends the message, or null
     * @return null when every value is finite; otherwise the exception to throw
     */
    static NonFiniteException find(float[] values, int offset, List<String> axes, int[] dims, int[] origin,
                                   String context, String quantity, String consequence) {
        long length = 1;
        for (int d : dims) {
            length *= d;
        }
        int end = Math.toIntExact(offset + length);
        int first = firstNonFinite(values, offset, end);
        if (first < 0) {
            return null;
        }
        long count = 0;
        for (int i = first; i < end; i++) {
            if (!Float.isFinite(values[i])) {
                count++;
            }
        }
        int[] position = new int[dims.length];
        long rest = first - offset;
        for (int a = dims.length - 1; a >= 0; a--) {
            position[a] = (int) (rest % dims[a]) + (origin == null ? 0 : origin[a]);
            rest /= dims[a];
        }
        return new NonFiniteException(context, quantity, count, values[first], axes, position, consequence);
    }

    /**
     * The allocation-free test for hot paths: look first, describe (with {@link #find}) only on failure.
     *
     * @return the index of the first non-finite value in {@code values[from, to)}, or −1
     */
    static int firstNonFinite(float[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    /** As {@link #find}, throwing what it finds. */
    static void require(float[] values, int offset, List<String> axes, int[] dims, int[] origin, String context,
                        String quantity, String consequence) {
        NonFiniteException e = find(values, offset, axes, dims, origin, context, quantity, consequence);
        if (e != null) {
            throw e;
        }
    }
}
