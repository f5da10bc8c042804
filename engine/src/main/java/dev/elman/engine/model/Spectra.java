package dev.elman.engine.model;

import org.apache.commons.math4.legacy.exception.MathIllegalStateException;
import org.apache.commons.math4.legacy.linear.Array2DRowRealMatrix;
import org.apache.commons.math4.legacy.linear.EigenDecomposition;
import org.apache.commons.math4.legacy.linear.RealMatrix;

/** Eigenvalue questions about square weight matrices, answered in double by Commons Math. */
final class Spectra {
    private Spectra() {
    }

    /**
     * {@code max |λ|} over the eigenvalues of a square row-major matrix; complex eigenvalues count
     * with their modulus.
     *
     * @throws ArithmeticException when the eigenvalue iteration does not converge
     */
    static double spectralRadius(float[] matrix, int n) {
        RealMatrix m = square(matrix, n);
        EigenDecomposition eigen;
        try {
            eigen = new EigenDecomposition(m);
        } catch (MathIllegalStateException e) {
            throw new ArithmeticException("eigenvalues of a " + n + " × " + n + " matrix did not converge: " + e.getMessage());
        }
        double[] re = eigen.getRealEigenvalues();
        double[] im = eigen.getImagEigenvalues();
        double radius = 0;
        for (int i = 0; i < re.length; i++) {
            radius = Math.max(radius, Math.hypot(re[i], im[i]));
        }
        return radius;
    }

    static RealMatrix square(float[] matrix, int n) {
        double[][] rows = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                rows[i][j] = matrix[i * n + j];
            }
        }
        return new Array2DRowRealMatrix(rows, false);
    }
}
