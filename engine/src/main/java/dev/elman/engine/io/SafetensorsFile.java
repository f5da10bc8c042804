package dev.elman.engine.io;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The contents of a safetensors file: named tensors and the optional string-to-string
 * {@code __metadata__}. Both maps are unmodifiable and ordered by key.
 *
 * @param tensors  tensors by name
 * @param metadata the {@code __metadata__} entries, empty if the file has none
 */
public record SafetensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
    /** Copies both maps; neither may hold null keys or values. */
    public SafetensorsFile {
        tensors = Collections.unmodifiableSortedMap(new TreeMap<>(tensors));
        metadata = Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
        if (tensors.containsValue(null) || metadata.containsValue(null)) {
            throw new IllegalArgumentException("tensors and metadata must not hold null values");
        }
    }
}
