package dev.elman.engine.model;

import dev.elman.engine.testing.RandomData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A random life of a {@link StreamGroup} — streams joining, leaving, being reset, snapshotted and
 * restored, and steps of random subsets in random order — drawn from one seed, optionally mirrored
 * by one {@link StreamingSession} per stream and checked against it, bit for bit, after every
 * operation. The draws never depend on computed values, so one seed gives the same schedule on any
 * model of the same shape (e.g. at another thread count).
 */
final class GroupSchedule {
    private final StreamGroup group;
    private final Random random;
    /** Null when the schedule runs without sessions. */
    private final Map<Integer, StreamingSession> sessions;
    private final List<StateSnapshot> snapshots = new ArrayList<>();
    /** Every step's outputs, then every member's states at the end. */
    private final List<float[]> transcript = new ArrayList<>();
    private final String name;
    private int stepsRun;
    private int maxListed;

    /** @param mirrored whether to check every operation against one session per stream */
    GroupSchedule(StreamGroup group, long seed, boolean mirrored) {
        this.group = group;
        this.random = new Random(seed);
        this.sessions = mirrored ? new HashMap<>() : null;
        this.name = group.model().config() + " capacity " + group.capacity();
    }

    /** Runs {@code operations} random operations; returns the transcript. */
    List<float[]> run(int operations) {
        int initial = 1 + random.nextInt(group.capacity());
        for (int i = 0; i < initial; i++) {
            join();
        }
        for (int op = 0; op < operations; op++) {
            int roll = random.nextInt(100);
            if (roll < 55) {
                step();
            } else if (roll < 70) {
                join();
            } else if (roll < 78) {
                leave();
            } else if (roll < 83) {
                reset();
            } else if (roll < 92) {
                snapshot();
            } else {
                restore();
            }
        }
        for (int s = 0; s < group.capacity(); s++) {
            if (group.isMember(s)) {
                for (int l = 0; l < group.model().config().layers(); l++) {
                    transcript.add(group.hidden(s, l));
                }
            }
        }
        return transcript;
    }

    /** @return the steps run */
    int stepsRun() {
        return stepsRun;
    }

    /** @return the most streams one step listed */
    int maxListed() {
        return maxListed;
    }

    private List<Integer> members() {
        List<Integer> members = new ArrayList<>();
        for (int s = 0; s < group.capacity(); s++) {
            if (group.isMember(s)) {
                members.add(s);
            }
        }
        return members;
    }

    private int anyMember() {
        List<Integer> members = members();
        return members.isEmpty() ? -1 : members.get(random.nextInt(members.size()));
    }

    private void join() {
        if (group.size() == group.capacity()) {
            return;
        }
        int size = group.size();
        int stream = group.join();
        assertTrue(group.isMember(stream), name + ": a joined stream is a member");
        assertEquals(size + 1, group.size(), name + ": size after join");
        assertEquals(0, group.steps(stream), name + ": a joined stream has taken no steps");
        if (sessions != null) {
            sessions.put(stream, group.model().newSession());
            compareStates(stream, "join");
        }
    }

    private void leave() {
        int stream = anyMember();
        if (stream < 0) {
            return;
        }
        group.leave(stream);
        assertFalse(group.isMember(stream), name + ": a stream that left is no member");
        if (sessions != null) {
            sessions.remove(stream);
        }
    }

    private void reset() {
        int stream = anyMember();
        if (stream < 0) {
            return;
        }
        group.reset(stream);
        assertEquals(0, group.steps(stream), name + ": steps after reset");
        if (sessions != null) {
            sessions.get(stream).reset();
            compareStates(stream, "reset");
        }
    }

    private void snapshot() {
        int stream = anyMember();
        if (stream < 0) {
            return;
        }
        // Now and then the session's snapshot: a snapshot moves between sessions and groups.
        boolean fromSession = sessions != null && random.nextInt(4) == 0;
        snapshots.add(fromSession ? sessions.get(stream).snapshot() : group.snapshot(stream));
    }

    private void restore() {
        int stream = anyMember();
        if (stream < 0 || snapshots.isEmpty()) {
            return;
        }
        StateSnapshot snapshot = snapshots.get(random.nextInt(snapshots.size()));
        group.restore(stream, snapshot);
        assertEquals(snapshot.steps(), group.steps(stream), name + ": steps after restore");
        assertArrayEquals(snapshot.values(), group.snapshot(stream).values(), name + ": state after restore");
        if (sessions != null) {
            sessions.get(stream).restore(snapshot);
            compareStates(stream, "restore");
        }
    }

    private void step() {
        List<Integer> members = members();
        Collections.shuffle(members, random);
        int count = members.isEmpty() ? 0 : random.nextInt(4) == 0 ? members.size() : 1 + random.nextInt(members.size());
        // The list may be longer than count: only its first count handles are stepped.
        int[] listed = new int[count + random.nextInt(3)];
        for (int i = 0; i < listed.length; i++) {
            listed[i] = i < count ? members.get(i) : -1;
        }
        ModelConfig config = group.model().config();
        int in = config.inputSize();
        int w = config.outputWidth();
        float[] inputs = RandomData.uniform(random, count * in, 1.0);
        float[] outputs = new float[count * w];
        group.step(listed, count, inputs, outputs);
        stepsRun++;
        maxListed = Math.max(maxListed, count);
        transcript.add(outputs);
        if (sessions == null) {
            return;
        }
        for (int i = 0; i < count; i++) {
            int stream = listed[i];
            StreamingSession session = sessions.get(stream);
            float[] expected = session.step(inputs, i * in);
            float[] actual = Arrays.copyOfRange(outputs, i * w, (i + 1) * w);
            String what = name + ": step " + stepsRun + ", streams[" + i + "] = " + stream + " of " + count;
            assertArrayEquals(expected, actual, what + ": output, bit for bit");
            assertEquals(session.steps(), group.steps(stream), what + ": steps");
            compareStates(stream, "step " + stepsRun);
        }
    }

    private void compareStates(int stream, String after) {
        StreamingSession session = sessions.get(stream);
        for (int l = 0; l < group.model().config().layers(); l++) {
            String what = name + ": after " + after + ", stream " + stream + ", layer " + l + " state";
            assertArrayEquals(session.hidden(l), group.hidden(stream, l), what + ", bit for bit");
        }
    }
}
