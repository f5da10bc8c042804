package dev.elman.simd;

/**
 * The packed form of a {@link Gemm} {@code B} operand, made once per weight update.
 *
 * <p>A {@code depth × cols} matrix is cut into column groups of {@link Gemm#GROUP} vectors
 * ({@code GROUP·LANES} columns; the last group may hold fewer vectors). Group {@code g} occupies
 * {@code depth·GROUP·LANES} floats from {@code g·depth·GROUP·LANES}; inside it, row {@code k} is
 * the group's vectors side by side, so a register tile reads one contiguous run per {@code k} and
 * a whole group is one sequential stream. Columns past {@code cols} in the last vector are zero,
 * so every load of a packed operand is a full vector.
 */
final class Panels {
    private Panels() {
    }

    /** @return the floats a packed {@code depth × cols} matrix needs */
    static int size(int depth, int cols) {
        int vectors = (cols + Gemm.LANES - 1) / Gemm.LANES;
        return Math.multiplyExact(depth, vectors * Gemm.LANES);
    }

    /**
     * Packs a row-major matrix into {@code target} (of {@link #size} floats, padding already zero
     * or rewritten here).
     *
     * @param source the matrix, row-major
     * @param transposed false: element {@code (k, n)} is {@code source[k·cols + n]};
     *     true: {@code source} is the {@code cols × depth} transpose, element {@code (k, n)} is
     *     {@code source[n·depth + k]}
     */
    static void pack(float[] source, int depth, int cols, boolean transposed, float[] target) {
        int lanes = Gemm.LANES;
        int vectors = (cols + lanes - 1) / lanes;
        for (int v = 0; v < vectors; v++) {
            int g = v / Gemm.GROUP;
            int vectorsInGroup = Math.min(Gemm.GROUP, vectors - g * Gemm.GROUP);
            int base = g * depth * Gemm.GROUP * lanes + (v - g * Gemm.GROUP) * lanes;
            int stride = vectorsInGroup * lanes;
            for (int k = 0; k < depth; k++) {
                for (int lane = 0; lane < lanes; lane++) {
                    int n = v * lanes + lane;
                    float value = 0f;
                    if (n < cols) {
                        value = transposed ? source[n * depth + k] : source[k * cols + n];
                    }
                    target[base + k * stride + lane] = value;
                }
            }
        }
    }

    /** Copies a vector into a zero-padded one of {@link #size}{@code (1, length)} floats. */
    static void padded(float[] source, float[] target) {
        System.arraycopy(source, 0, target, 0, source.length);
    }
}
