package dev.elman.engine.interop;

import dev.elman.engine.model.Model;

import java.util.Map;

/**
 * A model read from Elman's model file, with the free-form metadata saved beside it (for example
 * the task a checkpoint was trained on, or a character vocabulary).
 *
 * @param model the model, parameters loaded
 * @param metadata the metadata, unmodifiable, in sorted key order
 */
public record SavedModel(Model model, Map<String, String> metadata) {
}
