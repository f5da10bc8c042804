package dev.elman.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library is publishable on the module path, as its consumers see it (this module is one):
 * every module {@code dev.elman.engine} needs, directly or not, is either an explicit module or an
 * automatic one whose name its jar declares ({@code Automatic-Module-Name}), never one named after
 * its file, which a renamed jar breaks and for which Maven warns every consumer "Please don't
 * publish this project to a public artifact repository". (Commons Math 3.6.1 was such a jar.)
 */
class LibraryModulesTest {
    @Test
    void everyModuleTheEngineNeedsHasADeclaredName() throws IOException {
        Module cli = Main.class.getModule();
        assertTrue(cli.isNamed(), "the cli's tests run on the module path");
        Optional<ResolvedModule> engine = cli.getLayer().configuration().findModule("dev.elman.engine");
        assertTrue(engine.isPresent(), "dev.elman.engine is resolved");

        List<String> undeclared = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<ResolvedModule> next = new ArrayDeque<>(List.of(engine.get()));
        while (!next.isEmpty()) {
            ResolvedModule module = next.pop();
            if (!seen.add(module.name())) {
                continue;
            }
            ModuleDescriptor descriptor = module.reference().descriptor();
            if (descriptor.isAutomatic() && !declaresItsName(module)) {
                undeclared.add(module.name() + " (" + module.reference().location().map(URI::toString).orElse("?")
                        + ")");
            }
            // Declared requires only: an automatic module reads every module of the layer.
            for (ModuleDescriptor.Requires requires : descriptor.requires()) {
                if (!requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
                    module.configuration().findModule(requires.name()).ifPresent(next::push);
                }
            }
        }
        assertTrue(seen.contains("org.apache.commons.math4.legacy"), "the walk reached the engine's math library: "
                + seen);
        assertEquals(List.of(), undeclared, "automatic modules named after their jar file, needed by the library");
    }

    /**
     * The same for the whole module graph of this consumer, which includes what the library's
     * automatic modules need in turn (Commons Numbers, RNG and Statistics under Commons Math 4).
     */
    @Test
    void everyAutomaticModuleOfTheConsumersGraphHasADeclaredName() throws IOException {
        List<String> undeclared = new ArrayList<>();
        for (ResolvedModule module : Main.class.getModule().getLayer().configuration().modules()) {
            if (module.reference().descriptor().isAutomatic() && !declaresItsName(module)) {
                undeclared.add(module.name() + " (" + module.reference().location().map(URI::toString).orElse("?")
                        + ")");
            }
        }
        assertEquals(List.of(), undeclared, "automatic modules named after their jar file");
    }

    private static boolean declaresItsName(ResolvedModule module) throws IOException {
        Optional<URI> location = module.reference().location();
        if (location.isEmpty() || !"file".equals(location.get().getScheme())) {
            return false;
        }
        Path path = Path.of(location.get());
        if (!path.toString().endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            var manifest = jar.getManifest();
            String declared = manifest == null ? null : manifest.getMainAttributes().getValue("Automatic-Module-Name");
            return module.name().equals(declared);
        }
    }
}
