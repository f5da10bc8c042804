package dev.elman.engine.io;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an {@link ElmanArchive} holds: a configuration of string keys and string values (the model
 * layer decides which keys, and may put JSON text in a value) and named tensors. Both maps are
 * copied, unmodifiable and ordered by key.
 *
 * @param config  configuration keys and values
 * @param tensors tensors by name
 */
public record ArchiveContents(Map<String, String> config, Map<String, Tensor> tensors) {
    /**
     * Copies both maps.
     *
     * @throws IllegalArgumentException if a map is null or holds a null key or value
     */
    public ArchiveContents {
        config = copy("config", config);
        tensors = copy("tensors", tensors);
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
