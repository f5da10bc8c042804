package dev.elman.engine.interop;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names PyTorch's {@code nn.RNN} gives its parameters in {@code state_dict()}, and the two extra
 * names of a gradient file written by {@code rnn grad}.
 *
 * <table>
 *   <caption>Keys for layer {@code k} (0-based); {@code _reverse} marks the reverse direction</caption>
 *   <tr><th>key</th><th>shape</th><th>Elman</th></tr>
 *   <tr><td>{@code weight_ih_l{k}}</td><td>{@code [H, I_k]}</td><td>{@code wx_l{k}}</td></tr>
 *   <tr><td>{@code weight_hh_l{k}}</td><td>{@code [H, H]}</td><td>{@code wh_l{k}}</td></tr>
 *   <tr><td>{@code bias_ih_l{k}}</td><td>{@code [H]}</td><td rowspan="2">{@code b_l{k} = bias_ih + bias_hh}</td></tr>
 *   <tr><td>{@code bias_hh_l{k}}</td><td>{@code [H]}</td></tr>
 * </table>
 *
 * <p>{@code I_0} is the input size, {@code I_k = D·H} above (D = 2 when bidirectional).
 */
public final class TorchRnnKeys {
    /** The gradient file's key for {@code dL/dX}, shaped like the input. */
    public static final String INPUT_GRADIENT = "input";
    /** The gradient file's key for {@code dL/dH0}, shaped like the initial state. */
    public static final String INITIAL_STATE_GRADIENT = "h0";

    private static final String REVERSE = "_reverse";
    /** Layer numbers as torch writes them: no sign, no leading zeros, at most nine digits (fits an int). */
    private static final Pattern KEY = Pattern.compile("(weight_ih|weight_hh|bias_ih|bias_hh)_l(0|[1-9][0-9]{0,8})(_reverse)?");

    private TorchRnnKeys() {
    }

    /** The four parameter kinds of one layer and direction. */
    public enum Kind {
        /** {@code weight_ih}, {@code [H, I_k]}. */
        WEIGHT_IH("weight_ih"),
        /** {@code weight_hh}, {@code [H, H]}. */
        WEIGHT_HH("weight_hh"),
        /** {@code bias_ih}, {@code [H]}. */
        BIAS_IH("bias_ih"),
        /** {@code bias_hh}, {@code [H]}. */
        BIAS_HH("bias_hh");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** @return whether this is one of the two biases */
        public boolean isBias() {
            return this == BIAS_IH || this == BIAS_HH;
        }

        /**
         * @param layer the layer, 0-based
         * @param reverse the reverse direction of a bidirectional layer
         * @return the key, e.g. {@code weight_hh_l1_reverse}
         */
        public String key(int layer, boolean reverse) {
            if (layer < 0) {
                throw new IllegalArgumentException("layer must be at least 0, got " + layer);
            }
            return prefix + "_l" + layer + (reverse ? REVERSE : "");
        }

        static Kind ofPrefix(String prefix) {
            for (Kind kind : values()) {
                if (kind.prefix.equals(prefix)) {
                    return kind;
                }
            }
            throw new IllegalStateException(prefix);
        }
    }

    /**
     * A key taken apart.
     *
     * @param kind which parameter
     * @param layer its layer, 0-based
     * @param reverse whether it belongs to the reverse direction
     */
    public record Parsed(Kind kind, int layer, boolean reverse) {
        /** @return the key this was parsed from */
        public String key() {
            return kind.key(layer, reverse);
        }
    }

    /**
     * Takes a key apart.
     *
     * @param key a name from a state dict
     * @return its parts, or null when it is not exactly an {@code nn.RNN} parameter name
     */
    public static Parsed parse(String key) {
        if (key == null) {
            return null;
        }
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            return null;
        }
        return new Parsed(Kind.ofPrefix(m.group(1)), Integer.parseInt(m.group(2)), m.group(3) != null);
    }
}
