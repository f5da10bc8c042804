package dev.elman.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./rnn bench} as the launcher runs it: the command line on the module path with this
 * module beside it (found through {@link java.util.ServiceLoader}), a real sweep of one benchmark
 * whose forks JMH starts from a module-path host (their class path is made from the module path,
 * see {@code ForkedJvm}), and the report written from their results. Runs after {@code package},
 * when the jars and their library folders exist.
 */
class ModulePathBenchIT {
    @TempDir
    Path out;

    @Test
    void benchRunsOnTheModulePath() throws Exception {
        Path cli = Path.of("..", "cli", "target").toAbsolutePath().normalize();
        Path jmh = Path.of("target").toAbsolutePath();
        List<Path> modulePath = List.of(cli.resolve("elman-cli.jar"), cli.resolve("lib"), jmh.resolve("elman-jmh.jar"),
                jmh.resolve("lib"));
        for (Path entry : modulePath) {
            assertTrue(Files.exists(entry), entry + " should have been built by package");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow",
                "-Djava.awt.headless=true",
                "-p", String.join(File.pathSeparator, modulePath.stream().map(Path::toString).toList()),
                "-m", "dev.elman.cli/dev.elman.cli.Main",
                "bench", "--quick", "--threads", "1", "--precision", "f32", "--only", "^StreamingBenchmark\\.step$",
                "--out", out.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] bytes = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the sweep did not finish");
        String output = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("6 configurations"), output);
        String report = Files.readString(out.resolve("results.md"));
        assertTrue(report.contains("## Streaming step latency (StreamingBenchmark)"), report);
        for (String row : List.of("| simd | 64 | 1 |", "| simd | 1024 | 1 |", "| reference | 256 | 1 |")) {
            assertTrue(report.contains(row), "results.md should have the row " + row + ":\n" + report);
        }
        assertTrue(Files.size(out.resolve("jmh-result.json")) > 0, "jmh-result.json is empty");
    }
}
