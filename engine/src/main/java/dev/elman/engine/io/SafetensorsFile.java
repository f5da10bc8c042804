package dev.elman.engine.io;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The contents of a safetensors file: named tensors and the optional string-to-string
 * {@code __metadata__}. Both maps are unmodifiable and ordered by key.
 *
 * @param tensors  tensors by name
 * @param metadata the {@code __metadata__} entries, empty if the file has none
 */
public record SafetensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
    /**
     * Copies both maps.
     *
     * @throws IllegalArgumentException if a map is null or holds a null key or value
     */
    public SafetensorsFile {
        tensors = copy("tensors", tensors);
        metadata = copy("metadata", metadata);
    }

    private static <V> SortedMap<String, V> copy(String what, Map<String, V> map) {
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
