package dev.elman.kernels;

import java.util.Locale;

/**
 * How a recurrent layer's weight matrices {@code Wx} and {@code Wh} are stored for inference:
 * the number format a forward pass reads them in. Activations, states, the bias, the output head
 * and every sum stay float32; training, gradients and saved models are float32 whatever a model
 * serves with.
 *
 * <p>A reduced precision trades accuracy for bytes: a batch-1 step is bound by reading {@code Wh}
 * (and, for a streaming step, {@code Wx}) once per step, so half or a quarter of the bytes is up to
 * that much less time. It is never silent: the values a layer computes with are exactly
 * {@link #round} of its float32 weights, in every implementation, so the reference computed on
 * them is the oracle the fast kernels are tested against, and the error against the float32 model
 * is the one the rounding bounds (see {@link #bound}).
 */
public enum WeightPrecision {
    /** float32, the trained weights themselves (the default). */
    F32("f32", 4),
    /**
     * bfloat16: each weight rounded to the nearest of the floats whose low 16 bits are zero (ties
     * to even), 8 significant bits. A weight whose rounding overflows bfloat16's range is refused.
     */
    BF16("bf16", 2),
    /**
     * int8, symmetric, one scale per output row: row {@code i} of a matrix (the weights into
     * hidden unit {@code i}) is {@code s_i·q} with {@code s_i = max_j |w_ij| / 127} and
     * {@code q = rint(w / s_i)} in {@code −127 … 127}; the value computed with is the float
     * product {@code (float) q · s_i}.
     */
    INT8("int8", 1);

    private final String label;
    private final int bytes;

    WeightPrecision(String label, int bytes) {
        this.label = label;
        this.bytes = bytes;
    }

    /** @return the name used in files, options and benchmark tables: {@code f32}, {@code bf16}, {@code int8} */
    public String label() {
        return label;
    }

    /** @return the bytes one weight takes in this format (4, 2, 1; int8's scales come on top, 4 per row) */
    public int bytesPerWeight() {
        return bytes;
    }

    /**
     * The precision of a label.
     *
     * @param label {@code f32}, {@code bf16} or {@code int8} (case ignored)
     * @return the precision
     * @throws IllegalArgumentException naming the label and the choices when it is none of them
     */
    public static WeightPrecision parse(String label) {
        if (label != null) {
            String wanted = label.toLowerCase(Locale.ROOT);
            for (WeightPrecision p : values()) {
                if (p.label.equals(wanted)) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("precision: expected one of f32, bf16, int8, got " + label);
    }

    /**
     * Checks that every weight of a matrix can be stored in this precision: finite, for
     * {@link #BF16} not beyond its largest value once rounded, for {@link #INT8} not so close to
     * float32's largest value that its row's top step rounds past it (only ±{@code Float.MAX_VALUE}
     * itself among the floats).
     *
     * @param name the matrix's name for the message ({@code "wh"})
     * @param weights the matrix
     * @throws IllegalArgumentException naming the matrix, the index and the value that cannot be stored
     */
    public void checkRepresentable(String name, float[] weights) {
        for (int i = 0; i < weights.length; i++) {
            float w = weights[i];
            if (!Float.isFinite(w)) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + w + ", which no precision stores");
            }
            if (this == BF16 && !Float.isFinite(Bfloat16.round(w))) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + w
                        + " rounds beyond bfloat16's largest value (" + Bfloat16.MAX_VALUE + ")");
            }
            // The row's largest weight comes back as 127 steps of max/127, which for a weight at the
            // very top of float32's range rounds past it; a smaller weight of the row never does.
            if (this == INT8 && !Float.isFinite(Int8Rows.value((byte) 127, Math.abs(w) / 127f))) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + w
                        + " is too close to float32's largest value for int8: 127 steps of |w|/127 round past it");
            }
        }
    }

    /**
     * The values a layer of this precision computes with: a row-major {@code rows × cols} matrix
     * rounded as the precision says (a copy for {@link #F32}).
     *
     * @param source the float32 matrix, finite (see {@link #checkRepresentable})
     * @param rows its rows (output units)
     * @param cols its columns
     * @param target receives the rounded matrix, {@code rows·cols} floats; may be {@code source}
     * @throws IllegalArgumentException when an array is not {@code rows·cols} long
     */
    public void round(float[] source, int rows, int cols, float[] target) {
        long count = (long) rows * cols;
        if (source.length != count || target.length != count) {
            throw new IllegalArgumentException("round: expected " + rows + " × " + cols + " = " + count
                    + " floats, got source " + source.length + " and target " + target.length);
        }
        switch (this) {
            case F32 -> System.arraycopy(source, 0, target, 0, source.length);
            case BF16 -> {
                for (int i = 0; i < source.length; i++) {
                    target[i] = Bfloat16.round(source[i]);
                }
            }
            case INT8 -> {
                for (int r = 0; r < rows; r++) {
                    int from = r * cols;
                    float scale = Int8Rows.scale(source, from, cols);
                    for (int j = from; j < from + cols; j++) {
                        target[j] = Int8Rows.value(Int8Rows.quantize(source[j], scale), scale);
                    }
                }
            }
        }
    }

    /**
     * A bound on how far one rounded weight lies from its float32 value, for every finite weight
     * {@link #checkRepresentable} accepts: {@code |ŵ − w| ≤ relative·|w| + absolute·m + floor}, with
     * {@code m} the largest magnitude of the weight's row.
     * <ul>
     *   <li>{@link #F32}: all 0.</li>
     *   <li>{@link #BF16}: {@code relative = 2⁻⁸}, half a unit in the 8th significant bit (round to
     *       nearest); {@code floor = 2⁻¹³⁴}, half the spacing of bfloat16's subnormals, for weights
     *       below 2⁻¹²⁶ where the relative term does not hold.</li>
     *   <li>{@link #INT8}: {@code absolute = (0.5 + 2⁻¹⁷)/127 + 2⁻²⁴}: half a step of the row's scale
     *       {@code m/127}, widened by the float division {@code w / s} (at most {@code 127·2⁻²⁴} of a
     *       step) and the float product {@code q·s} (one rounding of a value at most {@code m});
     *       {@code floor = 2⁻¹⁴²} for rows whose scale is subnormal ({@code m < 127·2⁻¹²⁶}), where
     *       the scale itself is off by up to 2⁻¹⁵⁰ and 127 steps of that (or the clamp at ±127) add
     *       up to {@code 127·2⁻¹⁵⁰ < 2⁻¹⁴²}.</li>
     * </ul>
     *
     * @return {relative, absolute per unit of the row's largest |w|, floor}
     */
    public double[] bound() {
        return switch (this) {
            case F32 -> new double[] {0, 0, 0};
            case BF16 -> new double[] {0x1p-8, 0, 0x1p-134};
            case INT8 -> new double[] {0, (0.5 + 0x1p-17) / 127 + 0x1p-24, 0x1p-142};
        };
    }
}
