package dev.elman.engine.io;

import java.nio.charset.StandardCharsets;

/**
 * Builds the compact JSON text of a file header. Only what the writers need: objects, arrays of
 * integers, strings. Member order is the caller's, so headers are byte-for-byte deterministic.
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    /** Whether the next member or element is the first of its container. */
    private boolean first = true;

    JsonWriter beginObject() {
        separate();
        out.append('{');
        first = true;
        return this;
    }

    JsonWriter endObject() {
        out.append('}');
        first = false;
        return this;
    }

    /** Writes a member name and the colon; the value follows with the next call. */
    JsonWriter name(String name) {
        separate();
        quote(name);
        out.append(':');
        first = true; // the value that follows needs no comma
        return this;
    }

    JsonWriter value(String value) {
        separate();
        quote(value);
        return this;
    }

    JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    JsonWriter array(long... elements) {
        separate();
        out.append('[');
        for (int i = 0; i < elements.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(elements[i]);
        }
        out.append(']');
        return this;
    }

    JsonWriter array(int... elements) {
        long[] wide = new long[elements.length];
        for (int i = 0; i < elements.length; i++) {
            wide[i] = elements[i];
        }
        return array(wide);
    }

    byte[] toUtf8() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void separate() {
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    /**
     * Appends a JSON string literal. An unpaired surrogate has no UTF-8 encoding (Java would write
     * '?' in its place, silently renaming a tensor), so it is rejected.
     */
    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    out.append(c).append(s.charAt(++i));
                    continue;
                }
                throw new IllegalArgumentException("string \"" + s + "\" has an unpaired surrogate at index " + i
                        + "; it cannot be written as UTF-8");
            }
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
