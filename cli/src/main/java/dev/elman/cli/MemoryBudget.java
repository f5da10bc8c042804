package dev.elman.cli;

import java.util.Locale;

/**
 * The check a command makes before it allocates: its estimate of the memory the options ask for,
 * against the heap this JVM may grow to. A command whose options cannot fit is refused up front,
 * as a usage mistake naming the options, the estimate and the heap, rather than running out of
 * memory minutes later. The estimates count the large arrays only (a lower bound, so nothing that
 * fits is refused); an {@link OutOfMemoryError} that still happens is reported by {@link Main} in
 * one line with the same status.
 */
final class MemoryBudget {
    /** Bytes of one float32 value. */
    static final long FLOAT = Float.BYTES;

    private MemoryBudget() {
    }

    /**
     * @param command for the message, e.g. {@code "rnn train"}
     * @param options the options that make the estimate, as typed: {@code "--length 2000000000, --batch 16"}
     * @param bytes the estimate
     * @throws UsageException when the estimate exceeds {@link Runtime#maxMemory()}
     */
    static void check(String command, String options, double bytes) throws UsageException {
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new UsageException(command + ": " + options + " would need at least " + size(bytes)
                    + " of memory, more than the " + size(heap) + " heap available; choose smaller values (or give"
                    + " the JVM more with ELMAN_JAVA_OPTS=-Xmx…)");
        }
    }

    /** @return e.g. "1.5 GiB", "200 MiB", "7.5 TiB" */
    static String size(double bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int unit = 0;
        while (bytes >= 1024 && unit < units.length - 1) {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? String.format(Locale.ROOT, "%.0f bytes", bytes)
                : String.format(Locale.ROOT, bytes < 10 ? "%.1f %s" : "%.0f %s", bytes, units[unit]);
    }
}
