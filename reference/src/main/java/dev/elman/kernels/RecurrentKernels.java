package dev.elman.kernels;

/**
 * The one interface of Elman's numerics: forward and backward passes of one recurrent layer in one
 * direction over a span of steps, and of the output head.
 *
 * <h2>The equations</h2>
 * For a span of {@code T} steps and a batch of {@code B} independent sequences, with
 * {@code h_{−1} = h0},
 * <pre>
 *   z_t = Wx·x_t + Wh·h_{t−1} + b        h_t = φ(z_t)        t = 0 … T−1
 *   y_r = Wy·h_r + by                    (head, for every row r of T·B rows)
 * </pre>
 * A <em>reverse</em> span walks the same arrays from the end: step {@code T−1} reads {@code h0},
 * step {@code t} reads {@code h_{t+1}}. Bidirectional layers are two calls on the same input, one
 * with {@code reverse = true}; nothing is copied or flipped.
 *
 * <h2>Clipping</h2>
 * A layer made with a clip {@code c > 0} bounds every pre-activation before φ, as ONNX's
 * {@code RNN} does: {@code h_t = φ(min(max(z_t, −c), c))} (NaN stays NaN). Where the bound was
 * active the derivative of {@code h_t} by {@code z_t} is 0. Only {@code h} is stored, so the
 * backward pass recovers "clipped" from it, and the contract fixes the values that say so: a step
 * clipped at {@code −c} (at {@code +c}) writes exactly {@link RecurrentWeights#clippedLow()}
 * ({@link RecurrentWeights#clippedHigh()}), φ in double at {@code ∓c} rounded to float, in every
 * implementation (one whose φ is an approximation writes these exact values where it clipped),
 * and backward takes {@code φ' = 0} at every output equal to one of the two. This is sound because
 * every {@link Activation} is monotone wherever its derivative is not 0: an output equal to
 * {@code φ(±c)} comes either from a clipped step, or from a flat part of φ (derivative 0 anyway),
 * or from an unclipped pre-activation so close to the bound that φ rounds it to the same float, where
 * 0 is one of the one-sided derivatives of the kink the clip puts at the bound. A layer without a clip ({@code c = 0}) has
 * NaN for both values, which no output equals.
 *
 * <h2>Layout</h2>
 * Everything is float32 in flat, row-major {@code float[]} arrays. Activations are time-major:
 * {@code x} is {@code [T][B][I]}, so element {@code (t, b, j)} of {@code x} is
 * {@code x[xOffset + (t·B + b)·I + j]}; {@code h} and {@code dh} are {@code [T][B][H]} likewise.
 * States carried between spans ({@code h0}, {@code dhLast}, {@code dh0}) are {@code [B][H]} and
 * have exactly {@code B·H} elements. Parameters are described in {@link RecurrentWeights} and
 * {@link HeadWeights}.
 *
 * <h2>Variable lengths</h2>
 * With {@code lengths} non-null, sequence {@code b} is real for steps {@code t < lengths[b]} and
 * padding beyond. A padding step is the identity on the state: it copies the state it reads to its
 * output (so a forward span's final state is the state after the last real step, and a reverse
 * span starts the real steps from {@code h0}), and in the backward pass it hands its whole
 * gradient to the state it read and contributes nothing to any parameter or to {@code dx}. Null
 * means every sequence is {@code T} steps long.
 *
 * <h2>Buffers and threads</h2>
 * Nothing a pass does allocates: parameters live in {@link RecurrentWeights}/{@link HeadWeights}
 * (read-only during passes, so shareable), scratch memory in a {@link Workspace} (one per thread),
 * gradients in {@link RecurrentGradients}/{@link HeadGradients} accumulators, and every other
 * array is the caller's. Output regions must not overlap input regions. Every entry point
 * validates its arguments first and throws {@link IllegalArgumentException} naming the argument,
 * the length it expected and the length it got, before it writes anything.
 */
public interface RecurrentKernels {

    /**
     * A short name for logs and benchmark tables ({@code "reference"}, {@code "simd"}).
     *
     * @return the name
     */
    String name();

    /**
     * Creates the parameter holder of a recurrent layer that does not clip; fill it with
     * {@link RecurrentWeights#load}.
     *
     * @param inputSize I
     * @param hiddenSize H
     * @param activation φ
     * @param bias whether the layer has a bias {@code b}
     * @return an unloaded parameter holder owned by these kernels
     * @throws IllegalArgumentException when a size is below 1
     */
    default RecurrentWeights newRecurrentWeights(int inputSize, int hiddenSize, Activation activation, boolean bias) {
        return newRecurrentWeights(inputSize, hiddenSize, activation, 0f, bias);
    }

    /**
     * Creates the parameter holder of a recurrent layer; fill it with {@link RecurrentWeights#load}.
     *
     * @param inputSize I
     * @param hiddenSize H
     * @param activation φ
     * @param clip the bound of the pre-activation (see "Clipping" above): 0 for none, else
     *     positive and finite
     * @param bias whether the layer has a bias {@code b}
     * @return an unloaded parameter holder owned by these kernels
     * @throws IllegalArgumentException when a size is below 1 or the clip is negative, NaN or infinite
     */
    default RecurrentWeights newRecurrentWeights(int inputSize, int hiddenSize, Activation activation, float clip,
                                                 boolean bias) {
        return newRecurrentWeights(inputSize, hiddenSize, activation, clip, bias, WeightPrecision.F32);
    }

    /**
     * Creates the parameter holder of a recurrent layer whose weights {@code Wx} and {@code Wh} are
     * stored in {@code precision}; fill it with {@link RecurrentWeights#load}, which rounds them
     * ({@link WeightPrecision#round}). A holder of a reduced precision is for inference: forward
     * passes compute with the rounded weights, and {@link #backward} refuses it.
     *
     * @param inputSize I
     * @param hiddenSize H
     * @param activation φ
     * @param clip the bound of the pre-activation (see "Clipping" above): 0 for none, else
     *     positive and finite
     * @param bias whether the layer has a bias {@code b}
     * @param precision how {@code Wx} and {@code Wh} are stored
     * @return an unloaded parameter holder owned by these kernels
     * @throws IllegalArgumentException when a size is below 1, the clip is negative, NaN or
     *     infinite, or the precision is null
     */
    RecurrentWeights newRecurrentWeights(int inputSize, int hiddenSize, Activation activation, float clip,
                                         boolean bias, WeightPrecision precision);

    /**
     * Creates the parameter holder of an output head; fill it with {@link HeadWeights#load}.
     *
     * @param inputSize F, the width of the rows the head reads
     * @param outputSize O
     * @param bias whether the head has a bias {@code by}
     * @return an unloaded parameter holder owned by these kernels
     * @throws IllegalArgumentException when a size is below 1
     */
    HeadWeights newHeadWeights(int inputSize, int outputSize, boolean bias);

    /**
     * Allocates scratch memory for recurrent passes of layers with at most these sizes, over spans
     * of at most these steps and batch: a {@linkplain WorkspacePurpose#TRAINING training}
     * workspace, on the caller's thread alone.
     *
     * @param maxInputSize the largest I
     * @param maxHiddenSize the largest H
     * @param maxSteps the longest span T
     * @param maxBatch the largest B
     * @return a workspace owned by these kernels, for one thread at a time
     * @throws IllegalArgumentException when a bound is below 1
     */
    default Workspace newWorkspace(int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch) {
        return newWorkspace(maxInputSize, maxHiddenSize, maxSteps, maxBatch, Team.SOLO);
    }

    /**
     * Allocates scratch memory for recurrent passes that share their work with a team of threads:
     * a {@linkplain WorkspacePurpose#TRAINING training} workspace, which serves every pass (see
     * {@link #newWorkspace(int, int, int, int, Team, WorkspacePurpose)} for one that serves forward
     * passes only). The results are those of {@link Team#SOLO}, bit for bit, whatever the team; an
     * implementation may run on the caller's thread alone (the reference does).
     *
     * @param maxInputSize the largest I
     * @param maxHiddenSize the largest H
     * @param maxSteps the longest span T
     * @param maxBatch the largest B
     * @param team the threads of every pass with this workspace
     * @return a workspace owned by these kernels, for one calling thread at a time
     * @throws IllegalArgumentException when a bound is below 1 or the team is null
     */
    Workspace newWorkspace(int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch, Team team);

    /**
     * Allocates scratch memory for the passes of one {@linkplain WorkspacePurpose purpose}: a
     * workspace for {@link WorkspacePurpose#INFERENCE} serves forward passes only and may be much
     * smaller (the SIMD kernels leave out about {@code T·B·H + H·max(I, H)} floats, four MiB and
     * more for a single stream of {@code H = 1024}); {@link WorkspacePurpose#TRAINING} is
     * {@link #newWorkspace(int, int, int, int, Team)}. An implementation that does not distinguish
     * them returns a training workspace, which serves inference too (the default does).
     *
     * @param maxInputSize the largest I
     * @param maxHiddenSize the largest H
     * @param maxSteps the longest span T
     * @param maxBatch the largest B
     * @param team the threads of every pass with this workspace
     * @param purpose the passes it will serve
     * @return a workspace owned by these kernels, for one calling thread at a time
     * @throws IllegalArgumentException when a bound is below 1, or the team or purpose is null
     */
    default Workspace newWorkspace(int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch, Team team,
                                   WorkspacePurpose purpose) {
        if (purpose == null) {
            throw new IllegalArgumentException("purpose must not be null (WorkspacePurpose.INFERENCE or TRAINING)");
        }
        return newWorkspace(maxInputSize, maxHiddenSize, maxSteps, maxBatch, team);
    }

    /**
     * Runs the recurrence over a span: writes {@code h_t = φ(Wx·x_t + Wh·h_{t−1} + b)} for every
     * step and sequence (the pre-activation clipped first when the layer clips).
     *
     * @param weights the layer, loaded, owned by these kernels
     * @param workspace scratch memory owned by these kernels and large enough for the layer and span
     * @param steps T, at least 1
     * @param batch B, at least 1
     * @param reverse false to walk {@code t = 0 … T−1}, true to walk {@code t = T−1 … 0}
     * @param x input {@code [T][B][I]} from {@code xOffset}; read
     * @param xOffset where {@code x} starts
     * @param h0 the state before the first step walked, {@code [B][H]}; null for zeros; read
     * @param h output {@code [T][B][H]} from {@code hOffset}; overwritten with every {@code h_t}
     * @param hOffset where {@code h} starts
     * @param lengths per-sequence lengths {@code [B]}, each in {@code 0 … T}, or null for all {@code T}
     * @throws IllegalArgumentException naming the first argument that does not fit
     * @throws IllegalStateException when the weights were never loaded
     */
    void forward(RecurrentWeights weights, Workspace workspace, int steps, int batch, boolean reverse,
                 float[] x, int xOffset, float[] h0, float[] h, int hOffset, int[] lengths);

    /**
     * Backpropagation through the span, from its last step walked down to its first.
     *
     * <p>The gradient reaching {@code h_t} is {@code dh_t} (from above, e.g. the head or the next
     * layer) plus what flows back from the step after it; at the last step walked, the latter is
     * {@code dhLast} (from the next span, when spans of one sequence are chained). With
     * {@code dz_t = φ'(z_t) ⊙ dL/dh_t}, recovered from {@code h_t} (0 where the step was clipped,
     * see "Clipping" above), the pass accumulates
     * {@code dWx += Σ dz_t x_tᵀ}, {@code dWh += Σ dz_t h_{t−1}ᵀ}, {@code db += Σ dz_t}, and writes
     * {@code dx_t = Wxᵀ dz_t} and {@code dh0 = Whᵀ dz} of the first step walked.
     *
     * <p>{@code x}, {@code h0}, {@code h} and {@code lengths} must be those the forward pass was
     * given and produced for this span.
     *
     * @param weights the layer, loaded, owned by these kernels
     * @param workspace scratch memory owned by these kernels, large enough for the layer and span and made
     *     for {@link WorkspacePurpose#TRAINING}
     * @param steps T, at least 1
     * @param batch B, at least 1
     * @param reverse the direction the forward pass walked
     * @param x the forward input {@code [T][B][I]} from {@code xOffset}; read
     * @param xOffset where {@code x} starts
     * @param h0 the forward pass's {@code h0}, {@code [B][H]}, or null for zeros; read
     * @param h the forward output {@code [T][B][H]} from {@code hOffset}; read
     * @param hOffset where {@code h} starts
     * @param lengths the forward pass's lengths, or null
     * @param dh {@code dL/dh_t} from above, {@code [T][B][H]} from {@code dhOffset}, or null for zeros; read
     * @param dhOffset where {@code dh} starts
     * @param dhLast {@code dL/dh} of the span's final state from beyond the span, {@code [B][H]}, or null for zeros; read
     * @param gradients accumulators shaped like the layer; {@code dWx}, {@code dWh} and {@code db} are added to
     * @param dx {@code dL/dx_t}, {@code [T][B][I]} from {@code dxOffset}, overwritten; or null when not wanted
     * @param dxOffset where {@code dx} starts
     * @param dh0 {@code dL/dh0}, {@code [B][H]}, overwritten; or null when not wanted
     * @throws IllegalArgumentException naming the first argument that does not fit, or weights of
     *     a reduced {@link WeightPrecision} (those are for inference)
     * @throws IllegalStateException when the weights were never loaded
     */
    void backward(RecurrentWeights weights, Workspace workspace, int steps, int batch, boolean reverse,
                  float[] x, int xOffset, float[] h0, float[] h, int hOffset, int[] lengths,
                  float[] dh, int dhOffset, float[] dhLast,
                  RecurrentGradients gradients, float[] dx, int dxOffset, float[] dh0);

    /**
     * The output head over a block of rows: {@code y_r = Wy·h_r + by}.
     *
     * @param weights the head, loaded, owned by these kernels
     * @param rows the number of rows (typically T·B), at least 1
     * @param h input rows {@code [rows][F]} from {@code hOffset}; read
     * @param hOffset where {@code h} starts
     * @param y output rows {@code [rows][O]} from {@code yOffset}; overwritten
     * @param yOffset where {@code y} starts
     * @throws IllegalArgumentException naming the first argument that does not fit
     * @throws IllegalStateException when the weights were never loaded
     */
    void headForward(HeadWeights weights, int rows, float[] h, int hOffset, float[] y, int yOffset);

    /**
     * {@link #headForward(HeadWeights, int, float[], int, float[], int)} with the rows shared with
     * the team of {@code workspace}: the same values, bit for bit, whatever the team; an
     * implementation may run it on the caller's thread alone (the reference does).
     *
     * @param weights the head, loaded, owned by these kernels
     * @param workspace a workspace of these kernels, whose team the rows are shared with (its
     *     sizes do not matter here)
     * @param rows the number of rows, at least 1
     * @param h input rows {@code [rows][F]} from {@code hOffset}; read
     * @param hOffset where {@code h} starts
     * @param y output rows {@code [rows][O]} from {@code yOffset}; overwritten
     * @param yOffset where {@code y} starts
     * @throws IllegalArgumentException naming the first argument that does not fit
     * @throws IllegalStateException when the weights were never loaded
     */
    default void headForward(HeadWeights weights, Workspace workspace, int rows, float[] h, int hOffset, float[] y,
                             int yOffset) {
        headForward(weights, rows, h, hOffset, y, yOffset);
    }

    /**
     * {@link #headBackward(HeadWeights, int, float[], int, float[], int, HeadGradients, float[], int)}
     * shared with the team of {@code workspace}: the same values, bit for bit, whatever the team.
     *
     * @param weights the head, loaded, owned by these kernels
     * @param workspace a workspace of these kernels made for {@link WorkspacePurpose#TRAINING}, whose
     *     team the work is shared with
     * @param rows the number of rows, at least 1
     * @param h the forward input rows {@code [rows][F]} from {@code hOffset}; read
     * @param hOffset where {@code h} starts
     * @param dy {@code dL/dy} rows {@code [rows][O]} from {@code dyOffset}; read
     * @param dyOffset where {@code dy} starts
     * @param gradients accumulators shaped like the head; added to
     * @param dh {@code dL/dh} rows {@code [rows][F]} from {@code dhOffset}, overwritten; or null when not wanted
     * @param dhOffset where {@code dh} starts
     * @throws IllegalArgumentException naming the first argument that does not fit
     * @throws IllegalStateException when the weights were never loaded
     */
    default void headBackward(HeadWeights weights, Workspace workspace, int rows, float[] h, int hOffset, float[] dy,
                              int dyOffset, HeadGradients gradients, float[] dh, int dhOffset) {
        headBackward(weights, rows, h, hOffset, dy, dyOffset, gradients, dh, dhOffset);
    }

    /**
     * Backward of the output head: accumulates {@code dWy += Σ_r dy_r h_rᵀ} and
     * {@code dby += Σ_r dy_r}, and writes {@code dh_r = Wyᵀ dy_r}.
     *
     * @param weights the head, loaded, owned by these kernels
     * @param rows the number of rows, at least 1
     * @param h the forward input rows {@code [rows][F]} from {@code hOffset}; read
     * @param hOffset where {@code h} starts
     * @param dy {@code dL/dy} rows {@code [rows][O]} from {@code dyOffset}; read
     * @param dyOffset where {@code dy} starts
     * @param gradients accumulators shaped like the head; added to
     * @param dh {@code dL/dh} rows {@code [rows][F]} from {@code dhOffset}, overwritten; or null when not wanted
     * @param dhOffset where {@code dh} starts
     * @throws IllegalArgumentException naming the first argument that does not fit
     * @throws IllegalStateException when the weights were never loaded
     */
    void headBackward(HeadWeights weights, int rows, float[] h, int hOffset, float[] dy, int dyOffset,
                      HeadGradients gradients, float[] dh, int dhOffset);
}
