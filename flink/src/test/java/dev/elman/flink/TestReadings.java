package dev.elman.flink;

import dev.elman.flink.example.SensorReading;
import dev.elman.flink.example.SyntheticReadings;

import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.io.Serial;
import java.util.Arrays;

/**
 * The example's synthetic readings with bad ones among them, at fixed indices: a NaN, an infinity,
 * one feature too many, none at all (the extractor then returns null), and huge finite inputs
 * whose step overflows the state of the test model's first unit (see {@link TestModels}).
 */
final class TestReadings implements GeneratorFunction<Long, SensorReading> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final SyntheticReadings good;
    private final int inputSize;

    TestReadings(long sensors, int inputSize) {
        this.good = new SyntheticReadings(sensors, inputSize);
        this.inputSize = inputSize;
    }

    /** @return the reason a rejection of reading {@code i} must contain, or null if it is good */
    static String expectedProblem(long i) {
        if (i % 53 == 7) {
            return "is NaN";
        }
        if (i % 59 == 11) {
            return "is Infinity";
        }
        if (i % 61 == 13) {
            return "expected";
        }
        if (i % 67 == 17) {
            return "returned null";
        }
        if (i % 71 == 19) {
            return "non-finite";
        }
        return null;
    }

    @Override
    public SensorReading map(Long index) {
        SensorReading reading = good.map(index);
        long i = index;
        if (i % 53 == 7) {
            reading.values[(int) (i % inputSize)] = Float.NaN;
        } else if (i % 59 == 11) {
            reading.values[0] = Float.POSITIVE_INFINITY;
        } else if (i % 61 == 13) {
            reading.values = Arrays.copyOf(reading.values, inputSize + 1);
        } else if (i % 67 == 17) {
            reading.values = null;
        } else if (i % 71 == 19) {
            Arrays.fill(reading.values, 3e38f);
        }
        return reading;
    }
}
