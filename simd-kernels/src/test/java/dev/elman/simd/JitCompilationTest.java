package dev.elman.simd;

import dev.elman.kernels.RecurrentKernels;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every method of the SIMD kernels compiles in the JIT's first tier (C1). A method C1 gives up on
 * ("COMPILE SKIPPED: out of virtual registers in LIR generator" for a large masked vector kernel)
 * is not reliably picked up by C2 afterwards on JDK 25, and then runs the Vector API's allocating
 * fallback, tens of times slower, for the rest of the run: seen with a 4-row masked tile at
 * H = 32 in 4 runs of 4. The forked JVM stops at tier 3 and compiles synchronously, so every
 * method {@link CompilationProbe} runs often enough is compiled or reported skipped before it
 * exits.
 */
class JitCompilationTest {

    @Test
    void everyKernelMethodCompilesInTheFirstTier() throws Exception {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector",
                "-XX:TieredStopAtLevel=3", "-Xbatch", "-XX:+PrintCompilation",
                "-XX:Tier3InvocationThreshold=2000", "-XX:Tier3MinInvocationThreshold=2000",
                "-XX:Tier3CompileThreshold=20000", "-XX:Tier3BackEdgeThreshold=600000",
                "-cp", String.join(File.pathSeparator, location(SimdSupport.class), location(RecurrentKernels.class),
                        location(CompilationProbe.class)),
                CompilationProbe.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] bytes = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the probe JVM did not finish");
        String output = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("\ndone"), output);
        assertTrue(output.contains("dev.elman.simd.Gemm::multiply"), "the probe's compilations were not logged");
        String skipped = output.lines()
                .filter(line -> line.contains("dev.elman.simd") && line.contains("COMPILE SKIPPED"))
                .collect(Collectors.joining("\n"));
        assertEquals("", skipped, "kernel methods the first tier could not compile");
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
