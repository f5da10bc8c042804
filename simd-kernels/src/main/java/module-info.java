/**
 * {@link dev.elman.kernels.RecurrentKernels} on the JDK incubator Vector API.
 *
 * <p>The Vector API is a static dependency: a JVM started without
 * {@code --add-modules jdk.incubator.vector} can load this module, and only linking the SIMD
 * classes themselves would fail, which the engine's kernel selection never does on that path.
 */
module dev.elman.simd {
    requires transitive dev.elman.reference;
    requires static jdk.incubator.vector;

    exports dev.elman.simd;
}
