package dev.elman.engine.io;

import java.util.Map;

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
        config = SortedMaps.copy("config", config);
        tensors = SortedMaps.copy("tensors", tensors);
    }
}
