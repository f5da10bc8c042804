package dev.elman.engine.parallel;

import dev.elman.kernels.Team;

/**
 * A task that checks dispatch: every participant records the run number the caller set before
 * the run (plain fields, so only the team's happens-before edges make them visible) and counts
 * its own runs. After {@code r} runs, every participant must have counted exactly {@code r}.
 */
final class StampingTask implements Team.Task {
    final int[] seenRun;
    final int[] counts;
    int run;
    int wrongSize = -1;

    StampingTask(int participants) {
        seenRun = new int[participants];
        counts = new int[participants];
    }

    @Override
    public void run(int participant, int participants) {
        if (participants != counts.length) {
            wrongSize = participants;
        }
        seenRun[participant] = run;
        counts[participant]++;
    }

    /** Runs the task once more on {@code team} and checks every participant ran it once. */
    void runAndCheck(ThreadTeam team) {
        int expected = ++run;
        team.run(this);
        check(expected);
    }

    void check(int expected) {
        if (wrongSize >= 0) {
            throw new AssertionError("a participant was told " + wrongSize + " participants, not " + counts.length);
        }
        for (int p = 0; p < counts.length; p++) {
            if (seenRun[p] != expected || counts[p] != expected) {
                throw new AssertionError("after run " + expected + ", participant " + p + " saw run " + seenRun[p]
                        + " and ran " + counts[p] + " times");
            }
        }
    }
}
