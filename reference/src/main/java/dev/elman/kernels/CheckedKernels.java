package dev.elman.kernels;

/**
 * Base class of every {@link RecurrentKernels} implementation: it validates each call against the
 * contract, once and identically for all implementations, and passes only valid calls on to the
 * {@code …Checked} methods. Subclasses may therefore assume every array is long enough, every
 * holder is theirs and loaded, and every size fits the workspace.
 */
public abstract class CheckedKernels implements RecurrentKernels {

    /** For subclasses. */
    protected CheckedKernels() {
    }

    @Override
    public final void forward(RecurrentWeights weights, Workspace workspace, int steps, int batch, boolean reverse,
                              float[] x, int xOffset, float[] h0, float[] h, int hOffset, int[] lengths) {
        checkSpan(weights, workspace, steps, batch, x, xOffset, h0, h, hOffset, lengths);
        int hiddenSize = weights.hiddenSize();
        long stateCount = (long) batch * hiddenSize;
        long hCount = steps * stateCount;
        Checks.disjoint("h", h, hOffset, hCount, "x", x, xOffset, (long) steps * batch * weights.inputSize());
        Checks.disjoint("h", h, hOffset, hCount, "h0", h0, 0, stateCount);
        forwardChecked(weights, workspace, steps, batch, reverse, x, xOffset, h0, h, hOffset, lengths);
    }

    @Override
    public final void backward(RecurrentWeights weights, Workspace workspace, int steps, int batch, boolean reverse,
                               float[] x, int xOffset, float[] h0, float[] h, int hOffset, int[] lengths,
                               float[] dh, int dhOffset, float[] dhLast,
                               RecurrentGradients gradients, float[] dx, int dxOffset, float[] dh0) {
        if (weights != null && weights.precision() != WeightPrecision.F32) {
            throw new IllegalArgumentException("weights: stored in " + weights.precision().label()
                    + ", which is for inference; backward needs the layer's f32 weights");
        }
        checkSpan(weights, workspace, steps, batch, x, xOffset, h0, h, hOffset, lengths);
        checkTraining(workspace, "backward");
        int inputSize = weights.inputSize();
        int hiddenSize = weights.hiddenSize();
        long stateCount = (long) batch * hiddenSize;
        long hCount = steps * stateCount;
        long xCount = (long) steps * batch * inputSize;
        if (dh != null) {
            Checks.region("dh", dh, dhOffset, "steps × batch × hiddenSize", steps, batch, hiddenSize);
        }
        if (dhLast != null) {
            Checks.exactLength("dhLast", dhLast, "batch × hiddenSize", batch, hiddenSize);
        }
        if (gradients == null) {
            throw new IllegalArgumentException("gradients must not be null");
        }
        if (gradients.inputSize() != inputSize || gradients.hiddenSize() != hiddenSize
                || gradients.hasBias() != weights.hasBias()) {
            throw new IllegalArgumentException("gradients: expected the layer's shape (inputSize " + inputSize
                    + ", hiddenSize " + hiddenSize + ", bias " + weights.hasBias() + "), got (inputSize "
                    + gradients.inputSize() + ", hiddenSize " + gradients.hiddenSize() + ", bias "
                    + gradients.hasBias() + ")");
        }
        if (dx != null) {
            Checks.region("dx", dx, dxOffset, "steps × batch × inputSize", steps, batch, inputSize);
            Checks.disjoint("dx", dx, dxOffset, xCount, "x", x, xOffset, xCount);
            Checks.disjoint("dx", dx, dxOffset, xCount, "h", h, hOffset, hCount);
            Checks.disjoint("dx", dx, dxOffset, xCount, "h0", h0, 0, stateCount);
            Checks.disjoint("dx", dx, dxOffset, xCount, "dh", dh, dhOffset, hCount);
            Checks.disjoint("dx", dx, dxOffset, xCount, "dhLast", dhLast, 0, stateCount);
        }
        if (dh0 != null) {
            Checks.exactLength("dh0", dh0, "batch × hiddenSize", batch, hiddenSize);
            Checks.disjoint("dh0", dh0, 0, stateCount, "x", x, xOffset, xCount);
            Checks.disjoint("dh0", dh0, 0, stateCount, "h", h, hOffset, hCount);
            Checks.disjoint("dh0", dh0, 0, stateCount, "h0", h0, 0, stateCount);
            Checks.disjoint("dh0", dh0, 0, stateCount, "dh", dh, dhOffset, hCount);
            Checks.disjoint("dh0", dh0, 0, stateCount, "dx", dx, dxOffset, xCount);
        }
        backwardChecked(weights, workspace, steps, batch, reverse, x, xOffset, h0, h, hOffset, lengths,
                dh, dhOffset, dhLast, gradients, dx, dxOffset, dh0);
    }

    @Override
    public final void headForward(HeadWeights weights, int rows, float[] h, int hOffset, float[] y, int yOffset) {
        checkHeadForward(weights, rows, h, hOffset, y, yOffset);
        headForwardChecked(weights, rows, h, hOffset, y, yOffset);
    }

    @Override
    public final void headForward(HeadWeights weights, Workspace workspace, int rows, float[] h, int hOffset, float[] y,
                                  int yOffset) {
        checkHeadForward(weights, rows, h, hOffset, y, yOffset);
        checkWorkspace(workspace);
        headForwardChecked(weights, workspace, rows, h, hOffset, y, yOffset);
    }

    private void checkHeadForward(HeadWeights weights, int rows, float[] h, int hOffset, float[] y, int yOffset) {
        checkHead(weights, rows, h, hOffset);
        long yCount = (long) rows * weights.outputSize();
        Checks.region("y", y, yOffset, "rows × outputSize", rows, weights.outputSize());
        Checks.disjoint("y", y, yOffset, yCount, "h", h, hOffset, (long) rows * weights.inputSize());
    }

    @Override
    public final void headBackward(HeadWeights weights, int rows, float[] h, int hOffset, float[] dy, int dyOffset,
                                   HeadGradients gradients, float[] dh, int dhOffset) {
        checkHeadBackward(weights, rows, h, hOffset, dy, dyOffset, gradients, dh, dhOffset);
        headBackwardChecked(weights, rows, h, hOffset, dy, dyOffset, gradients, dh, dhOffset);
    }

    @Override
    public final void headBackward(HeadWeights weights, Workspace workspace, int rows, float[] h, int hOffset,
                                   float[] dy, int dyOffset, HeadGradients gradients, float[] dh, int dhOffset) {
        checkHeadBackward(weights, rows, h, hOffset, dy, dyOffset, gradients, dh, dhOffset);
        checkWorkspace(workspace);
        checkTraining(workspace, "headBackward");
        headBackwardChecked(weights, workspace, rows, h, hOffset, dy, dyOffset, gradients, dh, dhOffset);
    }

    private static void checkTraining(Workspace workspace, String pass) {
        if (workspace.purpose() != WorkspacePurpose.TRAINING) {
            throw new IllegalArgumentException("workspace: made for " + workspace.purpose() + ", which serves forward "
                    + "passes only and holds no room for " + pass + "; make it with WorkspacePurpose.TRAINING");
        }
    }

    private void checkWorkspace(Workspace workspace) {
        if (workspace == null) {
            throw new IllegalArgumentException("workspace must not be null");
        }
        if (workspace.kernels() != this) {
            throw new IllegalArgumentException("workspace was made by the " + workspace.kernels().name()
                    + " kernels, not by these (" + name() + ")");
        }
    }

    /**
     * {@link #headForward(HeadWeights, Workspace, int, float[], int, float[], int)} after validation:
     * by default on the caller's thread alone, the same values as without a workspace.
     *
     * @param weights see {@link #headForward}
     * @param workspace see {@link #headForward}
     * @param rows see {@link #headForward}
     * @param h see {@link #headForward}
     * @param hOffset see {@link #headForward}
     * @param y see {@link #headForward}
     * @param yOffset see {@link #headForward}
     */
    protected void headForwardChecked(HeadWeights weights, Workspace workspace, int rows, float[] h, int hOffset,
                                      float[] y, int yOffset) {
        headForwardChecked(weights, rows, h, hOffset, y, yOffset);
    }

    /**
     * {@link #headBackward(HeadWeights, Workspace, int, float[], int, float[], int, HeadGradients, float[], int)}
     * after validation: by default on the caller's thread alone.
     *
     * @param weights see {@link #headBackward}
     * @param workspace see {@link #headBackward}
     * @param rows see {@link #headBackward}
     * @param h see {@link #headBackward}
     * @param hOffset see {@link #headBackward}
     * @param dy see {@link #headBackward}
     * @param dyOffset see {@link #headBackward}
     * @param gradients see {@link #headBackward}
     * @param dh see {@link #headBackward}
     * @param dhOffset see {@link #headBackward}
     */
    protected void headBackwardChecked(HeadWeights weights, Workspace workspace, int rows, float[] h, int hOffset,
                                       float[] dy, int dyOffset, HeadGradients gradients, float[] dh, int dhOffset) {
        headBackwardChecked(weights, rows, h, hOffset, dy, dyOffset, gradients, dh, dhOffset);
    }

    private void checkHeadBackward(HeadWeights weights, int rows, float[] h, int hOffset, float[] dy, int dyOffset,
                                   HeadGradients gradients, float[] dh, int dhOffset) {
        checkHead(weights, rows, h, hOffset);
        long hCount = (long) rows * weights.inputSize();
        long yCount = (long) rows * weights.outputSize();
        Checks.region("dy", dy, dyOffset, "rows × outputSize", rows, weights.outputSize());
        if (gradients == null) {
            throw new IllegalArgumentException("gradients must not be null");
        }
        if (gradients.inputSize() != weights.inputSize() || gradients.outputSize() != weights.outputSize()
                || gradients.hasBias() != weights.hasBias()) {
            throw new IllegalArgumentException("gradients: expected the head's shape (inputSize " + weights.inputSize()
                    + ", outputSize " + weights.outputSize() + ", bias " + weights.hasBias() + "), got (inputSize "
                    + gradients.inputSize() + ", outputSize " + gradients.outputSize() + ", bias "
                    + gradients.hasBias() + ")");
        }
        if (dh != null) {
            Checks.region("dh", dh, dhOffset, "rows × inputSize", rows, weights.inputSize());
            Checks.disjoint("dh", dh, dhOffset, hCount, "h", h, hOffset, hCount);
            Checks.disjoint("dh", dh, dhOffset, hCount, "dy", dy, dyOffset, yCount);
        }
    }

    /**
     * {@link #forward} after validation.
     *
     * @param weights see {@link #forward}
     * @param workspace see {@link #forward}
     * @param steps see {@link #forward}
     * @param batch see {@link #forward}
     * @param reverse see {@link #forward}
     * @param x see {@link #forward}
     * @param xOffset see {@link #forward}
     * @param h0 see {@link #forward}
     * @param h see {@link #forward}
     * @param hOffset see {@link #forward}
     * @param lengths see {@link #forward}
     */
    protected abstract void forwardChecked(RecurrentWeights weights, Workspace workspace, int steps, int batch,
                                           boolean reverse, float[] x, int xOffset, float[] h0, float[] h,
                                           int hOffset, int[] lengths);

    /**
     * {@link #backward} after validation.
     *
     * @param weights see {@link #backward}
     * @param workspace see {@link #backward}
     * @param steps see {@link #backward}
     * @param batch see {@link #backward}
     * @param reverse see {@link #backward}
     * @param x see {@link #backward}
     * @param xOffset see {@link #backward}
     * @param h0 see {@link #backward}
     * @param h see {@link #backward}
     * @param hOffset see {@link #backward}
     * @param lengths see {@link #backward}
     * @param dh see {@link #backward}
     * @param dhOffset see {@link #backward}
     * @param dhLast see {@link #backward}
     * @param gradients see {@link #backward}
     * @param dx see {@link #backward}
     * @param dxOffset see {@link #backward}
     * @param dh0 see {@link #backward}
     */
    protected abstract void backwardChecked(RecurrentWeights weights, Workspace workspace, int steps, int batch,
                                            boolean reverse, float[] x, int xOffset, float[] h0, float[] h,
                                            int hOffset, int[] lengths, float[] dh, int dhOffset, float[] dhLast,
                                            RecurrentGradients gradients, float[] dx, int dxOffset, float[] dh0);

    /**
     * {@link #headForward} after validation.
     *
     * @param weights see {@link #headForward}
     * @param rows see {@link #headForward}
     * @param h see {@link #headForward}
     * @param hOffset see {@link #headForward}
     * @param y see {@link #headForward}
     * @param yOffset see {@link #headForward}
     */
    protected abstract void headForwardChecked(HeadWeights weights, int rows, float[] h, int hOffset,
                                               float[] y, int yOffset);

    /**
     * {@link #headBackward} after validation.
     *
     * @param weights see {@link #headBackward}
     * @param rows see {@link #headBackward}
     * @param h see {@link #headBackward}
     * @param hOffset see {@link #headBackward}
     * @param dy see {@link #headBackward}
     * @param dyOffset see {@link #headBackward}
     * @param gradients see {@link #headBackward}
     * @param dh see {@link #headBackward}
     * @param dhOffset see {@link #headBackward}
     */
    protected abstract void headBackwardChecked(HeadWeights weights, int rows, float[] h, int hOffset,
                                                float[] dy, int dyOffset, HeadGradients gradients,
                                                float[] dh, int dhOffset);

    private void checkSpan(RecurrentWeights weights, Workspace workspace, int steps, int batch,
                           float[] x, int xOffset, float[] h0, float[] h, int hOffset, int[] lengths) {
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        if (weights.kernels() != this) {
            throw new IllegalArgumentException("weights were made by the " + weights.kernels().name()
                    + " kernels, not by these (" + name() + ")");
        }
        if (!weights.isLoaded()) {
            throw new IllegalStateException("weights were never loaded (call RecurrentWeights.load first)");
        }
        Checks.positive("steps", steps);
        Checks.positive("batch", batch);
        int inputSize = weights.inputSize();
        int hiddenSize = weights.hiddenSize();
        if (workspace == null) {
            throw new IllegalArgumentException("workspace must not be null");
        }
        if (workspace.kernels() != this) {
            throw new IllegalArgumentException("workspace was made by the " + workspace.kernels().name()
                    + " kernels, not by these (" + name() + ")");
        }
        if (inputSize > workspace.maxInputSize() || hiddenSize > workspace.maxHiddenSize()
                || steps > workspace.maxSteps() || batch > workspace.maxBatch()) {
            throw new IllegalArgumentException("workspace is too small: it serves inputSize ≤ " + workspace.maxInputSize()
                    + ", hiddenSize ≤ " + workspace.maxHiddenSize() + ", steps ≤ " + workspace.maxSteps()
                    + ", batch ≤ " + workspace.maxBatch() + "; this pass needs inputSize " + inputSize
                    + ", hiddenSize " + hiddenSize + ", steps " + steps + ", batch " + batch);
        }
        Checks.region("x", x, xOffset, "steps × batch × inputSize", steps, batch, inputSize);
        if (h0 != null) {
            Checks.exactLength("h0", h0, "batch × hiddenSize", batch, hiddenSize);
        }
        Checks.region("h", h, hOffset, "steps × batch × hiddenSize", steps, batch, hiddenSize);
        if (lengths != null) {
            if (lengths.length != batch) {
                throw new IllegalArgumentException("lengths: expected length " + batch + " (batch), got " + lengths.length);
            }
            for (int b = 0; b < batch; b++) {
                if (lengths[b] < 0 || lengths[b] > steps) {
                    throw new IllegalArgumentException("lengths[" + b + "] = " + lengths[b]
                            + " is outside 0 … " + steps + " (steps)");
                }
            }
        }
    }

    private void checkHead(HeadWeights weights, int rows, float[] h, int hOffset) {
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        if (weights.kernels() != this) {
            throw new IllegalArgumentException("weights were made by the " + weights.kernels().name()
                    + " kernels, not by these (" + name() + ")");
        }
        if (!weights.isLoaded()) {
            throw new IllegalStateException("weights were never loaded (call HeadWeights.load first)");
        }
        Checks.positive("rows", rows);
        Checks.region("h", h, hOffset, "rows × inputSize", rows, weights.inputSize());
    }
}
