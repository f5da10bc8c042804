package dev.elman.cli;

import dev.elman.engine.model.NonFiniteException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A computation of {@code rnn run} or {@code rnn grad} produced NaN or infinities from finite
 * inputs and weights (the values left float32's range): reported as one line naming the quantity
 * in PyTorch's terms, how many values and where the first one is, with its own exit status
 * {@value #STATUS}, and nothing is written.
 */
final class NonFiniteResultException extends Exception {
    /** The exit status: distinct from usage mistakes (2) and unreadable files (1). */
    static final int STATUS = 4;

    private static final long serialVersionUID = 1L;
    /** Elman's parameter names, as {@link dev.elman.engine.model.ParameterNames} writes them. */
    private static final Pattern PARAMETER = Pattern.compile("the gradient of (wx|wh|b)_l(\\d+)(_reverse)?");

    private NonFiniteResultException(String message, NonFiniteException cause) {
        super(message, cause);
    }

    /**
     * @param command {@code "rnn run"}, leading the message
     * @param e what the engine found
     * @return the report, e.g. {@code rnn run: the output Y has 3 non-finite values (the first,
     *     Infinity, at step 1, sequence 0, feature 2): the computation left float32's range; nothing was written}
     */
    static NonFiniteResultException of(String command, NonFiniteException e) {
        long count = e.count();
        String values = count + " non-finite value" + (count == 1 ? "" : "s");
        return new NonFiniteResultException(command + ": " + torchTerms(e.quantity()) + " has " + values + " ("
                + (count == 1 ? "" : "the first, ") + e.firstValue() + ", at " + e.firstPositionText()
                + "): the computation left float32's range; nothing was written", e);
    }

    /** The engine's name of a quantity in the words of {@code nn.RNN}'s files. */
    private static String torchTerms(String quantity) {
        if (quantity.equals("the output")) {
            return "the output Y";
        }
        if (quantity.equals("the gradient of the input")) {
            return "the gradient of the input (input)";
        }
        if (quantity.equals("the gradient of the initial states")) {
            return "the gradient of the initial state (h0)";
        }
        Matcher m = PARAMETER.matcher(quantity);
        if (m.matches()) {
            String suffix = "_l" + m.group(2) + (m.group(3) == null ? "" : m.group(3));
            return "the gradient of " + switch (m.group(1)) {
                case "wx" -> "weight_ih" + suffix;
                case "wh" -> "weight_hh" + suffix;
                default -> "bias_ih" + suffix + " and bias_hh" + suffix;
            };
        }
        return quantity;
    }
}
