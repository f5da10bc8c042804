package dev.elman.engine;

import dev.elman.reference.ReferenceKernels;
import dev.elman.simd.SimdSupport;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernel selection by {@code -Delman.kernels}, here and in JVMs of their own started without
 * {@code --add-modules jdk.incubator.vector}: there the engine must pick the reference kernels, say
 * why, and never load a SIMD class (checked with {@code -Xlog:class+load}).
 */
class KernelSelectionTest {

    @Test
    void explicitModesChooseWhatTheyName() {
        KernelSelection.Choice reference = KernelSelection.choose("Reference ");
        assertInstanceOf(ReferenceKernels.class, reference.kernels());
        assertEquals("requested by elman.kernels=reference", reference.reason());
        assertEquals("Elman kernels: reference (requested by elman.kernels=reference)", reference.toString());

        KernelSelection.Choice auto = KernelSelection.choose("auto");
        String unavailable = SimdSupport.unavailableReason();
        if (unavailable == null) {
            assertEquals("simd", auto.kernels().name());
            assertEquals("simd", KernelSelection.choose("simd").kernels().name());
        } else {
            assertInstanceOf(ReferenceKernels.class, auto.kernels());
            assertEquals("SIMD kernels unavailable: " + unavailable, auto.reason());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> KernelSelection.choose("simd"));
            assertEquals("elman.kernels=simd, but the SIMD kernels cannot run: " + unavailable, e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelSelection.choose("gpu"));
        assertEquals("elman.kernels: expected auto, simd or reference, got 'gpu'", e.getMessage());
    }

    @Test
    void theJvmChoiceIsMadeOnce() {
        assertSame(KernelSelection.choice(), KernelSelection.choice());
        assertSame(KernelSelection.choice().kernels(), KernelSelection.kernels());
    }

    @Test
    void withoutTheIncubatorModuleOnTheClassPathTheReferenceIsChosenAndNoSimdClassIsLoaded() throws Exception {
        List<String> command = java("-Xlog:class+load=info", "-cp", classPath(), KernelSelectionProbe.class.getName());
        Fork fork = run(command);
        assertEquals(0, fork.exitCode, fork.toString());
        assertTrue(fork.stdout.contains("CHOICE reference | SIMD kernels unavailable: jdk.incubator.vector is not in this JVM"
                + " (start it with --add-modules jdk.incubator.vector)"), fork.toString());
        assertTrue(fork.stdout.contains("MODEL RAN 2 outputs on reference"), fork.toString());
        assertNoVectorClasses(fork);
        assertLoggedOnce(fork);
        assertWarnedWithTheFlag(fork);
    }

    @Test
    void withoutTheIncubatorModuleOnTheModulePathTheReferenceIsChosenAndNoSimdClassIsLoaded() throws Exception {
        String modulePath = System.getProperty("jdk.module.path");
        String testClasses = testClasses();
        List<String> command = java("-Xlog:class+load=info", "-p", modulePath,
                "--patch-module", "dev.elman.engine=" + testClasses,
                "-m", "dev.elman.engine/" + KernelSelectionProbe.class.getName());
        Fork fork = run(command);
        assertEquals(0, fork.exitCode, fork.toString());
        assertTrue(fork.stdout.contains("CHOICE reference | SIMD kernels unavailable: jdk.incubator.vector is not in this JVM"),
                fork.toString());
        assertNoVectorClasses(fork);
        assertLoggedOnce(fork);
        assertWarnedWithTheFlag(fork);
    }

    @Test
    void askingForSimdWithoutTheModuleFailsSayingWhy() throws Exception {
        Fork fork = run(java("-Delman.kernels=simd", "-cp", classPath(), KernelSelectionProbe.class.getName()));
        assertEquals(1, fork.exitCode, fork.toString());
        assertTrue(fork.stderr.contains("UnsupportedOperationException: elman.kernels=simd, but the SIMD kernels cannot run:"
                + " jdk.incubator.vector is not in this JVM"), fork.toString());

        fork = run(java("-Delman.kernels=reference", "-cp", classPath(), KernelSelectionProbe.class.getName()));
        assertEquals(0, fork.exitCode, fork.toString());
        assertTrue(fork.stdout.contains("CHOICE reference | requested by elman.kernels=reference"), fork.toString());
        // Asked for, the reference is no surprise: INFO, no warning.
        assertTrue(fork.stderr.contains("INFO: Elman kernels: reference (requested by elman.kernels=reference)"),
                fork.toString());
        assertFalse(fork.stderr.contains("WARNING"), fork.toString());
    }

    /**
     * Without the incubator module the fallback is logged at WARNING (the JDK's default logging
     * prints the level before the message), naming the flag, once.
     */
    private static void assertWarnedWithTheFlag(Fork fork) {
        String warning = "WARNING: Elman kernels: reference (SIMD kernels unavailable: jdk.incubator.vector is not in"
                + " this JVM (start it with --add-modules jdk.incubator.vector)); the scalar reference kernels are much"
                + " slower: add --add-modules jdk.incubator.vector to the java command to use the SIMD kernels";
        assertTrue(fork.stderr.contains(warning), fork.toString());
        assertEquals(1, fork.stderr.split("WARNING: Elman kernels", -1).length - 1, fork.toString());
        assertFalse(fork.stderr.contains("INFO: Elman kernels"), fork.toString());
    }

    private static void assertNoVectorClasses(Fork fork) {
        // With -Xlog:class+load every loaded class is one line: "[…][info][class,load] name source: …".
        Matcher loaded = Pattern.compile("\\[class,load\\] (\\S+)").matcher(fork.stdout);
        int count = 0;
        while (loaded.find()) {
            String name = loaded.group(1);
            count++;
            assertFalse(name.startsWith("jdk.incubator.vector."), "loaded " + name);
            assertFalse(name.equals("dev.elman.simd.VectorKernels") || name.startsWith("dev.elman.simd.VectorKernels$"),
                    "loaded " + name);
            assertFalse(name.equals("dev.elman.simd.SpeciesProbe"), "loaded " + name);
        }
        assertTrue(count > 100, "the class-load log was read (" + count + " classes)");
        assertTrue(fork.stdout.contains("dev.elman.simd.SimdSupport"), "the probe went through SimdSupport");
    }

    private static void assertLoggedOnce(Fork fork) {
        int lines = fork.stderr.split("Elman kernels: ", -1).length - 1;
        assertEquals(1, lines, "one log line naming the kernels and why: " + fork.stderr);
        assertTrue(fork.stderr.contains("Elman kernels: reference (SIMD kernels unavailable: "), fork.stderr);
    }

    private static List<String> java(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.addAll(List.of(arguments));
        return command;
    }

    /** Everything this test JVM has on its module path and class path, as a plain class path. */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null) {
                for (String entry : value.split(File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        entries.add(entry);
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String testClasses() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith("test-classes") || entry.endsWith("test-classes" + File.separator)) {
                return entry;
            }
        }
        throw new IllegalStateException("no test-classes directory on " + System.getProperty("java.class.path"));
    }

    private record Fork(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            String out = stdout.lines().filter(l -> !l.contains("[class,load]")).reduce("", (a, b) -> a + b + "\n");
            return "exit " + exitCode + "\n--- stdout (class-load lines omitted)\n" + out + "--- stderr\n" + stderr;
        }
    }

    private static Fork run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("elman-fork", ".out");
        Path err = Files.createTempFile("elman-fork", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            // Nothing may slip the incubator module in through the environment.
            builder.environment().remove("JDK_JAVA_OPTIONS");
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            builder.environment().remove("_JAVA_OPTIONS");
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the forked JVM did not finish in 60 s: " + command);
            }
            return new Fork(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
