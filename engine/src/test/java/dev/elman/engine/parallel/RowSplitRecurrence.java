package dev.elman.engine.parallel;

import java.util.Random;

/**
 * A small recurrence {@code h ← tanh(W·h)} computed serially or with its rows split over a team,
 * one barrier per step: each row's arithmetic is the same whoever computes it, so the results
 * must be equal bit for bit.
 */
final class RowSplitRecurrence {
    private final int size;
    private final float[] weights;
    private final float[] start;

    RowSplitRecurrence(Random random, int size) {
        this.size = size;
        weights = new float[size * size];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) ((random.nextDouble() * 2 - 1) * 1.5 / Math.sqrt(size));
        }
        start = new float[size];
        for (int i = 0; i < size; i++) {
            start[i] = (float) (random.nextDouble() * 2 - 1);
        }
    }

    float[] serial(int steps) {
        float[][] h = {start.clone(), new float[size]};
        for (int step = 0; step < steps; step++) {
            rows(h[step & 1], h[(step + 1) & 1], 0, size);
        }
        return h[steps & 1];
    }

    float[] parallel(ThreadTeam team, int steps) {
        float[][] h = {start.clone(), new float[size]};
        TeamBarrier barrier = team.barrier();
        team.run((p, n) -> {
            int from = p * size / n;
            int to = (p + 1) * size / n;
            for (int step = 0; step < steps; step++) {
                // Double buffering: a participant past this step's barrier writes the buffer the
                // others have finished reading, since they too have passed the barrier.
                rows(h[step & 1], h[(step + 1) & 1], from, to);
                barrier.await();
            }
        });
        return h[steps & 1];
    }

    private void rows(float[] h, float[] next, int from, int to) {
        for (int i = from; i < to; i++) {
            float sum = 0;
            for (int j = 0; j < size; j++) {
                sum += weights[i * size + j] * h[j];
            }
            next[i] = (float) Math.tanh(sum);
        }
    }
}
