package dev.elman.jmh.report;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How the benchmark JVMs are started when {@code rnn bench} itself runs on the module path, as
 * {@code ./rnn} starts every subcommand.
 *
 * <p>JMH forks each benchmark with the host's class path ({@code java.class.path}) and, unless told
 * otherwise, the host's JVM arguments. A host on the module path has an empty class path, and its
 * arguments include {@code --module-path} and {@code -Djdk.module.main}, which would start each fork
 * inside the command line's module graph, where JMH's generated classes are not reachable. So the
 * forks get the module path's jars as their class path (they run there as plain jars, as from
 * {@code benchmarks.jar}) and the host's arguments without the module-system ones; every fork still
 * adds the Vector API through its {@code @Fork(jvmArgsPrepend)}.
 */
final class ForkedJvm {
    private ForkedJvm() {
    }

    /** @return the host's module path, or null when it runs on the class path (JMH's own way then works) */
    static String hostModulePath() {
        return System.getProperty("jdk.module.path");
    }

    /**
     * @param modulePath a module path: jars and folders of jars, separated by {@link File#pathSeparator}
     * @return the same jars as a class path; a folder becomes its jars in name order
     */
    static String classPath(String modulePath) {
        List<String> entries = new ArrayList<>();
        for (String entry : modulePath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Path.of(entry);
            if (Files.isDirectory(path) && !Files.exists(path.resolve("module-info.class"))) {
                try (Stream<Path> files = Files.list(path)) {
                    files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted()
                            .forEach(file -> entries.add(file.toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list the module path folder " + path, e);
                }
            } else {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * @param hostArguments the host JVM's arguments ({@code RuntimeMXBean.getInputArguments()})
     * @return them without the ones that place the JVM on the module path or name its main module
     */
    static List<String> jvmArguments(List<String> hostArguments) {
        return hostArguments.stream()
                .filter(arg -> !arg.startsWith("--module-path") && !arg.startsWith("-Djdk.module."))
                .toList();
    }
}
