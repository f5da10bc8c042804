package dev.elman.jmh.report;

import java.util.Locale;

/**
 * How the report prints measured values: three significant digits where that needs decimals,
 * whole numbers from 100 up (a benchmark on a shared machine is not more precise than that), and
 * a dash for a value that was not measured.
 */
final class ReportNumbers {
    /** Printed for a value that was not measured. */
    static final String ABSENT = "—";

    private ReportNumbers() {
    }

    /**
     * @param value a time, rate or count
     * @return it with about three significant digits, or {@link #ABSENT} when NaN
     */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return ABSENT;
        }
        double magnitude = Math.abs(value);
        String pattern;
        if (magnitude >= 100 || magnitude == 0) {
            pattern = "%.0f";
        } else if (magnitude >= 10) {
            pattern = "%.1f";
        } else if (magnitude >= 1) {
            pattern = "%.2f";
        } else if (magnitude >= 0.01) {
            pattern = "%.3f";
        } else {
            pattern = "%.2g";
        }
        return String.format(Locale.ROOT, pattern, value);
    }

    /**
     * @param value a time
     * @param error its confidence half-width, or NaN
     * @return {@code value ± error}, or the value alone without an error
     */
    static String withError(double value, double error) {
        return Double.isNaN(error) ? format(value) : format(value) + " ± " + format(error);
    }

    /**
     * @param bytes bytes allocated per step, or NaN when not profiled
     * @return the count with one decimal below 10 (so 0.1 B per step shows as such), else as
     *     {@link #format}; marked {@link #UNCOMPILED} from {@link Measurement#UNCOMPILED_BYTES_PER_STEP} on
     */
    static String bytes(double bytes) {
        if (Double.isNaN(bytes)) {
            return ABSENT;
        }
        String text = bytes < 10 ? String.format(Locale.ROOT, "%.1f", Math.max(0, bytes)) : format(bytes);
        return bytes >= Measurement.UNCOMPILED_BYTES_PER_STEP ? text + " " + UNCOMPILED : text;
    }

    /** Marks an allocation that says the JIT had not compiled the vector code. */
    static final String UNCOMPILED = "⚠";
}
