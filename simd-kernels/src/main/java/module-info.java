/**
 * {@link dev.elman.kernels.RecurrentKernels} on the JDK incubator Vector API.
 *
 * <p>The Vector API is a static dependency: a JVM started without
 * {@code --add-modules jdk.incubator.vector} can load this module, and only linking the SIMD
 * classes themselves would fail, which the engine's kernel selection never does on that path.
 *
 * <p>The package is an implementation of the engine, not an API: it is exported only to the
 * modules that select the kernels or report on them, and there only {@code SimdSupport} is public,
 * so the SIMD classes are reached through its checks or not at all.
 */
// The engine and the benchmarks are built after this module, so they are not observable when it compiles.
@SuppressWarnings("module")
module dev.elman.simd {
    requires transitive dev.elman.reference;
    requires static jdk.incubator.vector;

    exports dev.elman.simd to dev.elman.engine, dev.elman.jmh;
}
