package dev.elman.engine.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON parser for file headers, reading UTF-8 bytes straight from a (possibly
 * memory-mapped) segment.
 *
 * <p>Strict means: exactly one value surrounded only by JSON whitespace; no duplicate member
 * names (compared after unescaping); no control characters in strings; only the escapes of the
 * RFC; no unpaired surrogates, neither escaped nor encoded; well-formed UTF-8 only (no overlong
 * forms, no encoded surrogates, nothing above U+10FFFF); the RFC number grammar (no leading zeros,
 * no '+', no bare '.').
 *
 * <p>Hostile input is bounded: nesting deeper than {@link #MAX_DEPTH} and more than
 * {@link #MAX_VALUES} values are rejected, so neither the stack nor the heap grows with an
 * attacker's header beyond a fixed budget (about a hundred bytes of heap per value).
 */
final class JsonParser {
    /** Deeper than any header this package reads needs (three levels) with a wide margin. */
    static final int MAX_DEPTH = 64;
    /** About 100 000 tensor entries' worth of values; bounds the parse tree's heap. */
    static final int MAX_VALUES = 1 << 20;

    private final MemorySegment text;
    private final long end;
    private long pos;
    private int values;
    private final StringBuilder chars = new StringBuilder();

    private JsonParser(MemorySegment text) {
        this.text = text;
        this.end = text.byteSize();
    }

    /** Parses the whole segment as one JSON value with optional surrounding whitespace. */
    static JsonValue parse(MemorySegment text) throws JsonSyntaxException {
        JsonParser parser = new JsonParser(text);
        parser.skipWhitespace();
        JsonValue value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos != parser.end) {
            throw new JsonSyntaxException("trailing content after the JSON value (byte 0x"
                    + Integer.toHexString(parser.peek()) + ")", parser.pos);
        }
        return value;
    }

    private int peek() {
        return Byte.toUnsignedInt(text.get(ValueLayout.JAVA_BYTE, pos));
    }

    private int next() throws JsonSyntaxException {
        if (pos >= end) {
            throw new JsonSyntaxException("unexpected end of text", pos);
        }
        return Byte.toUnsignedInt(text.get(ValueLayout.JAVA_BYTE, pos++));
    }

    private void skipWhitespace() {
        while (pos < end) {
            int b = peek();
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return;
            }
            pos++;
        }
    }

    private JsonValue value(int depth) throws JsonSyntaxException {
        if (++values > MAX_VALUES) {
            throw new JsonSyntaxException("more than " + MAX_VALUES + " JSON values", pos);
        }
        if (pos >= end) {
            throw new JsonSyntaxException("unexpected end of text, expected a value", pos);
        }
        long start = pos;
        int b = peek();
        return switch (b) {
            case '{' -> object(depth + 1, start);
            case '[' -> array(depth + 1, start);
            case '"' -> new JsonValue.JsonString(string(), start);
            case 't' -> literal("true", new JsonValue.JsonBoolean(true, start));
            case 'f' -> literal("false", new JsonValue.JsonBoolean(false, start));
            case 'n' -> literal("null", new JsonValue.JsonNull(start));
            default -> {
                if (b == '-' || (b >= '0' && b <= '9')) {
                    yield number(start);
                }
                throw new JsonSyntaxException("unexpected " + describe(b) + ", expected a value", start);
            }
        };
    }

    private JsonValue.JsonObject object(int depth, long start) throws JsonSyntaxException {
        checkDepth(depth, start);
        pos++; // '{'
        Map<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (pos < end && peek() == '}') {
            pos++;
            return new JsonValue.JsonObject(members, start);
        }
        while (true) {
            skipWhitespace();
            long nameAt = pos;
            if (pos >= end || peek() != '"') {
                throw new JsonSyntaxException(pos >= end ? "unexpected end of text, expected a member name"
                        : "unexpected " + describe(peek()) + ", expected a member name", pos);
            }
            String name = string();
            if (members.containsKey(name)) {
                throw new JsonSyntaxException("duplicate member name \"" + name + "\"", nameAt);
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(name, value(depth));
            skipWhitespace();
            int b = next();
            if (b == '}') {
                return new JsonValue.JsonObject(members, start);
            }
            if (b != ',') {
                throw new JsonSyntaxException("unexpected " + describe(b) + " in object, expected ',' or '}'", pos - 1);
            }
        }
    }

    private JsonValue.JsonArray array(int depth, long start) throws JsonSyntaxException {
        checkDepth(depth, start);
        pos++; // '['
        List<JsonValue> elements = new ArrayList<>();
        skipWhitespace();
        if (pos < end && peek() == ']') {
            pos++;
            return new JsonValue.JsonArray(elements, start);
        }
        while (true) {
            skipWhitespace();
            elements.add(value(depth));
            skipWhitespace();
            int b = next();
            if (b == ']') {
                return new JsonValue.JsonArray(elements, start);
            }
            if (b != ',') {
                throw new JsonSyntaxException("unexpected " + describe(b) + " in array, expected ',' or ']'", pos - 1);
            }
        }
    }

    private static void checkDepth(int depth, long at) throws JsonSyntaxException {
        if (depth > MAX_DEPTH) {
            throw new JsonSyntaxException("nesting deeper than " + MAX_DEPTH + " levels", at);
        }
    }

    private void expect(char c) throws JsonSyntaxException {
        int b = next();
        if (b != c) {
            throw new JsonSyntaxException("unexpected " + describe(b) + ", expected '" + c + "'", pos - 1);
        }
    }

    private JsonValue literal(String word, JsonValue result) throws JsonSyntaxException {
        long start = pos;
        for (int i = 0; i < word.length(); i++) {
            if (pos >= end || peek() != word.charAt(i)) {
                throw new JsonSyntaxException("invalid literal, expected " + word, start);
            }
            pos++;
        }
        return result;
    }

    private JsonValue.JsonNumber number(long start) throws JsonSyntaxException {
        if (peek() == '-') {
            pos++;
        }
        if (pos >= end || !isDigit(peek())) {
            throw new JsonSyntaxException("invalid number: a digit must follow '-'", start);
        }
        if (peek() == '0') {
            pos++;
            if (pos < end && isDigit(peek())) {
                throw new JsonSyntaxException("invalid number: leading zero", start);
            }
        } else {
            skipDigits();
        }
        if (pos < end && peek() == '.') {
            pos++;
            if (pos >= end || !isDigit(peek())) {
                throw new JsonSyntaxException("invalid number: a digit must follow '.'", start);
            }
            skipDigits();
        }
        if (pos < end && (peek() == 'e' || peek() == 'E')) {
            pos++;
            if (pos < end && (peek() == '+' || peek() == '-')) {
                pos++;
            }
            if (pos >= end || !isDigit(peek())) {
                throw new JsonSyntaxException("invalid number: a digit must follow the exponent mark", start);
            }
            skipDigits();
        }
        chars.setLength(0);
        for (long i = start; i < pos; i++) {
            chars.append((char) text.get(ValueLayout.JAVA_BYTE, i)); // the grammar admits ASCII only
        }
        return new JsonValue.JsonNumber(chars.toString(), start);
    }

    private void skipDigits() {
        while (pos < end && isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    /** Reads a string starting at the opening quote; decodes escapes and strict UTF-8. */
    private String string() throws JsonSyntaxException {
        long start = pos;
        pos++; // opening quote
        chars.setLength(0);
        while (true) {
            if (pos >= end) {
                throw new JsonSyntaxException("unterminated string", start);
            }
            long at = pos;
            int b = next();
            if (b == '"') {
                return chars.toString();
            } else if (b == '\\') {
                escape(at);
            } else if (b < 0x20) {
                throw new JsonSyntaxException("unescaped control character 0x" + Integer.toHexString(b) + " in string", at);
            } else if (b < 0x80) {
                chars.append((char) b);
            } else {
                chars.appendCodePoint(utf8(b, at));
            }
        }
    }

    private void escape(long at) throws JsonSyntaxException {
        int e = next();
        switch (e) {
            case '"' -> chars.append('"');
            case '\\' -> chars.append('\\');
            case '/' -> chars.append('/');
            case 'b' -> chars.append('\b');
            case 'f' -> chars.append('\f');
            case 'n' -> chars.append('\n');
            case 'r' -> chars.append('\r');
            case 't' -> chars.append('\t');
            case 'u' -> {
                char c = hex4(at);
                if (Character.isHighSurrogate(c)) {
                    long lowAt = pos;
                    if (pos + 1 < end && peek() == '\\' && text.get(ValueLayout.JAVA_BYTE, pos + 1) == 'u') {
                        pos += 2;
                        char low = hex4(lowAt);
                        if (!Character.isLowSurrogate(low)) {
                            throw new JsonSyntaxException("unpaired surrogate \\u" + hex(c) + " in string", at);
                        }
                        chars.append(c).append(low);
                    } else {
                        throw new JsonSyntaxException("unpaired surrogate \\u" + hex(c) + " in string", at);
                    }
                } else if (Character.isLowSurrogate(c)) {
                    throw new JsonSyntaxException("unpaired surrogate \\u" + hex(c) + " in string", at);
                } else {
                    chars.append(c);
                }
            }
            default -> throw new JsonSyntaxException("invalid escape \\" + describeRaw(e) + " in string", at);
        }
    }

    private char hex4(long escapeAt) throws JsonSyntaxException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(next(), 16);
            if (d < 0) {
                throw new JsonSyntaxException("invalid \\u escape: four hex digits expected", escapeAt);
            }
            v = v << 4 | d;
        }
        return (char) v;
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    /** Decodes one multi-byte UTF-8 sequence whose lead byte {@code lead} sits at {@code at}. */
    private int utf8(int lead, long at) throws JsonSyntaxException {
        int count;
        int min;
        int max;
        int cp;
        if (lead >= 0xC2 && lead <= 0xDF) {
            count = 1;
            cp = lead & 0x1F;
            min = 0x80;
            max = 0xBF;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            count = 2;
            cp = lead & 0x0F;
            // These bounds on the second byte exclude overlong forms (E0) and surrogates (ED).
            min = lead == 0xE0 ? 0xA0 : 0x80;
            max = lead == 0xED ? 0x9F : 0xBF;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            count = 3;
            cp = lead & 0x07;
            // Overlong forms (F0) and code points above U+10FFFF (F4) are excluded here.
            min = lead == 0xF0 ? 0x90 : 0x80;
            max = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            throw new JsonSyntaxException("invalid UTF-8 lead byte 0x" + Integer.toHexString(lead), at);
        }
        for (int i = 0; i < count; i++) {
            if (pos >= end) {
                throw new JsonSyntaxException("truncated UTF-8 sequence", at);
            }
            int b = peek();
            int lo = i == 0 ? min : 0x80;
            int hi = i == 0 ? max : 0xBF;
            if (b < lo || b > hi) {
                throw new JsonSyntaxException("invalid UTF-8 sequence (byte 0x" + Integer.toHexString(b)
                        + " after lead byte 0x" + Integer.toHexString(lead) + ")", at);
            }
            pos++;
            cp = cp << 6 | (b & 0x3F);
        }
        return cp;
    }

    private static String describe(int b) {
        return "character " + describeRaw(b);
    }

    private static String describeRaw(int b) {
        return b >= 0x21 && b < 0x7F ? "'" + (char) b + "'" : "0x" + Integer.toHexString(b);
    }
}
