package dev.elman.flink;

import dev.elman.engine.model.Model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ModelSource#file}: a plain path and a file URI load the same model; bad locations are named. */
class ModelSourceTest {
    @TempDir
    Path directory;

    @Test
    void loadsAModelFileByPathAndByUri() throws Exception {
        Path file = TestModels.write(directory, 5);
        try (Model expected = TestModels.load(file, TestModels.Kernels.SELECTED);
                Model byPath = ModelSource.file(file.toString()).load();
                Model byUri = ModelSource.file(file.toUri().toString()).load()) {
            for (Model loaded : new Model[] {byPath, byUri}) {
                assertEquals(expected.config(), loaded.config());
                for (String name : expected.parameters().names()) {
                    assertArrayEquals(expected.parameters().get(name).data(), loaded.parameters().get(name).data(), name);
                }
            }
        }
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = directory.resolve("no-such-model.elman");
        Exception e = assertThrows(Exception.class, () -> ModelSource.file(missing.toString()).load());
        assertTrue(e.getMessage().contains("no-such-model.elman"), e.getMessage());
    }

    @Test
    void aBlankLocationIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSource.file(" "));
        assertEquals("model file URI must not be null or blank", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelSource.file(null));
    }
}
