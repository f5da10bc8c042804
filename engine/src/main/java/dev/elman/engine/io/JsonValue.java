package dev.elman.engine.io;

import java.util.List;
import java.util.Map;

/**
 * A parsed JSON value. Every value remembers the byte offset (within the parsed text) where it
 * starts, so that a file reader can say where in its header a bad value sits.
 */
sealed interface JsonValue {

    /** Byte offset of the value's first character within the parsed text. */
    long offset();

    /** A short name of the value's kind for error messages: "object", "string", .... */
    String kind();

    /** An object; members keep the order of the text, and names are unique. */
    record JsonObject(Map<String, JsonValue> members, long offset) implements JsonValue {
        @Override
        public String kind() {
            return "object";
        }
    }

    record JsonArray(List<JsonValue> elements, long offset) implements JsonValue {
        @Override
        public String kind() {
            return "array";
        }
    }

    record JsonString(String value, long offset) implements JsonValue {
        @Override
        public String kind() {
            return "string";
        }
    }

    /**
     * A number, kept as its exact text: the readers need exact integers (offsets, dimensions) and
     * must not round a 20-digit number to a double before checking it.
     */
    record JsonNumber(String text, long offset) implements JsonValue {
        @Override
        public String kind() {
            return "number";
        }

        /** Whether the text is an integer: no fraction, no exponent. */
        boolean isInteger() {
            return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        }
    }

    record JsonBoolean(boolean value, long offset) implements JsonValue {
        @Override
        public String kind() {
            return "boolean";
        }
    }

    record JsonNull(long offset) implements JsonValue {
        @Override
        public String kind() {
            return "null";
        }
    }
}
