package dev.elman.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The committed test resources: the torch-exported cases (made by src/test/python/make_torch_fixtures.py). */
final class Fixtures {
    private Fixtures() {
    }

    static Path torch() {
        try {
            return Path.of(Fixtures.class.getResource("/torch").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> torchCases() {
        try (Stream<Path> s = Files.list(torch())) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GraphTensor tensor(Path file) throws IOException {
        return TensorCodec.decode(OnnxFiles.readTensor(file), null, file.toString(), new TensorCodec.Budget());
    }
}
