package dev.elman.engine.io;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The defensive copy the file-content records make of their maps: sorted, null-free, unmodifiable. */
final class SortedMaps {
    private SortedMaps() {
    }

    /**
     * A sorted, unmodifiable copy of {@code map}.
     *
     * @param what the map's name in error messages
     * @throws IllegalArgumentException if the map is null or holds a null key or value
     */
    static <V> SortedMap<String, V> copy(String what, Map<String, V> map) {
        if (map == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        SortedMap<String, V> sorted = new TreeMap<>();
        for (Map.Entry<String, V> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException(what + " must not hold null keys or values, found " + e);
            }
            sorted.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableSortedMap(sorted);
    }
}
