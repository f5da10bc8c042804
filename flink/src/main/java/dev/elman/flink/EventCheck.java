package dev.elman.flink;

/**
 * The checks an event's features pass before any state is touched: present, {@code inputSize}
 * long, every value finite. Each failure is one sentence for {@link Rejection#reason}.
 */
final class EventCheck {
    private EventCheck() {
    }

    /**
     * @param features what the extractor returned
     * @param inputSize the model's I
     * @return null when the features can be stepped, otherwise why not
     */
    static String problem(float[] features, int inputSize) {
        if (features == null) {
            return "features: the extractor returned null";
        }
        if (features.length != inputSize) {
            return "features: expected " + inputSize + " floats (the model's inputSize), got " + features.length;
        }
        for (int i = 0; i < features.length; i++) {
            if (!Float.isFinite(features[i])) {
                return "features[" + i + "] is " + features[i] + ": inputs must be finite";
            }
        }
        return null;
    }

    /** The reason for an extractor that threw. */
    static String extractorFailed(Exception e) {
        return "features: the extractor threw " + e.getClass().getName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
