package dev.elman.engine.model;

import org.apache.commons.math4.core.jdkmath.AccurateMath;

/**
 * The WELL19937c pseudo-random generator (Panneton, L'Ecuyer and Matsumoto, "Improved
 * long-period generators based on linear recurrences modulo 2", ACM TOMS 32(1), 2006: WELL19937a
 * with Matsumoto–Kurita tempering, which makes it maximally equidistributed), with the seeding
 * from a {@code long} and the {@code double} and Gaussian draws that seeded Elman models have
 * always been initialised with.
 *
 * <p>Those draws were Commons Math 3's ({@code org.apache.commons.math3.random.Well19937c}); this
 * class reproduces them bit for bit, so that the initial weights of every seeded model stay what
 * they were, without Commons Math 3 (a jar without a module name) on the module graph:
 * <ul>
 *   <li>the seed {@code s} becomes the state words {@code (int) (s >>> 32)}, {@code (int) s}, and
 *       every further word {@code v[i] = 1812433253 · (v[i−2] ^ (v[i−2] >> 30)) + i} (the
 *       Mersenne Twister's initialisation, with the previous word sign-extended);</li>
 *   <li>{@link #nextDouble()} is 52 random bits, {@code (next(26) << 26 | next(26)) · 2⁻⁵²};</li>
 *   <li>{@link #nextGaussian()} is Box–Muller on two such doubles {@code x, y}:
 *       {@code √(−2 ln y) · cos(2πx)}, then {@code √(−2 ln y) · sin(2πx)} on the next call, with
 *       Commons' own {@code log}, {@code cos} and {@code sin} ({@link AccurateMath}, formerly
 *       {@code FastMath}), whose last bits can differ from {@link StrictMath}'s.</li>
 * </ul>
 * Not thread-safe; one instance per drawing.
 */
final class Well19937c {
    /** State words: ⌈19937 / 32⌉. */
    private static final int R = 624;
    private static final int M1 = 70;
    private static final int M2 = 179;
    private static final int M3 = 449;
    private static final int TEMPER_B = 0xe46e1700;
    private static final int TEMPER_C = 0x9b868000;

    private final int[] v = new int[R];
    private int index;
    /** The second value of the last Box–Muller pair, or NaN when there is none. */
    private double nextGaussian = Double.NaN;

    /** @param seed the seed; the same seed gives the same draws */
    Well19937c(long seed) {
        v[0] = (int) (seed >>> 32);
        v[1] = (int) (seed & 0xffffffffL);
        for (int i = 2; i < R; i++) {
            long previous = v[i - 2];
            v[i] = (int) ((1812433253L * (previous ^ (previous >> 30)) + i) & 0xffffffffL);
        }
        index = 0;
    }

    /** The top {@code bits} bits of the next tempered word. */
    private int next(int bits) {
        int rm1 = index == 0 ? R - 1 : index - 1;
        int rm2 = index <= 1 ? R - 2 + index : index - 2;
        int v0 = v[index];
        int vm1 = v[(index + M1) % R];
        int vm2 = v[(index + M2) % R];
        int vm3 = v[(index + M3) % R];
        int z0 = (0x80000000 & v[rm1]) ^ (0x7FFFFFFF & v[rm2]);
        int z1 = (v0 ^ (v0 << 25)) ^ (vm1 ^ (vm1 >>> 27));
        int z2 = (vm2 >>> 9) ^ (vm3 ^ (vm3 >>> 1));
        int z3 = z1 ^ z2;
        int z4 = z0 ^ (z1 ^ (z1 << 9)) ^ (z2 ^ (z2 << 21)) ^ (z3 ^ (z3 >>> 21));
        v[index] = z3;
        v[rm1] = z4;
        v[rm2] &= 0x80000000;
        index = rm1;
        z4 ^= (z4 << 7) & TEMPER_B;
        z4 ^= (z4 << 15) & TEMPER_C;
        return z4 >>> (32 - bits);
    }

    /** @return uniform in [0, 1), a multiple of 2⁻⁵² */
    double nextDouble() {
        long high = ((long) next(26)) << 26;
        int low = next(26);
        return (high | low) * 0x1.0p-52d;
    }

    /** @return standard normal, by Box–Muller (two per pair of {@link #nextDouble()}) */
    double nextGaussian() {
        if (!Double.isNaN(nextGaussian)) {
            double value = nextGaussian;
            nextGaussian = Double.NaN;
            return value;
        }
        double x = nextDouble();
        double y = nextDouble();
        double alpha = 2 * Math.PI * x;
        double r = Math.sqrt(-2 * AccurateMath.log(y));
        nextGaussian = r * AccurateMath.sin(alpha);
        return r * AccurateMath.cos(alpha);
    }
}
