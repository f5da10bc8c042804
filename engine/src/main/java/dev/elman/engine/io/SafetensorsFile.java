package dev.elman.engine.io;

import java.util.Map;

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
        tensors = SortedMaps.copy("tensors", tensors);
        metadata = SortedMaps.copy("metadata", metadata);
    }
}
