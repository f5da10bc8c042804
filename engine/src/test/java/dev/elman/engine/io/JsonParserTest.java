package dev.elman.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonParserTest {

    private static JsonValue parse(String text) throws JsonSyntaxException {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonValue parse(byte[] bytes) throws JsonSyntaxException {
        return JsonParser.parse(MemorySegment.ofArray(bytes));
    }

    private static String rejection(String text) {
        return assertThrows(JsonSyntaxException.class, () -> parse(text), text).getMessage();
    }

    private static String rejection(byte[] bytes) {
        return assertThrows(JsonSyntaxException.class, () -> parse(bytes)).getMessage();
    }

    @Test
    void parsesEveryKindOfValueKeepingMemberOrder() throws Exception {
        JsonValue v = parse(" {\"b\": [1, -2.5e3, 0], \"a\": {\"t\": true, \"f\": false, \"n\": null}, \"s\": \"x\"} ");
        JsonValue.JsonObject o = assertInstanceOf(JsonValue.JsonObject.class, v);
        assertEquals(List.of("b", "a", "s"), List.copyOf(o.members().keySet()));
        JsonValue.JsonArray b = assertInstanceOf(JsonValue.JsonArray.class, o.members().get("b"));
        assertEquals("1", ((JsonValue.JsonNumber) b.elements().get(0)).text());
        assertEquals("-2.5e3", ((JsonValue.JsonNumber) b.elements().get(1)).text());
        assertFalse(((JsonValue.JsonNumber) b.elements().get(1)).isInteger());
        assertTrue(((JsonValue.JsonNumber) b.elements().get(2)).isInteger());
        Map<String, JsonValue> a = ((JsonValue.JsonObject) o.members().get("a")).members();
        assertEquals(true, ((JsonValue.JsonBoolean) a.get("t")).value());
        assertEquals(false, ((JsonValue.JsonBoolean) a.get("f")).value());
        assertInstanceOf(JsonValue.JsonNull.class, a.get("n"));
        assertEquals(1, v.offset());
    }

    @Test
    void decodesEscapesAndUtf8() throws Exception {
        String expected = "q\"\\/\b\f\n\r\t é 中 😀 \u0001";
        JsonValue v = parse("\"q\\\"\\\\\\/\\b\\f\\n\\r\\t \\u00e9 中 \\ud83d\\ude00 \\u0001\"");
        assertEquals(expected, ((JsonValue.JsonString) v).value());
        assertEquals("é中😀", ((JsonValue.JsonString) parse("\"é中😀\"")).value());
    }

    @Test
    void rejectsDuplicateNamesAlsoWhenSpelledDifferently() {
        assertTrue(rejection("{\"a\":1,\"a\":2}").contains("duplicate member name \"a\""));
        assertTrue(rejection("{\"a\":1,\"\\u0061\":2}").contains("duplicate"));
    }

    @Test
    void rejectsTrailingContent() {
        assertTrue(rejection("{} x").contains("trailing content"));
        assertTrue(rejection("{}{}").contains("trailing content"));
        assertTrue(rejection(new byte[]{'{', '}', 0}).contains("trailing content"));
    }

    @Test
    void boundsNestingDepth() throws Exception {
        String ok = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
        parse(ok);
        String deep = "[".repeat(JsonParser.MAX_DEPTH + 1) + "]".repeat(JsonParser.MAX_DEPTH + 1);
        assertTrue(rejection(deep).contains("nesting deeper than 64"));
        // A hostile header of a million brackets must fail on the bound, not on the stack.
        assertTrue(rejection("{\"a\":" + "[".repeat(1_000_000)).contains("nesting deeper"));
    }

    @Test
    void boundsTheNumberOfValues() throws Exception {
        int n = JsonParser.MAX_VALUES - 1; // the array itself is one value
        parse("[" + "0,".repeat(n - 1) + "0]");
        assertTrue(rejection("[" + "0,".repeat(n) + "0]").contains("more than " + JsonParser.MAX_VALUES));
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-", "+1", ".5", "1.", "1e", "1e+", "--1", "0x10", "1.e3", "NaN", "Infinity", "-Infinity"})
    void rejectsNumbersOutsideTheGrammar(String number) {
        rejection("[" + number + "]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "{'a':1}", "[tru]", "[nul]",
            "[True]", "", " ", "[", "{", "\"abc", "{\"a\":}", "[,1]", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\""})
    void rejectsMalformedStructure(String text) {
        rejection(text);
    }

    @Test
    void rejectsControlCharactersAndUnpairedSurrogates() {
        assertTrue(rejection("\"a\nb\"").contains("control character"));
        assertTrue(rejection("\"\\ud83d\"").contains("unpaired surrogate"));
        assertTrue(rejection("\"\\ude00\"").contains("unpaired surrogate"));
        assertTrue(rejection("\"\\ud83d\\u0041\"").contains("unpaired surrogate"));
    }

    @Test
    void rejectsMalformedUtf8() {
        int[][] bad = {
                {0x80},             // lone continuation byte
                {0xC0, 0x80},       // overlong NUL
                {0xC1, 0xBF},       // overlong
                {0xE0, 0x80, 0x80}, // overlong three-byte form
                {0xED, 0xA0, 0x80}, // encoded surrogate U+D800
                {0xF0, 0x80, 0x80, 0x80}, // overlong four-byte form
                {0xF4, 0x90, 0x80, 0x80}, // above U+10FFFF
                {0xF5, 0x80, 0x80, 0x80}, // invalid lead byte
                {0xFF},
                {0xE4, 0xB8},       // truncated sequence
                {0xC3, 0x28},       // bad continuation
        };
        for (int[] sequence : bad) {
            byte[] text = new byte[sequence.length + 2];
            text[0] = '"';
            for (int i = 0; i < sequence.length; i++) {
                text[i + 1] = (byte) sequence[i];
            }
            text[text.length - 1] = '"';
            assertTrue(rejection(text).contains("UTF-8"), () -> java.util.Arrays.toString(sequence));
        }
        // Outside strings a non-ASCII byte is simply unexpected.
        rejection(new byte[]{'[', (byte) 0xC3, (byte) 0xA9, ']'});
    }

    @Test
    void reportsTheByteOffsetOfTheProblem() {
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class, () -> parse("{\"a\":1,\"a\":2}"));
        assertEquals(7, e.offset());
    }
}
