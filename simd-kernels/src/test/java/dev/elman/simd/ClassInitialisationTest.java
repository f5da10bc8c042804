package dev.elman.simd;

import dev.elman.kernels.RecurrentKernels;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Two threads that first touch {@link Gemm} and {@link TilePlan} at the same moment both finish:
 * a class whose static initialiser reads the other's while the other's reads it back deadlocks
 * two threads that start them at once (each holds one class's initialisation and waits for the
 * other's), as {@code Gemm.ROW_PANEL} and {@code TilePlan.MACHINE} once did. A server's first two
 * kernel calls can race so. Each attempt loads fresh copies of the classes in a loader of its own,
 * so every attempt initialises them again.
 */
class ClassInitialisationTest {
    private static final int ATTEMPTS = 40;
    private static final long PATIENCE_MILLIS = 10_000;

    @Test
    void gemmAndTilePlanInitialiseAtOnceFromTwoThreads() throws Exception {
        URL[] classes = {location(Gemm.class), location(RecurrentKernels.class)};
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (URLClassLoader loader = new URLClassLoader(classes, ClassLoader.getPlatformClassLoader())) {
                CyclicBarrier start = new CyclicBarrier(2);
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread[] threads = {
                    initialiser(Gemm.class.getName(), loader, start, failure),
                    initialiser(TilePlan.class.getName(), loader, start, failure),
                };
                for (Thread thread : threads) {
                    thread.start();
                }
                for (Thread thread : threads) {
                    thread.join(PATIENCE_MILLIS);
                    assertFalse(thread.isAlive(), "attempt " + attempt + ": " + thread.getName() + " still waiting after "
                            + PATIENCE_MILLIS + " ms: the two initialisers wait for each other");
                }
                assertNull(failure.get(), "attempt " + attempt);
            }
        }
    }

    private static Thread initialiser(String name, ClassLoader loader, CyclicBarrier start,
                                      AtomicReference<Throwable> failure) {
        Thread thread = new Thread(() -> {
            try {
                start.await();
                Class.forName(name, true, loader);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "initialising " + name);
        thread.setDaemon(true);
        return thread;
    }

    private static URL location(Class<?> type) throws URISyntaxException {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}
