package dev.elman.engine.interop;

import dev.elman.engine.io.ArchiveContents;
import dev.elman.engine.io.ElmanArchive;
import dev.elman.engine.io.MalformedFileException;
import dev.elman.engine.io.Tensor;
import dev.elman.engine.model.Direction;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Merge;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.kernels.Activation;
import dev.elman.reference.ReferenceKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {
    private static final ReferenceKernels KERNELS = new ReferenceKernels();

    @TempDir
    Path folder;

    static Stream<ModelConfig> configs() {
        return Stream.of(
                ModelConfig.builder().inputSize(3).hiddenSize(5).build(),
                ModelConfig.builder().inputSize(2).hiddenSize(4).layers(3).activation(Activation.RELU).bias(false).build(),
                ModelConfig.builder().inputSize(4).hiddenSize(3).layers(2).bidirectional(true).merge(Merge.SUM)
                        .activation(Activation.IDENTITY).outputSize(2).headBias(false).build(),
                ModelConfig.builder().inputSize(1).hiddenSize(1).bidirectional(true).outputSize(7).build(),
                // What the first files could not hold: a reverse-only direction, an activation per
                // direction, a clip, activations with parameters.
                ModelConfig.builder().inputSize(3).hiddenSize(4).layers(2).direction(Direction.REVERSE)
                        .activation(Activation.leakyRelu(0.01f)).clip(2.5f).build(),
                ModelConfig.builder().inputSize(2).hiddenSize(3).bidirectional(true)
                        .activations(Activation.hardSigmoid(0.2f, 0.5f), Activation.scaledTanh(1.7159f, 0.6666f))
                        .outputSize(2).build(),
                ModelConfig.builder().inputSize(2).hiddenSize(3).activation(Activation.SOFTPLUS).clip(1e-3f).build(),
                ModelConfig.builder().inputSize(2).hiddenSize(2).bidirectional(true).merge(Merge.SUM)
                        .activations(Activation.elu(1), Activation.thresholdedRelu(-0.5f)).clip(3).build());
    }

    @Test
    void filesOfModelsTheFirstFormatCouldHoldHaveNoNewKeys() throws IOException {
        Path file = folder.resolve("plain.elman");
        ModelFile.save(file, Model.create(ModelConfig.builder().inputSize(2).hiddenSize(3).bidirectional(true)
                .activation(Activation.RELU).build(), Initialization.uniform(), 1, KERNELS));
        Map<String, String> config = ElmanArchive.read(file).config();
        assertTrue(!config.containsKey("model.direction") && !config.containsKey("model.reverseActivation")
                && !config.containsKey("model.clip"), config.toString());
        Path reverse = folder.resolve("reverse.elman");
        ModelFile.save(reverse, Model.create(ModelConfig.builder().inputSize(2).hiddenSize(3)
                .direction(Direction.REVERSE).activation(Activation.elu(0.5f)).clip(4).build(),
                Initialization.uniform(), 1, KERNELS));
        Map<String, String> written = ElmanArchive.read(reverse).config();
        assertEquals("reverse", written.get("model.direction"));
        assertEquals("false", written.get("model.bidirectional"));
        assertEquals("elu(0.5)", written.get("model.activation"));
        assertEquals("4.0", written.get("model.clip"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void roundTripKeepsConfigurationParametersAndMetadata(ModelConfig config) throws IOException {
        Model model = Model.create(config, Initialization.uniform(), 42, KERNELS);
        Path file = folder.resolve("m.elman");
        ModelFile.save(file, model, Map.of("task", "adding", "vocab", "ab\ncd"));
        SavedModel loaded = ModelFile.load(file, KERNELS);
        assertEquals(config, loaded.model().config());
        assertEquals(Map.of("task", "adding", "vocab", "ab\ncd"), loaded.metadata());
        for (String name : model.parameters().names()) {
            assertArrayEquals(model.parameters().get(name).data(), loaded.model().parameters().get(name).data(), 0f,
                    name);
        }
    }

    @Test
    void everyFlippedBitIsRejected() throws IOException {
        Model model = Model.create(ModelConfig.builder().inputSize(1).hiddenSize(2).outputSize(1).build(),
                Initialization.uniform(), 1, KERNELS);
        Path file = folder.resolve("m.elman");
        ModelFile.save(file, model);
        byte[] original = Files.readAllBytes(file);
        Path damaged = folder.resolve("damaged.elman");
        for (int bit = 0; bit < original.length * 8; bit++) {
            byte[] bytes = original.clone();
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
            Files.write(damaged, bytes);
            assertThrows(MalformedFileException.class, () -> ModelFile.load(damaged, KERNELS), "bit " + bit);
        }
    }

    @Test
    void aFailedSaveKeepsThePreviousFile() throws IOException {
        Model model = Model.create(ModelConfig.builder().inputSize(2).hiddenSize(2).build(), Initialization.uniform(), 3,
                KERNELS);
        Path file = folder.resolve("m.elman");
        ModelFile.save(file, model);
        byte[] before = Files.readAllBytes(file);
        model.parameters().get("wh_l0").data()[1] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(file, model));
        assertTrue(e.getMessage().contains("wh_l0[1] = NaN"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void validArchivesThatAreNotValidModelsAreRejectedByName() throws IOException {
        Model model = Model.create(ModelConfig.builder().inputSize(2).hiddenSize(3).outputSize(1).build(),
                Initialization.uniform(), 5, KERNELS);
        Path file = folder.resolve("m.elman");
        ModelFile.save(file, model);
        ArchiveContents good = ElmanArchive.read(file);

        assertRejected(good, c -> c.config().put("format", "something-else"), "format", "expected 'elman-model'");
        assertRejected(good, c -> c.config().put("model.version", "2"), "model.version", "version 2");
        assertRejected(good, c -> c.config().remove("model.hiddenSize"), "model.hiddenSize", "missing");
        assertRejected(good, c -> c.config().put("model.layers", "two"), "model.layers", "expected an integer");
        assertRejected(good, c -> c.config().put("model.layers", "0"), "model.layers", "at least 1");
        assertRejected(good, c -> c.config().put("model.bias", "yes"), "model.bias", "true or false");
        assertRejected(good, c -> c.config().put("model.activation", "swish"), "model.activation",
                "unknown activation 'swish'");
        assertRejected(good, c -> c.config().put("model.activation", "elu(-1)"), "model.activation",
                "alpha must be at least 0");
        assertRejected(good, c -> c.config().put("model.direction", "sideways"), "model.direction",
                "unknown direction 'sideways'");
        assertRejected(good, c -> c.config().put("model.direction", "bidirectional"), "model.direction",
                "contradicts model.bidirectional = false");
        assertRejected(good, c -> c.config().put("model.reverseActivation", "relu"), "model.reverseActivation",
                "only a bidirectional model");
        assertRejected(good, c -> c.config().put("model.clip", "-1"), "model.clip", "expected a decimal number");
        assertRejected(good, c -> c.config().put("model.clip", "NaN"), "model.clip", "expected a decimal number");
        assertRejected(good, c -> c.config().put("model.clip", "1e39"), "model.clip", "positive and finite");
        assertRejected(good, c -> c.config().put("model.colour", "blue"), "model.colour", "unknown configuration key");
        assertRejected(good, c -> c.tensors().remove("wh_l0"), "wh_l0", "missing");
        assertRejected(good, c -> c.tensors().put("wh_l0", Tensor.zeros(3, 2)), "wh_l0", "expected [3, 3], got [3, 2]");
        assertRejected(good, c -> c.tensors().put("wx_l1", Tensor.zeros(3, 3)), "wx_l1", "not a parameter");
        assertRejected(good, c -> c.tensors().put("by", Tensor.of(new float[] {Float.POSITIVE_INFINITY}, 1)),
                "by", "Infinity");
    }

    /** The parts of an archive, mutable so a test can damage them. */
    private record Parts(Map<String, String> config, Map<String, Tensor> tensors) {
    }

    /**
     * A small file with a valid checksum claiming a huge configuration is refused at once, before
     * anything in proportion to the claim is allocated (it ran out of heap after 20 s).
     */
    @Test
    void aHugeConfigurationTheFileDoesNotHoldIsRefusedBeforeAllocating() throws IOException {
        Model model = Model.create(ModelConfig.builder().inputSize(1).hiddenSize(8).outputSize(1).build(),
                Initialization.uniform(), 5, KERNELS);
        Path file = folder.resolve("m.elman");
        ModelFile.save(file, model);
        ArchiveContents good = ElmanArchive.read(file);
        long start = System.nanoTime();
        assertRejected(good, c -> c.config().put("model.layers", "100000"), "model.layers = 100000",
                "needs 13,599,953 parameter values", "hold only 89", "refused before allocating");
        assertRejected(good, c -> c.config().put("model.hiddenSize", "30000"), "model.hiddenSize = 30000",
                "hold only 89");
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused at once, not after allocating");
        assertTrue(Files.size(file) < 2048, "the attack is a small file");
    }

    /** NaN in a well-formed file's weights is bad data, not damage: its own type, which the CLI reports as such. */
    @Test
    void aNonFiniteWeightIsANonFiniteValue() throws IOException {
        Model model = Model.create(ModelConfig.builder().inputSize(2).hiddenSize(3).build(), Initialization.uniform(), 5,
                KERNELS);
        Path file = folder.resolve("m.elman");
        ModelFile.save(file, model);
        ArchiveContents good = ElmanArchive.read(file);
        Map<String, Tensor> tensors = new HashMap<>(good.tensors());
        float[] wh = tensors.get("wh_l0").toFloatArray();
        wh[4] = Float.NaN;
        tensors.put("wh_l0", Tensor.of(wh, 3, 3));
        Path bad = folder.resolve("nan.elman");
        ElmanArchive.write(bad, new ArchiveContents(good.config(), tensors));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> ModelFile.load(bad, KERNELS));
        assertTrue(e instanceof dev.elman.engine.io.NonFiniteValueException, e.getClass().getName());
        assertTrue(e.getMessage().contains("wh_l0") && e.getMessage().contains("element 4 is NaN"), e.getMessage());
    }

    /**
     * A large model file is memory-mapped; the loaded model copies its parameters, so editing the
     * file in place afterwards (another process, behind the program's back) changes nothing in it.
     */
    @Test
    void aLoadedModelDoesNotChangeWhenItsFileIsEditedInPlace() throws IOException {
        Model model = Model.create(ModelConfig.builder().inputSize(2).hiddenSize(600).build(), Initialization.uniform(),
                5, KERNELS);
        Path file = folder.resolve("big.elman");
        ModelFile.save(file, model);
        assertTrue(Files.size(file) > (1 << 20), "large enough to be mapped");
        Model loaded = ModelFile.load(file, KERNELS).model();
        float[] before = loaded.parameters().get("wh_l0").data().clone();
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocate((int) Files.size(file) - 4096);
            channel.write(zeros, 4096);
        }
        assertArrayEquals(before, loaded.parameters().get("wh_l0").data());
    }

    private void assertRejected(ArchiveContents good, Consumer<Parts> damage, String... fragments)
            throws IOException {
        Parts parts = new Parts(new HashMap<>(good.config()), new HashMap<>(good.tensors()));
        damage.accept(parts);
        Path file = folder.resolve("bad.elman");
        ElmanArchive.write(file, new ArchiveContents(parts.config(), parts.tensors()));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> ModelFile.load(file, KERNELS));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' should name '" + fragment + "'");
        }
        assertTrue(e.getMessage().contains("bad.elman"), e.getMessage());
    }
}
