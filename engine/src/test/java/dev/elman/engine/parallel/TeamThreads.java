package dev.elman.engine.parallel;

import java.util.List;

/** The live threads of a team, found by their names, for tests that look at the workers. */
final class TeamThreads {
    private TeamThreads() {
    }

    static List<Thread> of(ThreadTeam team) {
        String prefix = team.name() + "-";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(prefix))
                .toList();
    }
}
