package dev.elman.jmh.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ForkedJvmTest {
    @Test
    void aModulePathFolderBecomesItsJarsInNameOrder(@TempDir Path dir) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.createFile(lib.resolve("b.jar"));
        Files.createFile(lib.resolve("a.jar"));
        Files.createFile(lib.resolve(".built"));
        Path jar = Files.createFile(dir.resolve("elman-jmh.jar"));
        String modulePath = jar + File.pathSeparator + lib;
        assertEquals(String.join(File.pathSeparator, jar.toString(), lib.resolve("a.jar").toString(),
                lib.resolve("b.jar").toString()), ForkedJvm.classPath(modulePath));
    }

    @Test
    void theForksKeepEveryArgumentButTheModuleSystemOnes() {
        assertEquals(List.of("--add-modules=jdk.incubator.vector,java.desktop", "--sun-misc-unsafe-memory-access=allow",
                        "-Djava.awt.headless=true"),
                ForkedJvm.jvmArguments(List.of("--add-modules=jdk.incubator.vector,java.desktop",
                        "--sun-misc-unsafe-memory-access=allow", "-Djava.awt.headless=true",
                        "--module-path=cli/target/elman-cli.jar:cli/target/lib", "-Djdk.module.main=dev.elman.cli")));
    }
}
