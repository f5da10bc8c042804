package dev.elman.engine.model;

/**
 * The stable names of a model's parameter tensors, as found in {@link Parameters}, gradients and
 * model files. They mirror PyTorch's {@code nn.RNN} names one for one, except that Elman keeps one
 * summed bias where PyTorch keeps {@code bias_ih} and {@code bias_hh}:
 *
 * <table>
 *   <caption>Parameter names, for layer {@code k} (0-based)</caption>
 *   <tr><th>Elman</th><th>shape</th><th>PyTorch nn.RNN</th></tr>
 *   <tr><td>{@code wx_l{k}}</td><td>{@code [H, I_k]}</td><td>{@code weight_ih_l{k}}</td></tr>
 *   <tr><td>{@code wh_l{k}}</td><td>{@code [H, H]}</td><td>{@code weight_hh_l{k}}</td></tr>
 *   <tr><td>{@code b_l{k}}</td><td>{@code [H]}</td><td>{@code bias_ih_l{k} + bias_hh_l{k}}</td></tr>
 *   <tr><td>{@code wx_l{k}_reverse}, …</td><td>as above</td><td>{@code weight_ih_l{k}_reverse}, …</td></tr>
 *   <tr><td>{@code wy}</td><td>{@code [O, F]}</td><td>(the head; a separate {@code nn.Linear} {@code weight})</td></tr>
 *   <tr><td>{@code by}</td><td>{@code [O]}</td><td>(its {@code bias})</td></tr>
 * </table>
 *
 * <p>{@code I_0} is the input size and {@code I_k} for {@code k > 0} is the feature size F of the
 * layer below (2H for concatenated directions, else H). Biases are absent when the configuration
 * turns them off. Tensors are listed in the order layer by layer, forward before reverse, {@code wx},
 * {@code wh}, {@code b}, then {@code wy}, {@code by}.
 */
public final class ParameterNames {
    /** The head's weight {@code Wy [O, F]}. */
    public static final String HEAD_WEIGHTS = "wy";
    /** The head's bias {@code by [O]}. */
    public static final String HEAD_BIAS = "by";

    private static final String REVERSE = "_reverse";

    private ParameterNames() {
    }

    /**
     * @param layer the layer, 0-based
     * @param reverse whether the reverse direction of a bidirectional layer
     * @return the name of {@code Wx}: {@code wx_l{layer}} or {@code wx_l{layer}_reverse}
     */
    public static String inputWeights(int layer, boolean reverse) {
        return "wx_l" + layer + (reverse ? REVERSE : "");
    }

    /**
     * @param layer the layer, 0-based
     * @param reverse whether the reverse direction of a bidirectional layer
     * @return the name of {@code Wh}: {@code wh_l{layer}} or {@code wh_l{layer}_reverse}
     */
    public static String recurrentWeights(int layer, boolean reverse) {
        return "wh_l" + layer + (reverse ? REVERSE : "");
    }

    /**
     * @param layer the layer, 0-based
     * @param reverse whether the reverse direction of a bidirectional layer
     * @return the name of {@code b}: {@code b_l{layer}} or {@code b_l{layer}_reverse}
     */
    public static String bias(int layer, boolean reverse) {
        return "b_l" + layer + (reverse ? REVERSE : "");
    }
}
