package dev.elman.engine.model;

import dev.elman.kernels.Activation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The direction, the activation per direction and the clip of a {@link ModelConfig}. */
class DirectionConfigTest {
    private static final ModelConfig BASE = ModelConfig.builder().inputSize(2).hiddenSize(3).build();

    @Test
    void directionsAndTheirActivations() {
        ModelConfig forward = BASE;
        assertEquals(Direction.FORWARD, forward.direction());
        assertEquals(0f, forward.clip());
        assertEquals(Activation.TANH, forward.activation(false));

        ModelConfig reverse = BASE.toBuilder().direction(Direction.REVERSE).activation(Activation.SIGMOID).build();
        assertFalse(reverse.bidirectional());
        assertEquals(1, reverse.directions());
        assertEquals(Activation.SIGMOID, reverse.activation());
        assertEquals(Activation.SIGMOID, reverse.activation(true));
        assertEquals(Activation.SIGMOID, reverse.directionActivation(0));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> reverse.activation(false));
        assertTrue(none.getMessage().contains("a reverse model has no forward direction"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> forward.activation(true));

        ModelConfig both = BASE.toBuilder().bidirectional(true).activations(Activation.RELU, Activation.elu(1)).build();
        assertEquals(Direction.BIDIRECTIONAL, both.direction());
        assertEquals(Activation.RELU, both.activation());
        assertEquals(Activation.elu(1), both.activation(true));
        assertEquals(Activation.elu(1), both.directionActivation(1));
        assertTrue(both.toString().contains("reverseActivation=elu(1.0)"), both.toString());
        assertTrue(reverse.toString().contains("direction=reverse"), reverse.toString());

        assertEquals(Direction.FORWARD, both.toBuilder().bidirectional(false).build().direction());
        assertTrue(Direction.REVERSE.walksBackward(0) && Direction.BIDIRECTIONAL.walksBackward(1)
                && !Direction.BIDIRECTIONAL.walksBackward(0) && !Direction.FORWARD.walksBackward(0));
        assertEquals(Direction.REVERSE, Direction.parse(" Reverse "));
    }

    @Test
    void aUnidirectionalModelKeepsOnlyItsOwnActivation() {
        ModelConfig a = BASE.toBuilder().activations(Activation.RELU, Activation.SOFTSIGN).build();
        ModelConfig b = BASE.toBuilder().activation(Activation.RELU).build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        ModelConfig reverseA = BASE.toBuilder().direction(Direction.REVERSE)
                .activations(Activation.RELU, Activation.SOFTSIGN).build();
        assertEquals(BASE.toBuilder().direction(Direction.REVERSE).activation(Activation.SOFTSIGN).build(), reverseA);
        assertNotEquals(reverseA, BASE.toBuilder().activation(Activation.SOFTSIGN).build(), "direction counts");
    }

    @Test
    void clipIsCheckedAndCounts() {
        ModelConfig clipped = BASE.toBuilder().clip(2.5f).build();
        assertEquals(2.5f, clipped.clip());
        assertNotEquals(BASE, clipped);
        assertTrue(clipped.toString().contains("clip=2.5"), clipped.toString());
        for (float bad : new float[] {-1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BASE.toBuilder().clip(bad));
            assertTrue(e.getMessage().contains("clip must be 0 (none) or positive and finite"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> BASE.toBuilder().direction(null));
        assertThrows(IllegalArgumentException.class, () -> BASE.toBuilder().activations(Activation.TANH, null));
        assertThrows(IllegalArgumentException.class,
                () -> BASE.toBuilder().direction(Direction.REVERSE).merge(Merge.SUM).build());
    }
}
