package dev.elman.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --activation} takes every activation label, and names the bad text otherwise. */
class ActivationOptionTest {
    private final ModelOptions.ActivationName converter = new ModelOptions.ActivationName();

    @Test
    void everyLabelParses() {
        assertEquals("tanh", converter.convert("tanh"));
        assertEquals("relu", converter.convert(" ReLU "));
        assertEquals("sigmoid", converter.convert("sigmoid"));
        assertEquals("leaky_relu(0.01)", converter.convert("leaky_relu(0.01)"));
        assertEquals("hard_sigmoid(0.2,0.5)", converter.convert("hard_sigmoid(0.2, 0.5)"));
    }

    @Test
    void badLabelsAreNamed() {
        TypeConversionException unknown = assertThrows(TypeConversionException.class, () -> converter.convert("swish"));
        assertTrue(unknown.getMessage().contains("unknown activation 'swish'"), unknown.getMessage());
        TypeConversionException refused = assertThrows(TypeConversionException.class, () -> converter.convert("elu(-1)"));
        assertTrue(refused.getMessage().contains("alpha must be at least 0"), refused.getMessage());
    }
}
