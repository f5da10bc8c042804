package dev.elman.engine.io;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {

    @Test
    void copiesItsInputsAndHandsOutCopies() {
        float[] values = {1, 2, 3, 4, 5, 6};
        int[] shape = {2, 3};
        Tensor t = Tensor.of(values, shape);
        values[0] = 99;
        shape[0] = 7;
        assertArrayEquals(new int[]{2, 3}, t.shape());
        assertEquals(1f, t.get(0));
        t.toFloatArray()[1] = 42;
        t.shape()[1] = 9;
        assertEquals(2f, t.get(1));
        assertTrue(t.hasShape(2, 3));
        assertEquals(6, t.size());
        assertEquals(2, t.rank());
        assertEquals(3, t.dim(1));
        assertEquals(DType.F32, t.dtype());
        assertEquals("Tensor[F32 2×3]", t.toString());
    }

    @Test
    void scalarsAndEmptyTensors() {
        Tensor s = Tensor.scalar(2.5f);
        assertEquals(0, s.rank());
        assertEquals(1, s.size());
        assertEquals("Tensor[F32 scalar]", s.toString());
        Tensor empty = Tensor.of(new float[0], 3, 0, 5);
        assertEquals(0, empty.size());
        assertArrayEquals(new float[0], empty.toFloatArray());
        assertArrayEquals(new float[4], Tensor.zeros(2, 2).toFloatArray());
    }

    @Test
    void rejectsBadShapesNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3)).getMessage()
                .contains("values has length 5 but shape [2, 3] holds 6"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0], 2, -1)).getMessage()
                .contains("negative dimension -1 at axis 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(65536, 65536)).getMessage()
                .contains("more than " + Tensor.MAX_ELEMENTS));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(new int[Tensor.MAX_RANK + 1]));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(null, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2).get(2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).dim(1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).copyTo(new float[4], 2));
    }

    /** Array-backed tensors hand out their array itself; of() copies the caller's, wrap() shares it. */
    @Test
    void arrayBackedTensorsAreWritableThroughTheirArray() {
        float[] values = {1, 2, 3, 4, 5, 6};
        Tensor wrapped = Tensor.wrap(values, 3, 2);
        assertFalse(wrapped.isReadOnly());
        assertTrue(wrapped.data() == values, "wrap shares the caller's array");
        values[5] = -6;
        assertEquals(-6f, wrapped.get(5));
        wrapped.data()[0] = 10;
        assertEquals(10f, values[0]);
        assertArrayEquals(new float[]{10, 2, 3, 4, 5, -6}, wrapped.toFloatArray());

        Tensor copied = Tensor.of(values, 6);
        assertFalse(copied.data() == values, "of copies the caller's array");
        copied.data()[1] = 20;
        assertEquals(20f, copied.get(1));
        assertEquals(2f, values[1]);
        Tensor zeros = Tensor.zeros(2);
        zeros.data()[1] = 3;
        assertArrayEquals(new float[]{0, 3}, zeros.toFloatArray());
        assertEquals(4f, Tensor.scalar(4).data()[0]);

        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(new float[5], 2, 3)).getMessage()
                .contains("values has length 5 but shape [2, 3] holds 6"));
        assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(null, 1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(new float[1], (int[]) null));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[1], (int[]) null));
    }

    /** A view of file bytes has no array to hand out, and says how to get the values instead. */
    @Test
    void viewsAreReadOnlyAndHaveNoArray() {
        Tensor view = Tensor.view(DType.F32, new int[]{2}, floats(new float[]{1, 2}));
        assertTrue(view.isReadOnly());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, view::data);
        assertEquals("Tensor[F32 2] is a read-only view of file bytes and has no array; toFloatArray() gives its"
                + " values as a new float32 array", e.getMessage());
        assertArrayEquals(new float[]{1, 2}, view.toFloatArray());
    }

    @Test
    void copyToWritesAtTheOffset() {
        float[] dst = new float[5];
        Tensor.of(new float[]{7, 8}, 2).copyTo(dst, 2);
        assertArrayEquals(new float[]{0, 0, 7, 8, 0}, dst);
    }

    /** Views of little-endian file bytes convert each dtype the way its definition says. */
    @Test
    void viewsConvertEveryDtype() {
        float[] expected = {0f, -1.5f, 65504f, 6.1035156e-5f, Float.POSITIVE_INFINITY};
        // binary16 bit patterns of the expected values.
        short[] f16 = {0x0000, (short) 0xBE00, 0x7BFF, 0x0400, 0x7C00};
        Tensor half = Tensor.view(DType.F16, new int[]{5}, shorts(f16));
        assertArrayEquals(expected, half.toFloatArray());

        short[] bf16 = new short[expected.length];
        for (int i = 0; i < bf16.length; i++) {
            bf16[i] = (short) (Float.floatToRawIntBits(expected[i]) >>> 16);
        }
        float[] bfExpected = expected.clone();
        bfExpected[2] = Float.intBitsToFloat(Float.floatToRawIntBits(65504f) & 0xFFFF0000);
        bfExpected[3] = Float.intBitsToFloat(Float.floatToRawIntBits(6.1035156e-5f) & 0xFFFF0000);
        assertArrayEquals(bfExpected, Tensor.view(DType.BF16, new int[]{5}, shorts(bf16)).toFloatArray());

        // float64 narrows with round-to-nearest-even: 1 + 2^-24 is a tie and goes to 1,
        // 1 + 3·2^-24 is a tie and goes up to 1 + 2^-22, 1 + 2^-24 + 2^-40 is above the tie.
        double[] f64 = {1 + 0x1p-24, 1 + 3 * 0x1p-24, 1 + 0x1p-24 + 0x1p-40, -0.0, 1e-50, Double.NaN};
        Tensor wide = Tensor.view(DType.F64, new int[]{2, 3}, doubles(f64));
        float[] narrowed = wide.toFloatArray();
        assertEquals(1f, narrowed[0]);
        assertEquals(1 + 0x1p-22f, narrowed[1]);
        assertEquals(1 + 0x1p-23f, narrowed[2]);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(narrowed[3]));
        assertEquals(0f, narrowed[4]);
        assertTrue(Float.isNaN(narrowed[5]));
        assertArrayEquals(f64, wide.toDoubleArray());
        assertEquals(1 + 0x1p-24, wide.getDouble(0));
        assertEquals(-1.5, half.getDouble(1));
        assertThrows(IndexOutOfBoundsException.class, () -> wide.getDouble(6));
        assertEquals(-1, wide.firstNarrowingOverflow());
        assertEquals(1, Tensor.view(DType.F64, new int[]{2}, doubles(new double[]{1, 1e39})).firstNarrowingOverflow());

        Tensor single = Tensor.view(DType.F32, new int[]{2}, floats(new float[]{3.5f, -0f}));
        assertArrayEquals(new float[]{3.5f, -0f}, single.toFloatArray());
        assertEquals(3.5f, single.get(0));
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], half.get(i));
        }
    }

    @Test
    void floatBuffersAreReadOnlyViewsOfFloat32Bytes() {
        MemorySegment bytes = floats(new float[]{1, 2, 3});
        Tensor view = Tensor.view(DType.F32, new int[]{3}, bytes);
        FloatBuffer buffer = view.asFloatBuffer();
        assertTrue(buffer.isReadOnly());
        assertEquals(2f, buffer.get(1));
        assertThrows(ReadOnlyBufferException.class, () -> buffer.put(0, 5f));
        // A view: it sees the bytes it was made from.
        bytes.set(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4, 7f);
        assertEquals(7f, buffer.get(1));

        FloatBuffer copy = Tensor.of(new float[]{4, 5}, 2).asFloatBuffer();
        assertTrue(copy.isReadOnly());
        assertEquals(5f, copy.get(1));
        FloatBuffer converted = Tensor.view(DType.F64, new int[]{1}, doubles(new double[]{0.25})).asFloatBuffer();
        assertEquals(0.25f, converted.get(0));
        assertFalse(converted.hasArray() && !converted.isReadOnly());
    }

    static MemorySegment shorts(short[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            b.putShort(v);
        }
        return MemorySegment.ofArray(b.array());
    }

    static MemorySegment floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return MemorySegment.ofArray(b.array());
    }

    static MemorySegment doubles(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return MemorySegment.ofArray(b.array());
    }
}
