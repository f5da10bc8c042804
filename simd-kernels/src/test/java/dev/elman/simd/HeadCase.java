package dev.elman.simd;

import dev.elman.testing.Uniform;

import java.util.Random;

/**
 * One random output-head call: {@code rows} rows of width F in, O out, at random offsets, F and
 * O drawn like the layer sizes of {@link SpanCase}, rows in 1 … 40, one time in eight up to 300 (spans of T·B rows).
 */
final class HeadCase {
    final int rows;
    final int inputSize;
    final int outputSize;
    final float[] w;
    final float[] b;   // null without bias
    final float[] h;
    final int hOffset;
    final float[] dy;
    final int dyOffset;
    final int yOffset;
    final boolean wantDh;
    final int dhOffset;
    final float[] dW0;
    final float[] db0;

    private HeadCase(long seed) {
        Random random = new Random(seed);
        inputSize = SpanCase.size(random);
        outputSize = SpanCase.size(random);
        rows = random.nextInt(8) == 0 ? 1 + random.nextInt(300) : 1 + random.nextInt(40);
        double scale = 0.01 * Math.pow(300.0, random.nextDouble());
        w = Uniform.floats(random, outputSize * inputSize, scale / Math.sqrt(inputSize));
        b = random.nextInt(4) == 0 ? null : Uniform.floats(random, outputSize, 0.5);
        hOffset = random.nextInt(20);
        h = SpanCase.embed(random, Uniform.floats(random, rows * inputSize, 1.0), hOffset);
        dyOffset = random.nextInt(20);
        dy = SpanCase.embed(random, Uniform.floats(random, rows * outputSize, 1.0), dyOffset);
        yOffset = random.nextInt(20);
        wantDh = random.nextInt(4) != 0;
        dhOffset = random.nextInt(20);
        dW0 = Uniform.floats(random, w.length, 1.0);
        db0 = b == null ? null : Uniform.floats(random, outputSize, 1.0);
    }

    static HeadCase random(long seed) {
        return new HeadCase(seed);
    }

    @Override
    public String toString() {
        return "rows=" + rows + " F=" + inputSize + " O=" + outputSize + (b == null ? " no-bias" : " bias")
                + (wantDh ? " dh" : "");
    }
}
