package dev.elman.onnx;

import java.util.Arrays;

/**
 * The arithmetic an exported output head needs: MatMul, Add and Gemm (an {@code nn.Linear} is
 * MatMul + Add on a sequence, Gemm on a matrix). Float tensors, float32 products accumulated in
 * double.
 */
final class MathOperators {
    private MathOperators() {
    }

    static GraphTensor add(GraphTensor a, GraphTensor b, String node) throws OnnxException {
        if (a.isFloat() != b.isFloat()) {
            throw new OnnxException(node + ": adds a " + a.kind() + " and a " + b.kind() + " tensor");
        }
        int[] out = Broadcast.shape(a.shape(), b.shape(), node);
        int[] ia = Broadcast.sourceIndices(a.shape(), out);
        int[] ib = Broadcast.sourceIndices(b.shape(), out);
        if (a.isFloat()) {
            float[] r = new float[ia.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = a.floats()[ia[i]] + b.floats()[ib[i]];
            }
            return GraphTensor.ofFloats(r, out);
        }
        long[] r = new long[ia.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.longs()[ia[i]] + b.longs()[ib[i]];
        }
        return GraphTensor.ofLongs(r, out);
    }

    /** numpy matmul for a right operand of rank 2 (the weights of a head), any left operand of rank ≥ 1. */
    static GraphTensor matMul(GraphTensor a, GraphTensor b, String node) throws OnnxException {
        RnnOperator.requireFloat(a, "A", node);
        RnnOperator.requireFloat(b, "B", node);
        if (b.rank() != 2 || a.rank() < 1) {
            throw new UnsupportedOnnxException(node + ": MatMul of " + a + " by " + b
                    + " is not supported (the right operand must be a matrix)");
        }
        int k = b.dim(0);
        int n = b.dim(1);
        if (a.dim(a.rank() - 1) != k) {
            throw new OnnxException(node + ": MatMul of " + a + " by " + b + ": inner dimensions differ");
        }
        int rows = 1;
        for (int i = 0; i < a.rank() - 1; i++) {
            rows *= a.dim(i);
        }
        int[] shape = a.rank() == 1 ? new int[] {n} : a.shape();
        shape[shape.length - 1] = n;
        Broadcast.checkSize(shape, node);
        float[] out = product(a.floats(), rows, k, false, b.floats(), n, false);
        return GraphTensor.ofFloats(out, shape);
    }

    static GraphTensor gemm(GraphTensor a, GraphTensor b, GraphTensor c, NodeAttributes attrs, String node)
            throws OnnxException {
        float alpha = attrs.getFloat("alpha", 1f);
        float beta = attrs.getFloat("beta", 1f);
        boolean transA = attrs.getInt("transA", 0) != 0;
        boolean transB = attrs.getInt("transB", 0) != 0;
        RnnOperator.requireFloat(a, "A", node);
        RnnOperator.requireFloat(b, "B", node);
        if (a.rank() != 2 || b.rank() != 2) {
            throw new OnnxException(node + ": Gemm needs matrices, got " + a + " and " + b);
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new OnnxException(node + ": Gemm of " + a + " by " + b + ": inner dimensions differ");
        }
        Broadcast.checkSize(new int[] {m, n}, node);
        float[] out = product(a.floats(), m, k, transA, b.floats(), n, transB);
        for (int i = 0; i < out.length; i++) {
            out[i] *= alpha;
        }
        if (c != null) {
            RnnOperator.requireFloat(c, "C", node);
            int[] shape = {m, n};
            if (!Arrays.equals(Broadcast.shape(c.shape(), shape, node), shape)) {
                throw new OnnxException(node + ": C " + c + " does not broadcast to [" + m + ", " + n + "]");
            }
            int[] ic = Broadcast.sourceIndices(c.shape(), shape);
            for (int i = 0; i < out.length; i++) {
                out[i] += beta * c.floats()[ic[i]];
            }
        }
        return GraphTensor.ofFloats(out, m, n);
    }

    /** {@code [m, k] × [k, n]}, either operand stored transposed; sums in double, rounded once. */
    private static float[] product(float[] a, int m, int k, boolean transA, float[] b, int n, boolean transB) {
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float x = transA ? a[p * m + i] : a[i * k + p];
                    float y = transB ? b[j * k + p] : b[p * n + j];
                    s += (double) x * y;
                }
                out[i * n + j] = (float) s;
            }
        }
        return out;
    }
}
