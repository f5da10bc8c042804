package dev.elman.simd;

import dev.elman.kernels.RecurrentKernels;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} can ask {@link SimdSupport}
 * whether the SIMD kernels are available, gets a reason why not, and never loads
 * {@code VectorKernels} (nor anything else that links the Vector API) on the way: checked with
 * {@code -Xlog:class+load} in a forked JVM, on the class path and on the module path. The same
 * probe with the flag finds them available, so the check is not vacuous.
 */
class WithoutVectorModuleTest {

    @Test
    void classPathWithoutTheFlagGivesAReasonAndLinksNothing() throws Exception {
        List<String> command = java(false);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, location(SimdSupport.class), location(RecurrentKernels.class),
                location(SelectionProbe.class)));
        command.add(SelectionProbe.class.getName());
        assertUnavailableWithoutLinking(run(command));
    }

    @Test
    void modulePathWithoutTheFlagGivesAReasonAndLinksNothing() throws Exception {
        List<String> command = java(false);
        command.add("--module-path");
        command.add(String.join(File.pathSeparator, location(SimdSupport.class), location(RecurrentKernels.class)));
        command.add("--patch-module");
        command.add("dev.elman.simd=" + location(SelectionProbe.class));
        command.add("-m");
        command.add("dev.elman.simd/" + SelectionProbe.class.getName());
        assertUnavailableWithoutLinking(run(command));
    }

    @Test
    void withTheFlagTheKernelsAreAvailable() throws Exception {
        List<String> command = java(true);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, location(SimdSupport.class), location(RecurrentKernels.class),
                location(SelectionProbe.class)));
        command.add(SelectionProbe.class.getName());
        String output = run(command);
        assertTrue(output.contains("\navailable") || output.startsWith("available"), output);
        assertTrue(output.contains(" dev.elman.simd.VectorKernels "), "VectorKernels should load here:\n" + output);
    }

    private static void assertUnavailableWithoutLinking(String output) {
        assertTrue(output.contains("unavailable: jdk.incubator.vector is not in this JVM"), output);
        assertTrue(output.contains(" dev.elman.simd.SimdSupport "), "class loading was not logged:\n" + output);
        assertFalse(output.contains("dev.elman.simd.VectorKernels"), "VectorKernels was loaded:\n" + output);
        assertFalse(output.contains("dev.elman.simd.SpeciesProbe"), "SpeciesProbe was loaded:\n" + output);
        assertFalse(output.contains("jdk.incubator.vector.FloatVector"), "the Vector API was loaded:\n" + output);
    }

    private static List<String> java(boolean withVectorModule) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xlog:class+load=info");
        command.add("-Xshare:auto");
        if (withVectorModule) {
            command.add("--add-modules");
            command.add("jdk.incubator.vector");
        }
        return command;
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + "\n" + text);
        return text;
    }
}
