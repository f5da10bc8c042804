package dev.elman.onnx;

import dev.elman.onnx.proto.AttributeProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The operators that move data without arithmetic, as {@code torch.onnx.export} wraps RNN nodes
 * with them: Shape, Gather, Unsqueeze, Squeeze, Concat, ConstantOfShape, Expand, Slice, Transpose,
 * Reshape, Identity, Constant, Cast. Each follows the ONNX operator of the model's opset (axes as
 * attributes or inputs) and reads every attribute it accepts, so that others are refused by name.
 */
final class ShapeOperators {
    private ShapeOperators() {
    }

    static GraphTensor shape(GraphTensor x, NodeAttributes a) throws OnnxException {
        int rank = x.rank();
        long start = a.getInt("start", 0);
        long end = a.getInt("end", rank);
        int s = (int) clampAxis(start, rank);
        int e = (int) clampAxis(end, rank);
        int n = Math.max(0, e - s);
        long[] dims = new long[n];
        for (int i = 0; i < n; i++) {
            dims[i] = x.dim(s + i);
        }
        return GraphTensor.ofLongs(dims, n);
    }

    private static long clampAxis(long v, int rank) {
        if (v < 0) {
            v += rank;
        }
        return Math.max(0, Math.min(rank, v));
    }

    static int axis(long axis, int rank, String node, String what) throws OnnxException {
        if (axis < -rank || axis >= rank) {
            throw new OnnxException(node + ": " + what + " " + axis + " is outside the rank " + rank + " of its input");
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    static GraphTensor gather(GraphTensor data, GraphTensor indices, NodeAttributes a, String node) throws OnnxException {
        int axis = axis(a.getInt("axis", 0), data.rank(), node, "axis");
        if (indices.isFloat()) {
            throw new OnnxException(node + ": indices must be integers");
        }
        int[] ds = data.shape();
        int[] is = indices.shape();
        int[] out = new int[ds.length - 1 + is.length];
        System.arraycopy(ds, 0, out, 0, axis);
        System.arraycopy(is, 0, out, axis, is.length);
        System.arraycopy(ds, axis + 1, out, axis + is.length, ds.length - axis - 1);
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= ds[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < ds.length; i++) {
            inner *= ds[i];
        }
        int n = indices.size();
        Broadcast.checkSize(out, node);
        long count = (long) outer * n * inner;
        GraphTensor result = data.like(out, (int) count);
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < n; k++) {
                long idx = indices.longs()[k];
                if (idx < -ds[axis] || idx >= ds[axis]) {
                    throw new OnnxException(node + ": index " + idx + " is outside 0 … " + (ds[axis] - 1));
                }
                int j = (int) (idx < 0 ? idx + ds[axis] : idx);
                for (int i = 0; i < inner; i++) {
                    data.copyElement((o * ds[axis] + j) * inner + i, result, (o * n + k) * inner + i);
                }
            }
        }
        return result;
    }

    /** The axes of Squeeze/Unsqueeze/ReduceSum: an attribute before opset 13, the second input from 13. */
    static long[] axes(NodeAttributes a, List<GraphTensor> inputs, int index, long opset, String node) throws OnnxException {
        if (opset < 13) {
            return a.getInts("axes");
        }
        GraphTensor t = index < inputs.size() ? inputs.get(index) : null;
        if (t == null) {
            return null;
        }
        if (t.isFloat()) {
            throw new OnnxException(node + ": axes must be integers");
        }
        return t.longs();
    }

    static GraphTensor unsqueeze(GraphTensor x, long[] axes, String node) throws OnnxException {
        if (axes == null) {
            throw new OnnxException(node + ": Unsqueeze needs axes");
        }
        int rank = x.rank() + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long axis : axes) {
            int a = axis(axis, rank, node, "axis");
            if (inserted[a]) {
                throw new OnnxException(node + ": axis " + axis + " is given twice");
            }
            inserted[a] = true;
        }
        int[] out = new int[rank];
        int j = 0;
        for (int i = 0; i < rank; i++) {
            out[i] = inserted[i] ? 1 : x.dim(j++);
        }
        return x.reshaped(out);
    }

    static GraphTensor squeeze(GraphTensor x, long[] axes, String node) throws OnnxException {
        boolean[] removed = new boolean[x.rank()];
        if (axes == null) {
            for (int i = 0; i < x.rank(); i++) {
                removed[i] = x.dim(i) == 1;
            }
        } else {
            for (long axis : axes) {
                int a = axis(axis, x.rank(), node, "axis");
                if (x.dim(a) != 1) {
                    throw new OnnxException(node + ": cannot squeeze axis " + axis + " of shape " + Arrays.toString(x.shape())
                            + ": its size is not 1");
                }
                removed[a] = true;
            }
        }
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!removed[i]) {
                dims.add(x.dim(i));
            }
        }
        return x.reshaped(dims.stream().mapToInt(Integer::intValue).toArray());
    }

    static GraphTensor concat(List<GraphTensor> inputs, NodeAttributes a, String node) throws OnnxException {
        if (!a.has("axis")) {
            throw new OnnxException(node + ": Concat needs the attribute axis");
        }
        GraphTensor first = inputs.get(0);
        int axis = axis(a.getInt("axis", 0), first.rank(), node, "axis");
        int[] out = first.shape();
        out[axis] = 0;
        for (GraphTensor t : inputs) {
            if (t.rank() != first.rank() || t.isFloat() != first.isFloat()) {
                throw new OnnxException(node + ": inputs " + first + " and " + t + " do not concatenate");
            }
            for (int i = 0; i < t.rank(); i++) {
                if (i != axis && t.dim(i) != first.dim(i)) {
                    throw new OnnxException(node + ": inputs " + first + " and " + t + " differ off axis " + axis);
                }
            }
            out[axis] += t.dim(axis);
        }
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= out[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < out.length; i++) {
            inner *= out[i];
        }
        Broadcast.checkSize(out, node);
        long count = GraphTensor.count(out);
        GraphTensor result = first.like(out, (int) count);
        int offset = 0;
        for (GraphTensor t : inputs) {
            int block = t.dim(axis) * inner;
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < block; i++) {
                    t.copyElement(o * block + i, result, o * out[axis] * inner + offset + i);
                }
            }
            offset += block;
        }
        return result;
    }

    static int[] shapeValues(GraphTensor shape, String node, String what) throws OnnxException {
        if (shape.isFloat() || shape.rank() != 1) {
            throw new OnnxException(node + ": " + what + " must be a 1-D integer tensor, got " + shape);
        }
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            long d = shape.longs()[i];
            if (d < 0 || d > Integer.MAX_VALUE - 8) {
                throw new OnnxException(node + ": " + what + " holds the dimension " + d);
            }
            dims[i] = (int) d;
        }
        return dims;
    }

    static GraphTensor constantOfShape(GraphTensor shape, NodeAttributes a, TensorCodec.Budget budget, String node)
            throws OnnxException {
        int[] dims = shapeValues(shape, node, "the shape");
        Broadcast.checkSize(dims, node);
        long count = GraphTensor.count(dims);
        budget.take(count, node);
        AttributeProto value = a.getTensor("value");
        if (value == null) {
            return GraphTensor.ofFloats(new float[(int) count], dims);
        }
        GraphTensor v = TensorCodec.decode(value.getT(), null, node + ": attribute value", budget);
        if (v.size() != 1) {
            throw new OnnxException(node + ": attribute value must hold one element, got " + v);
        }
        GraphTensor out = v.like(dims, (int) count);
        for (int i = 0; i < count; i++) {
            v.copyElement(0, out, i);
        }
        return out;
    }

    static GraphTensor expand(GraphTensor x, GraphTensor shape, TensorCodec.Budget budget, String node) throws OnnxException {
        int[] target = shapeValues(shape, node, "the shape");
        int[] out = Broadcast.shape(x.shape(), target, node);
        long count = GraphTensor.count(out);
        if (count < 0) {
            throw new OnnxException(node + ": the result " + Arrays.toString(out) + " is too large");
        }
        budget.take(count, node);
        int[] source = Broadcast.sourceIndices(x.shape(), out);
        GraphTensor result = x.like(out, (int) count);
        for (int i = 0; i < count; i++) {
            x.copyElement(source[i], result, i);
        }
        return result;
    }

    static GraphTensor slice(GraphTensor x, List<GraphTensor> inputs, NodeAttributes a, long opset, String node)
            throws OnnxException {
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (opset < 10) {
            starts = a.getInts("starts");
            ends = a.getInts("ends");
            axes = a.getInts("axes");
        } else {
            starts = ints(inputs, 1, node, "starts");
            ends = ints(inputs, 2, node, "ends");
            axes = ints(inputs, 3, node, "axes");
            steps = ints(inputs, 4, node, "steps");
        }
        if (starts == null || ends == null || starts.length != ends.length) {
            throw new OnnxException(node + ": Slice needs starts and ends of the same length");
        }
        int rank = x.rank();
        int[] begin = new int[rank];
        int[] step = new int[rank];
        int[] out = x.shape();
        Arrays.fill(step, 1);
        for (int k = 0; k < starts.length; k++) {
            int axis = axes == null ? k : axis(axes[k], rank, node, "axis");
            long st = steps == null ? 1 : steps[k];
            if (st == 0) {
                throw new OnnxException(node + ": a step of 0");
            }
            long dim = x.dim(axis);
            long s = starts[k] < 0 ? starts[k] + dim : starts[k];
            long e = ends[k] < 0 ? ends[k] + dim : ends[k];
            if (st > 0) {
                s = Math.max(0, Math.min(dim, s));
                e = Math.max(0, Math.min(dim, e));
                out[axis] = (int) Math.max(0, (e - s + st - 1) / st);
            } else {
                s = Math.max(-1, Math.min(dim - 1, s));
                e = Math.max(-1, Math.min(dim - 1, e));
                out[axis] = (int) Math.max(0, (s - e + (-st) - 1) / (-st));
            }
            begin[axis] = (int) s;
            step[axis] = (int) st;
        }
        int count = (int) GraphTensor.count(out);
        GraphTensor result = x.like(out, count);
        int[] strides = strides(x.shape());
        int[] index = new int[rank];
        for (int i = 0; i < count; i++) {
            int src = 0;
            for (int d = 0; d < rank; d++) {
                src += (begin[d] + index[d] * step[d]) * strides[d];
            }
            x.copyElement(src, result, i);
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < out[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return result;
    }

    private static long[] ints(List<GraphTensor> inputs, int index, String node, String what) throws OnnxException {
        GraphTensor t = index < inputs.size() ? inputs.get(index) : null;
        if (t == null) {
            return null;
        }
        if (t.isFloat()) {
            throw new OnnxException(node + ": " + what + " must be integers");
        }
        return t.longs();
    }

    static int[] strides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    static GraphTensor transpose(GraphTensor x, NodeAttributes a, String node) throws OnnxException {
        int rank = x.rank();
        long[] perm = a.getInts("perm");
        int[] p = new int[rank];
        if (perm == null) {
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
        } else {
            if (perm.length != rank) {
                throw new OnnxException(node + ": perm " + Arrays.toString(perm) + " does not fit rank " + rank);
            }
            boolean[] seen = new boolean[rank];
            for (int i = 0; i < rank; i++) {
                p[i] = axis(perm[i], rank, node, "perm entry");
                if (seen[p[i]]) {
                    throw new OnnxException(node + ": perm " + Arrays.toString(perm) + " is not a permutation");
                }
                seen[p[i]] = true;
            }
        }
        return permute(x, p);
    }

    /** Output axis {@code i} is input axis {@code p[i]}. */
    static GraphTensor permute(GraphTensor x, int[] p) {
        int rank = x.rank();
        int[] in = x.shape();
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = in[p[i]];
        }
        int[] inStrides = strides(in);
        int count = x.size();
        GraphTensor result = x.like(out, count);
        int[] index = new int[rank];
        for (int i = 0; i < count; i++) {
            int src = 0;
            for (int d = 0; d < rank; d++) {
                src += index[d] * inStrides[p[d]];
            }
            x.copyElement(src, result, i);
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < out[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return result;
    }

    static GraphTensor reshape(GraphTensor x, GraphTensor shape, NodeAttributes a, String node) throws OnnxException {
        boolean allowZero = a.getInt("allowzero", 0) != 0;
        if (shape.isFloat() || shape.rank() != 1) {
            throw new OnnxException(node + ": the shape must be a 1-D integer tensor, got " + shape);
        }
        long[] s = shape.longs();
        int[] out = new int[s.length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new OnnxException(node + ": shape " + Arrays.toString(s) + " has more than one -1");
                }
                infer = i;
                continue;
            }
            if (s[i] == 0 && !allowZero) {
                if (i >= x.rank()) {
                    throw new OnnxException(node + ": shape " + Arrays.toString(s) + " copies dimension " + i
                            + " of an input of rank " + x.rank());
                }
                out[i] = x.dim(i);
            } else if (s[i] < 0 || s[i] > Integer.MAX_VALUE - 8) {
                throw new OnnxException(node + ": shape " + Arrays.toString(s) + " holds " + s[i]);
            } else {
                out[i] = (int) s[i];
            }
            known *= out[i];
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw new OnnxException(node + ": cannot reshape " + x + " to " + Arrays.toString(s));
            }
            out[infer] = (int) (x.size() / known);
        }
        if (GraphTensor.count(out) != x.size()) {
            throw new OnnxException(node + ": cannot reshape " + x + " (" + x.size() + " elements) to " + Arrays.toString(out));
        }
        return x.reshaped(out);
    }

    static GraphTensor constant(NodeAttributes a, TensorCodec.Budget budget, String node) throws OnnxException {
        AttributeProto value = a.getTensor("value");
        if (value != null) {
            return TensorCodec.decode(value.getT(), null, node + ": attribute value", budget);
        }
        if (a.has("value_float")) {
            return GraphTensor.ofFloats(new float[] {a.getFloat("value_float", 0)});
        }
        float[] floats = a.getFloats("value_floats");
        if (floats != null) {
            return GraphTensor.ofFloats(floats, floats.length);
        }
        if (a.has("value_int")) {
            return GraphTensor.ofLongs(new long[] {a.getInt("value_int", 0)});
        }
        long[] ints = a.getInts("value_ints");
        if (ints != null) {
            return GraphTensor.ofLongs(ints, ints.length);
        }
        throw new UnsupportedOnnxException(node + ": a Constant without value, value_float(s) or value_int(s) is not supported");
    }

    static GraphTensor cast(GraphTensor x, NodeAttributes a, String node) throws OnnxException {
        long to = a.getInt("to", -1);
        a.getInt("saturate", 1);
        boolean toFloat = to == 1 || to == 10 || to == 11 || to == 16;
        boolean toInt = to == 6 || to == 7;
        if (!toFloat && !toInt) {
            throw new UnsupportedOnnxException(node + ": Cast to type code " + to + " is not supported");
        }
        if (toFloat == x.isFloat()) {
            return x;
        }
        int[] shape = x.shape();
        if (toFloat) {
            float[] out = new float[x.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = x.longs()[i];
            }
            return GraphTensor.ofFloats(out, shape);
        }
        long[] out = new long[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) x.floats()[i];
        }
        return GraphTensor.ofLongs(out, shape);
    }
}
