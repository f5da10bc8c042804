package dev.elman.engine.model;

import java.util.List;
import java.util.StringJoiner;

/**
 * A computation produced NaN or an infinity from finite inputs and finite parameters: the values
 * left float32's range (e.g. a relu network fed {@code 1e37}, or weights that make the state
 * grow without bound). Elman never hands such a result on: a {@link StreamingSession#step} that
 * would produce it throws this and keeps its state from before the step, and
 * {@link Model#forward} and {@link Model#gradient} throw it rather than return it.
 *
 * <p>It names the quantity ({@code "the output"}, {@code "the state of layer 1"},
 * {@code "the gradient of wh_l0"}), how many of its values are not finite, and where the first is,
 * as coordinates along named axes (e.g. step, sequence, feature), so that callers such as the
 * command line can report it in their own terms.
 */
public final class NonFiniteException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final String quantity;
    private final long count;
    private final float firstValue;
    private final List<String> axes;
    private final int[] firstPosition;

    /**
     * @param context what was being computed, leading the message ({@code "Model.forward"}), or null
     * @param quantity the array holding the values ({@code "the output"})
     * @param count how many of its values are not finite, at least 1
     * @param firstValue the first of them (NaN or an infinity)
     * @param axes the names of the array's axes, outermost first ({@code "step", "sequence", "feature"})
     * @param firstPosition the first one's coordinates along those axes
     * @param consequence what happened as a result, ending the message ({@code "nothing was returned"}), or null
     * @throws IllegalArgumentException when an argument is null or the axes and coordinates differ in number
     */
    public NonFiniteException(String context, String quantity, long count, float firstValue, List<String> axes,
                              int[] firstPosition, String consequence) {
        super(message(context, quantity, count, firstValue, axes, firstPosition, consequence));
        this.quantity = quantity;
        this.count = count;
        this.firstValue = firstValue;
        this.axes = List.copyOf(axes);
        this.firstPosition = firstPosition.clone();
    }

    private static String message(String context, String quantity, long count, float firstValue, List<String> axes,
                                  int[] firstPosition, String consequence) {
        if (quantity == null || axes == null || firstPosition == null) {
            throw new IllegalArgumentException("quantity, axes and firstPosition must not be null");
        }
        if (axes.size() != firstPosition.length) {
            throw new IllegalArgumentException("expected one coordinate per axis " + axes + ", got "
                    + firstPosition.length);
        }
        return (context == null ? "" : context + ": ") + quantity + " has " + count + " non-finite value"
                + (count == 1 ? "" : "s") + " (" + (count == 1 ? "" : "the first, ") + firstValue + ", at "
                + position(axes, firstPosition) + ")" + (consequence == null ? "" : "; " + consequence);
    }

    private static String position(List<String> axes, int[] coordinates) {
        StringJoiner at = new StringJoiner(", ");
        for (int i = 0; i < coordinates.length; i++) {
            at.add(axes.get(i) + " " + coordinates[i]);
        }
        return at.toString();
    }

    /** @return the array holding the values, e.g. {@code "the output"} */
    public String quantity() {
        return quantity;
    }

    /** @return how many of its values are not finite */
    public long count() {
        return count;
    }

    /** @return the first non-finite value: NaN or an infinity */
    public float firstValue() {
        return firstValue;
    }

    /** @return the names of the array's axes, outermost first */
    public List<String> axes() {
        return axes;
    }

    /** @return the first non-finite value's coordinates along {@link #axes()} (a copy) */
    public int[] firstPosition() {
        return firstPosition.clone();
    }

    /** @return the first one's position as text, e.g. {@code "step 3, sequence 0, feature 2"} */
    public String firstPositionText() {
        return position(axes, firstPosition);
    }
}
