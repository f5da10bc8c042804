package dev.elman.engine.model;

import org.apache.commons.math4.legacy.linear.Array2DRowRealMatrix;
import org.apache.commons.math4.legacy.linear.QRDecomposition;
import org.apache.commons.math4.legacy.linear.RealMatrix;

import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * How to draw a model's initial parameters: a {@link Scheme} and, optionally, a target spectral
 * radius every {@code Wh} is rescaled to. Immutable.
 *
 * <p>Drawing is reproducible: the same scheme, configuration and seed give the same values, on any
 * machine (the WELL19937c generator, drawing exactly as Commons Math 3's {@code Well19937c} did,
 * tensors filled in {@link ParameterNames} order).
 */
public final class Initialization {
    /** The standard deviation of the input and head weights of the {@link Scheme#IDENTITY} scheme. */
    public static final double IDENTITY_INPUT_STD = 0.001;

    /** The families of initial values. */
    public enum Scheme {
        /**
         * PyTorch's default: every recurrent parameter (including biases) uniform in
         * {@code ±1/√H}; the head, like {@code nn.Linear}, uniform in {@code ±1/√F}.
         */
        UNIFORM,
        /**
         * Xavier/Glorot uniform: every weight matrix uniform in {@code ±√(6/(fan_in + fan_out))}, biases zero.
         */
        XAVIER,
        /**
         * {@code Wh} a random orthogonal matrix (Q of the QR decomposition of a standard Gaussian
         * matrix, signs fixed so it is Haar-distributed); {@code Wx} and the head Xavier; biases zero.
         */
        ORTHOGONAL,
        /**
         * The IRNN of Le, Jaitly and Hinton (2015): {@code Wh = I}, {@code Wx} and the head Gaussian
         * with standard deviation {@value Initialization#IDENTITY_INPUT_STD}, biases zero.
         */
        IDENTITY;

        /** @return the lower-case name ({@code uniform}, {@code xavier}, {@code orthogonal}, {@code identity}) */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @param name a name as written by {@link #label()}, ignoring case
         * @return the scheme
         * @throws IllegalArgumentException naming the accepted values when {@code name} is none of them
         */
        public static Scheme parse(String name) {
            if (name != null) {
                for (Scheme s : values()) {
                    if (s.label().equals(name.trim().toLowerCase(Locale.ROOT))) {
                        return s;
                    }
                }
            }
            throw new IllegalArgumentException("unknown initialization '" + name
                    + "': expected one of uniform, xavier, orthogonal, identity");
        }
    }

    private final Scheme scheme;
    private final double spectralRadius;

    private Initialization(Scheme scheme, double spectralRadius) {
        this.scheme = scheme;
        this.spectralRadius = spectralRadius;
    }

    /**
     * @param scheme the family
     * @return that scheme, without spectral rescaling
     */
    public static Initialization of(Scheme scheme) {
        if (scheme == null) {
            throw new IllegalArgumentException("scheme must not be null");
        }
        return new Initialization(scheme, Double.NaN);
    }

    /** @return {@link Scheme#UNIFORM}, PyTorch's default */
    public static Initialization uniform() {
        return of(Scheme.UNIFORM);
    }

    /** @return {@link Scheme#XAVIER} */
    public static Initialization xavier() {
        return of(Scheme.XAVIER);
    }

    /** @return {@link Scheme#ORTHOGONAL} */
    public static Initialization orthogonal() {
        return of(Scheme.ORTHOGONAL);
    }

    /** @return {@link Scheme#IDENTITY}, the IRNN */
    public static Initialization identity() {
        return of(Scheme.IDENTITY);
    }

    /**
     * The same scheme, then every {@code Wh} scaled so that its spectral radius is {@code radius}.
     *
     * @param radius the target {@code max |λ(Wh)|}, positive and finite
     * @return a new initialization
     * @throws IllegalArgumentException when radius is not positive and finite
     */
    public Initialization withSpectralRadius(double radius) {
        if (!(radius > 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("spectral radius must be positive and finite, got " + radius);
        }
        return new Initialization(scheme, radius);
    }

    /** @return the family */
    public Scheme scheme() {
        return scheme;
    }

    /** @return the target spectral radius of every {@code Wh}, or empty when they are not rescaled */
    public OptionalDouble spectralRadius() {
        return Double.isNaN(spectralRadius) ? OptionalDouble.empty() : OptionalDouble.of(spectralRadius);
    }

    /**
     * Overwrites every parameter with freshly drawn values. (A {@link Model}'s parameters need a
     * {@link Model#loadParameters()} afterwards; {@link Model#create} does it.)
     *
     * @param parameters the tensors of a configuration, as from {@link Parameters#zeros}
     * @param seed the random seed
     * @throws IllegalArgumentException when parameters is null, or spectral rescaling meets a
     *     {@code Wh} whose spectral radius is zero
     */
    public void apply(Parameters parameters, long seed) {
        if (parameters == null) {
            throw new IllegalArgumentException("parameters must not be null");
        }
        ModelConfig config = parameters.config();
        Well19937c random = new Well19937c(seed);
        int hs = config.hiddenSize();
        for (int l = 0; l < config.layers(); l++) {
            int in = config.layerInputSize(l);
            for (int d = 0; d < config.directions(); d++) {
                boolean reverse = d == 1;
                float[] wx = parameters.get(ParameterNames.inputWeights(l, reverse)).data();
                float[] wh = parameters.get(ParameterNames.recurrentWeights(l, reverse)).data();
                switch (scheme) {
                    case UNIFORM -> {
                        uniform(random, wx, 1 / Math.sqrt(hs));
                        uniform(random, wh, 1 / Math.sqrt(hs));
                    }
                    case XAVIER -> {
                        uniform(random, wx, glorot(in, hs));
                        uniform(random, wh, glorot(hs, hs));
                    }
                    case ORTHOGONAL -> {
                        uniform(random, wx, glorot(in, hs));
                        orthogonal(random, wh, hs);
                    }
                    case IDENTITY -> {
                        gaussian(random, wx, IDENTITY_INPUT_STD);
                        identity(wh, hs);
                    }
                }
                if (config.bias()) {
                    float[] b = parameters.get(ParameterNames.bias(l, reverse)).data();
                    if (scheme == Scheme.UNIFORM) {
                        uniform(random, b, 1 / Math.sqrt(hs));
                    } else {
                        Arrays.fill(b, 0f);
                    }
                }
                if (!Double.isNaN(spectralRadius)) {
                    rescale(wh, hs, spectralRadius, ParameterNames.recurrentWeights(l, reverse));
                }
            }
        }
        if (config.hasHead()) {
            int f = config.featureSize();
            int o = config.outputSize();
            float[] wy = parameters.get(ParameterNames.HEAD_WEIGHTS).data();
            switch (scheme) {
                case UNIFORM -> uniform(random, wy, 1 / Math.sqrt(f));
                case XAVIER, ORTHOGONAL -> uniform(random, wy, glorot(f, o));
                case IDENTITY -> gaussian(random, wy, IDENTITY_INPUT_STD);
            }
            if (config.headBias()) {
                float[] by = parameters.get(ParameterNames.HEAD_BIAS).data();
                if (scheme == Scheme.UNIFORM) {
                    uniform(random, by, 1 / Math.sqrt(f));
                } else {
                    Arrays.fill(by, 0f);
                }
            }
        }
    }

    private static double glorot(int fanIn, int fanOut) {
        return Math.sqrt(6.0 / (fanIn + fanOut));
    }

    private static void uniform(Well19937c random, float[] values, double bound) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
    }

    private static void gaussian(Well19937c random, float[] values, double std) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
    }

    private static void identity(float[] values, int n) {
        Arrays.fill(values, 0f);
        for (int i = 0; i < n; i++) {
            values[i * n + i] = 1f;
        }
    }

    private static void orthogonal(Well19937c random, float[] values, int n) {
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i][j] = random.nextGaussian();
            }
        }
        QRDecomposition qr = new QRDecomposition(new Array2DRowRealMatrix(g, false));
        RealMatrix q = qr.getQ();
        RealMatrix r = qr.getR();
        // Q·diag(sign(R_jj)) makes the factorisation unique, so Q is uniformly (Haar) distributed.
        for (int j = 0; j < n; j++) {
            double sign = r.getEntry(j, j) < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) {
                values[i * n + j] = (float) (q.getEntry(i, j) * sign);
            }
        }
    }

    private static void rescale(float[] wh, int n, double target, String name) {
        double radius = Spectra.spectralRadius(wh, n);
        if (!(radius > 0)) {
            throw new IllegalArgumentException(name + " has spectral radius " + radius
                    + ", so it cannot be rescaled to " + target);
        }
        double factor = target / radius;
        for (int i = 0; i < wh.length; i++) {
            wh[i] = (float) (wh[i] * factor);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Initialization i && scheme == i.scheme
                && Double.compare(spectralRadius, i.spectralRadius) == 0;
    }

    @Override
    public int hashCode() {
        return scheme.hashCode() * 31 + Double.hashCode(spectralRadius);
    }

    @Override
    public String toString() {
        return scheme.label() + (Double.isNaN(spectralRadius) ? "" : " (spectral radius " + spectralRadius + ")");
    }
}
