package dev.elman.jmh.report;

import dev.elman.simd.SimdSupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the report says about the machine: CPU model and AVX-512 (from {@code /proc/cpuinfo} where
 * there is one), logical CPUs, OS, JVM, vector width, and the load average, which tells a reader
 * whether something else was running during the sweep.
 */
final class MachineInfo {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private MachineInfo() {
    }

    /** @return one line each for the CPU, the OS and the JVM */
    static List<String> describe() {
        int cpus = Runtime.getRuntime().availableProcessors();
        String cpu = cpuInfoField("model name").orElse(System.getProperty("os.arch"));
        String avx512 = cpuInfoField("flags").map(flags -> (" " + flags + " ").contains(" avx512f ") ? ", AVX-512" : ", no AVX-512")
                .orElse("");
        int bits = SimdSupport.preferredVectorBits();
        return List.of(
                "CPU: " + cpu + ", " + cpus + " logical CPUs" + avx512,
                "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                        + System.getProperty("java.vm.vendor") + ")" + (bits > 0 ? "; preferred float vector " + bits
                        + " bits" : ""));
    }

    /** @return the 1-minute load average, or NaN where the OS does not say */
    static double loadAverage() {
        try {
            String text = Files.readString(LOADAVG).strip();
            return Double.parseDouble(text.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * @param before the load average when the sweep started
     * @param after when it ended
     * @return a line saying how busy the machine was, for the report
     */
    static String loadLine(double before, double after) {
        if (Double.isNaN(before) || Double.isNaN(after)) {
            return "Load average: not available on this OS";
        }
        // A one-thread sweep contributes about 1 itself; more than that was someone else.
        int cpus = Runtime.getRuntime().availableProcessors();
        return String.format(Locale.ROOT, "Load average (1 min): %.2f before, %.2f after, on %d CPUs (the sweep itself"
                + " adds about 1; more means other work shared the machine and the numbers are noisier)", before, after, cpus);
    }

    private static Optional<String> cpuInfoField(String name) {
        try {
            for (String line : Files.readAllLines(CPUINFO)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
                    return Optional.of(line.substring(colon + 1).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: the report leaves the detail out.
        }
        return Optional.empty();
    }
}
