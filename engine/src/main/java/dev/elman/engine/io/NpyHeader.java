package dev.elman.engine.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of an {@code .npy} file: the Python dictionary literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}, parsed strictly (exactly
 * these three keys, each once; plain quoted strings, {@code True}/{@code False}, tuples of
 * decimal integers, a one-element tuple only with its comma) and formatted exactly as NumPy
 * writes it.
 */
record NpyHeader(DType dtype, int[] shape) {
    static final String DESCR = "descr";
    static final String FORTRAN_ORDER = "fortran_order";
    static final String SHAPE = "shape";

    /** NumPy's alignment of the data section. */
    private static final int ALIGNMENT = 64;
    /** NumPy leaves room for the first dimension to grow to this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    /** Parses the dictionary literal; {@code text} is the header with its padding and newline. */
    static NpyHeader parse(Path file, String text) throws MalformedFileException {
        return new Parser(file, text).header();
    }

    /** The NumPy descr of a dtype this package writes. */
    static String descr(DType dtype) {
        return switch (dtype) {
            case F32 -> "<f4";
            case F64 -> "<f8";
            default -> throw new IllegalArgumentException(".npy files are written as F32 or F64, not " + dtype);
        };
    }

    /**
     * The complete preamble of a version 1.0 file: magic, version, header length and the header
     * padded with spaces and a newline so that the data starts at a multiple of 64 bytes; byte for
     * byte what NumPy's {@code np.save} writes.
     */
    static byte[] preamble(DType dtype, int[] shape) {
        StringBuilder sb = new StringBuilder("{'descr': '").append(descr(dtype))
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        sb.append(shape.length == 1 ? ",), }" : "), }");
        if (shape.length > 0) {
            sb.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
        }
        int prefix = Npy.MAGIC.length + 2 + 2;
        int withNewline = sb.length() + 1;
        // As NumPy does: a full block of padding when already aligned.
        int padding = ALIGNMENT - (prefix + withNewline) % ALIGNMENT;
        sb.append(" ".repeat(padding)).append('\n');
        byte[] header = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix + header.length];
        System.arraycopy(Npy.MAGIC, 0, out, 0, Npy.MAGIC.length);
        out[6] = 1; // version 1.0: the header is far below the 65535 bytes of its length field
        out[7] = 0;
        out[8] = (byte) header.length;
        out[9] = (byte) (header.length >>> 8);
        System.arraycopy(header, 0, out, prefix, header.length);
        return out;
    }

    /** A recursive-descent parser over the literal; every method reports its position. */
    private static final class Parser {
        private final Path file;
        private final String text;
        private int pos;

        Parser(Path file, String text) {
            this.file = file;
            this.text = text;
        }

        NpyHeader header() throws MalformedFileException {
            if (!text.endsWith("\n")) {
                throw fail("does not end with a newline");
            }
            Map<String, Object> values = new HashMap<>();
            skipSpaces();
            expect('{');
            skipSpaces();
            while (peek() != '}') {
                int keyAt = pos;
                String key = string();
                if (!key.equals(DESCR) && !key.equals(FORTRAN_ORDER) && !key.equals(SHAPE)) {
                    throw new MalformedFileException(file, null, "header", "unexpected key '" + key + "' at byte " + keyAt
                            + " (expected only descr, fortran_order and shape)");
                }
                if (values.containsKey(key)) {
                    throw new MalformedFileException(file, null, key, "duplicate key at header byte " + keyAt);
                }
                skipSpaces();
                expect(':');
                skipSpaces();
                values.put(key, value(key));
                skipSpaces();
                if (peek() == ',') {
                    pos++;
                    skipSpaces();
                } else if (peek() != '}') {
                    throw fail("expected ',' or '}'");
                }
            }
            pos++;
            while (pos < text.length() - 1 && text.charAt(pos) == ' ') {
                pos++;
            }
            if (pos != text.length() - 1) {
                throw fail("trailing content after the dictionary (only spaces and a final newline may follow)");
            }
            for (String key : new String[]{DESCR, FORTRAN_ORDER, SHAPE}) {
                if (!values.containsKey(key)) {
                    throw new MalformedFileException(file, null, key, "missing from the header");
                }
            }
            if ((Boolean) values.get(FORTRAN_ORDER)) {
                throw new MalformedFileException(file, null, FORTRAN_ORDER,
                        "True is not supported: save a C-ordered array (np.ascontiguousarray)");
            }
            return new NpyHeader(dtype((String) values.get(DESCR)), (int[]) values.get(SHAPE));
        }

        private Object value(String key) throws MalformedFileException {
            return switch (key) {
                case DESCR -> {
                    if (peek() == '[') {
                        throw new MalformedFileException(file, null, DESCR,
                                "structured dtypes (a list of fields) are not supported; expected '<f4' or '<f8'");
                    }
                    yield string();
                }
                case FORTRAN_ORDER -> {
                    if (text.startsWith("True", pos)) {
                        pos += 4;
                        yield Boolean.TRUE;
                    }
                    if (text.startsWith("False", pos)) {
                        pos += 5;
                        yield Boolean.FALSE;
                    }
                    throw new MalformedFileException(file, null, FORTRAN_ORDER, "expected True or False at header byte " + pos);
                }
                default -> shape();
            };
        }

        private DType dtype(String descr) throws MalformedFileException {
            return switch (descr) {
                case "<f4" -> DType.F32;
                case "<f8" -> DType.F64;
                case ">f4", ">f8" -> throw new MalformedFileException(file, null, DESCR, "big-endian data ('" + descr
                        + "') is not supported; convert with a.astype('<" + descr.substring(1) + "')");
                default -> {
                    if (descr.contains("O")) {
                        throw new MalformedFileException(file, null, DESCR, "object arrays ('" + descr + "') are not supported");
                    }
                    throw new MalformedFileException(file, null, DESCR, "dtype '" + descr
                            + "' is not supported (expected '<f4' or '<f8')");
                }
            };
        }

        private int[] shape() throws MalformedFileException {
            if (peek() != '(') {
                throw new MalformedFileException(file, null, SHAPE, "expected a tuple at header byte " + pos);
            }
            int start = pos++;
            List<Integer> dims = new ArrayList<>();
            boolean trailingComma = false;
            skipSpaces();
            while (peek() != ')') {
                if (dims.size() == Tensor.MAX_RANK) {
                    throw new MalformedFileException(file, null, SHAPE, "rank exceeds the limit of " + Tensor.MAX_RANK);
                }
                dims.add(dimension(dims.size()));
                skipSpaces();
                trailingComma = false;
                if (peek() == ',') {
                    pos++;
                    trailingComma = true;
                    skipSpaces();
                } else if (peek() != ')') {
                    throw new MalformedFileException(file, null, SHAPE, "expected ',' or ')' at header byte " + pos);
                }
            }
            pos++;
            if (dims.size() == 1 && !trailingComma) {
                throw new MalformedFileException(file, null, SHAPE, text.substring(start, pos)
                        + " is a parenthesised number, not a tuple (a one-element tuple needs a comma)");
            }
            int[] shape = new int[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i);
            }
            // A zero dimension empties the tensor however large the others are: start from 0 then.
            long size = java.util.Arrays.stream(shape).anyMatch(d -> d == 0) ? 0 : 1;
            for (int d : shape) {
                try {
                    size = Math.multiplyExact(size, d);
                } catch (ArithmeticException overflow) {
                    throw new MalformedFileException(file, null, SHAPE, "the product of the dimensions overflows");
                }
            }
            if (size > Tensor.MAX_ELEMENTS) {
                throw new MalformedFileException(file, null, SHAPE, size + " elements exceed the limit of "
                        + Tensor.MAX_ELEMENTS);
            }
            return shape;
        }

        private int dimension(int axis) throws MalformedFileException {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            String digits = text.substring(start, pos);
            if (digits.isEmpty()) {
                throw new MalformedFileException(file, null, SHAPE + "[" + axis + "]",
                        "expected a non-negative decimal integer at header byte " + start);
            }
            if (digits.length() > 1 && digits.charAt(0) == '0') {
                throw new MalformedFileException(file, null, SHAPE + "[" + axis + "]", "leading zero in " + digits);
            }
            if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) {
                throw new MalformedFileException(file, null, SHAPE + "[" + axis + "]", (digits.length() > 40
                        ? digits.substring(0, 37) + "..." : digits) + " exceeds the maximum of " + Integer.MAX_VALUE);
            }
            return Integer.parseInt(digits);
        }

        /** A quoted string without escapes (NumPy never writes any in the keys and descrs we read). */
        private String string() throws MalformedFileException {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw fail("expected a quoted string");
            }
            int start = ++pos;
            while (pos < text.length() && text.charAt(pos) != quote) {
                if (text.charAt(pos) == '\\' || text.charAt(pos) == '\n') {
                    throw fail("escape or newline in a string");
                }
                pos++;
            }
            if (pos >= text.length()) {
                throw fail("unterminated string");
            }
            return text.substring(start, pos++);
        }

        private char peek() throws MalformedFileException {
            if (pos >= text.length()) {
                throw fail("unexpected end of header");
            }
            return text.charAt(pos);
        }

        private void expect(char c) throws MalformedFileException {
            if (peek() != c) {
                throw fail("expected '" + c + "'");
            }
            pos++;
        }

        private void skipSpaces() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private MalformedFileException fail(String problem) {
            return new MalformedFileException(file, null, "header", problem + " at header byte " + pos + " in "
                    + abbreviate(text));
        }

        private static String abbreviate(String s) {
            String trimmed = s.strip();
            return '"' + (trimmed.length() <= 120 ? trimmed : trimmed.substring(0, 117) + "...") + '"';
        }
    }
}
