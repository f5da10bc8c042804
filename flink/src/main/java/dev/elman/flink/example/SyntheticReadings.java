package dev.elman.flink.example;

import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.io.Serial;

/**
 * Reading {@code i} of the synthetic source: sensor {@code i mod sensors}, that sensor's reading
 * {@code i div sensors}, features drawn from a hash of {@code i} uniformly in [−1, 1). A pure
 * function of {@code i}, so a restarted or rescaled job regenerates exactly the same readings.
 */
public final class SyntheticReadings implements GeneratorFunction<Long, SensorReading> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final long sensors;
    private final int inputSize;

    /**
     * @param sensors how many sensors (keys), at least 1
     * @param inputSize features per reading, at least 1
     */
    public SyntheticReadings(long sensors, int inputSize) {
        if (sensors < 1 || inputSize < 1) {
            throw new IllegalArgumentException("sensors and inputSize must be at least 1, got " + sensors + " and "
                    + inputSize);
        }
        this.sensors = sensors;
        this.inputSize = inputSize;
    }

    @Override
    public SensorReading map(Long index) {
        long i = index;
        float[] values = new float[inputSize];
        for (int j = 0; j < inputSize; j++) {
            long bits = mix(i * 0x9E3779B97F4A7C15L + j);
            values[j] = (float) ((bits >>> 40) * 0x1p-23 - 1.0);
        }
        return new SensorReading(i % sensors, i / sensors, values);
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
