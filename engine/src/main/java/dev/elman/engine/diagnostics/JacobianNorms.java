package dev.elman.engine.diagnostics;

import dev.elman.engine.model.Direction;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.engine.model.StackRunner;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.WorkspacePurpose;
import org.apache.commons.math4.legacy.linear.Array2DRowRealMatrix;
import org.apache.commons.math4.legacy.linear.SingularValueDecomposition;

import java.util.Arrays;

/**
 * The seed's vanishing-gradient story as numbers: how strongly a layer's last state depends on its
 * state {@code k} steps earlier along a given sequence,
 * <pre>
 *   ‖∂h_t/∂h_{t−k}‖₂ = ‖ J_t · J_{t−1} ⋯ J_{t−k+1} ‖₂,    J_i = diag(φ'(z_i)) · Wh
 * </pre>
 * for {@code k = 1 … K}, where {@code t} is the sequence's last step (for a reverse direction: its
 * first, the last it walks) and {@code φ'(z_i)} is recovered from {@code h_i} as in the kernels. The
 * product is formed in double, one matrix product per lag, and its spectral norm (largest singular
 * value) taken by Commons Math's {@code SingularValueDecomposition}: exact to double precision, at
 * {@code O(K·H³)}. The running product is renormalised at every lag and its scale kept as a
 * logarithm, so norms far beyond the double range still come out as {@link JacobianDecay#logNorm}.
 *
 * <p>The Jacobian is the layer's own recurrence: the layers below are held fixed.
 */
public final class JacobianNorms {
    /** The spectral-norm method, as reported by {@link JacobianDecay#method()}. */
    public static final String METHOD = "spectral norm by singular value decomposition (Commons Math), in double";

    private JacobianNorms() {
    }

    /**
     * Measures ‖∂h_t/∂h_{t−k}‖ along one sequence.
     *
     * @param model the model
     * @param x one sequence, {@code [T][I]}
     * @param steps T
     * @param layer the layer, 0 … L − 1
     * @param reverse the reverse direction of a bidirectional layer
     * @param maxLag K, 1 … T (lag T reaches the initial state)
     * @return the norms for {@code k = 1 … K}
     * @throws IllegalArgumentException when a shape or index does not fit
     */
    public static JacobianDecay measure(Model model, float[] x, int steps, int layer, boolean reverse, int maxLag) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        ModelConfig config = model.config();
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        if (x == null || x.length != (long) steps * config.inputSize()) {
            throw new IllegalArgumentException("x: expected length " + (long) steps * config.inputSize()
                    + " (steps × inputSize = " + steps + " × " + config.inputSize() + "), got "
                    + (x == null ? "null" : String.valueOf(x.length)));
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException("x[" + i + "] is " + x[i] + ": inputs must be finite");
            }
        }
        if (maxLag < 1 || maxLag > steps) {
            throw new IllegalArgumentException("maxLag must be in 1 … " + steps + " (steps), got " + maxLag);
        }
        if (layer < 0 || layer >= config.layers()) {
            throw new IllegalArgumentException("layer must be in 0 … " + (config.layers() - 1) + ", got " + layer);
        }
        if (reverse && !config.bidirectional()) {
            throw new IllegalArgumentException("reverse: this model is unidirectional");
        }
        // Only the states of the last maxLag steps walked back enter the products. A model that
        // reads forward keeps just those in the runner's window: the steps before them run in
        // spans of at most maxLag, the states carried and each span's window dropped, so memory
        // is O(maxLag), not O(T) (the states are the same floats however the sequence is cut). A
        // model with a reverse direction needs the whole sequence in one pass.
        boolean chunked = config.direction() == Direction.FORWARD;
        int kept = chunked ? maxLag : steps;
        int skipped = steps - kept;
        StackRunner runner = model.newRunner(kept, 1, WorkspacePurpose.INFERENCE);
        runner.reset(1, null);
        int inputSize = config.inputSize();
        for (int t = 0; t < skipped; t += kept) {
            runner.advance(Math.min(kept, skipped - t), x, t * inputSize, null);
            runner.detach();
        }
        runner.advance(kept, x, skipped * inputSize, null);
        float[] h = runner.hidden(layer, reverse);
        int n = config.hiddenSize();
        float[] wh = model.parameters().get(ParameterNames.recurrentWeights(layer, reverse)).data();
        Activation phi = config.directionActivation(reverse ? 1 : 0);
        // A reverse model's one direction walks from the end as a bidirectional layer's second does.
        boolean walksBackward = config.direction().walksBackward(reverse ? 1 : 0);
        // Where the layer clipped, h_t does not depend on h_{t−1}: those outputs have derivative 0.
        RecurrentWeights packed = model.recurrentWeights(layer, reverse);
        float clippedLow = packed.clippedLow();
        float clippedHigh = packed.clippedHigh();

        double[][] product = identity(n);
        double[][] scratch = new double[n][n];
        double logScale = 0;
        double[] norms = new double[maxLag];
        double[] logNorms = new double[maxLag];
        for (int k = 1; k <= maxLag; k++) {
            // J_i for the k-th step walked back from the end: step T − k forward (index kept − k in
            // the window), step k − 1 in reverse.
            int i = walksBackward ? k - 1 : kept - k;
            // product ← product · diag(φ'(z_i)) · Wh
            for (int r = 0; r < n; r++) {
                double[] row = product[r];
                double[] out = scratch[r];
                Arrays.fill(out, 0);
                for (int c = 0; c < n; c++) {
                    float state = h[i * n + c];
                    double v = state == clippedLow || state == clippedHigh ? 0 : row[c] * phi.derivativeFromOutput(state);
                    if (v == 0) {
                        continue;
                    }
                    int base = c * n;
                    for (int j = 0; j < n; j++) {
                        out[j] += v * wh[base + j];
                    }
                }
            }
            double[][] swap = product;
            product = scratch;
            scratch = swap;
            double max = 0;
            for (double[] row : product) {
                for (double v : row) {
                    max = Math.max(max, Math.abs(v));
                }
            }
            if (max == 0) {
                for (int rest = k - 1; rest < maxLag; rest++) {
                    norms[rest] = 0;
                    logNorms[rest] = Double.NEGATIVE_INFINITY;
                }
                break;
            }
            for (double[] row : product) {
                for (int j = 0; j < n; j++) {
                    row[j] /= max;
                }
            }
            logScale += Math.log(max);
            double norm = new SingularValueDecomposition(new Array2DRowRealMatrix(product, false)).getNorm();
            logNorms[k - 1] = logScale + Math.log(norm);
            norms[k - 1] = Math.exp(logNorms[k - 1]);
        }
        return new JacobianDecay(norms, logNorms, METHOD);
    }

    private static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }
}
