package dev.elman.jmh.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One JMH run of a sweep: one benchmark method over the cross product of some parameter values.
 *
 * @param workload the benchmark method
 * @param params parameter name to the values to run, in order; each list non-empty
 */
public record RunGroup(Workload workload, Map<String, List<String>> params) {
    /** The package of the benchmark classes. */
    static final String PACKAGE = "dev.elman.jmh.";

    /**
     * @throws IllegalArgumentException when a parameter has no values
     */
    public RunGroup {
        if (workload == null || params == null) {
            throw new IllegalArgumentException("workload and params must not be null");
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            if (param.getValue().isEmpty()) {
                throw new IllegalArgumentException(workload.method() + ": parameter " + param.getKey() + " has no values");
            }
            copy.put(param.getKey(), List.copyOf(param.getValue()));
        }
        params = Collections.unmodifiableMap(copy);
    }

    /** @return JMH's include pattern for exactly this method */
    public String include() {
        return "^" + Pattern.quote(PACKAGE + workload.method()) + "$";
    }

    /** @return how many configurations the group runs */
    public int configurations() {
        int count = 1;
        for (List<String> values : params.values()) {
            count *= values.size();
        }
        return count;
    }
}
