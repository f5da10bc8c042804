package dev.elman.flink.example;

/**
 * The example job's event: one reading of one sensor, its features the model's input.
 * A Flink POJO.
 */
public final class SensorReading {
    /** The sensor: the key, one stream of the model per sensor. */
    public long sensor;
    /** The reading's number among this sensor's readings, from 0. */
    public long sequence;
    /** The features, {@code inputSize} of them. */
    public float[] values;

    /** For Flink's POJO serializer. */
    public SensorReading() {
    }

    /**
     * @param sensor the sensor
     * @param sequence the reading's number for this sensor
     * @param values the features, not copied
     */
    public SensorReading(long sensor, long sequence, float[] values) {
        this.sensor = sensor;
        this.sequence = sequence;
        this.values = values;
    }

    /** @return the features (the extractor the job gives {@code ElmanInference}) */
    public float[] features() {
        return values;
    }

    @Override
    public String toString() {
        return "SensorReading[sensor=" + sensor + ", sequence=" + sequence + "]";
    }
}
