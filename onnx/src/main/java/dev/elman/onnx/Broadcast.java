package dev.elman.onnx;

import java.util.Arrays;

/** ONNX's (numpy's) multidirectional broadcasting: the output shape and each operand's element for an output element. */
final class Broadcast {
    /**
     * The most elements one operator's result may have (512 MiB of float32): graphs of RNN nodes
     * move tensors of the inputs' size, so a larger intermediate means a malformed or hostile file,
     * refused before it is allocated.
     */
    static final long MAX_RESULT_ELEMENTS = 1L << 27;

    private Broadcast() {
    }

    /** Refuses a result shape of more than {@link #MAX_RESULT_ELEMENTS} elements before anything is allocated. */
    static void checkSize(int[] shape, String node) throws OnnxException {
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count > MAX_RESULT_ELEMENTS) {
                throw new OnnxException(node + ": its result " + Arrays.toString(shape) + " would hold more than "
                        + MAX_RESULT_ELEMENTS + " elements");
            }
        }
    }

    static int[] shape(int[] a, int[] b, String node) throws OnnxException {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new OnnxException(node + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        checkSize(out, node);
        return out;
    }

    /**
     * For every element of {@code out} (row-major), the flat index of the element of a tensor of
     * shape {@code in} (aligned to the right, dimensions of 1 repeated) that broadcasts to it.
     */
    static int[] sourceIndices(int[] in, int[] out) {
        int rank = out.length;
        int[] strides = new int[rank];
        int stride = 1;
        for (int i = in.length - 1; i >= 0; i--) {
            int axis = i + rank - in.length;
            strides[axis] = in[i] == 1 ? 0 : stride;
            stride *= in[i];
        }
        int count = (int) GraphTensor.count(out);
        int[] source = new int[count];
        int[] index = new int[rank];
        int offset = 0;
        for (int k = 0; k < count; k++) {
            source[k] = offset;
            for (int axis = rank - 1; axis >= 0; axis--) {
                index[axis]++;
                offset += strides[axis];
                if (index[axis] < out[axis]) {
                    break;
                }
                offset -= strides[axis] * index[axis];
                index[axis] = 0;
            }
        }
        return source;
    }
}
