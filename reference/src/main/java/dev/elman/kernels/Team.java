package dev.elman.kernels;

/**
 * The threads a pass may share its work with: {@link #threads()} participants that each run a
 * {@link Task} once per {@link #tryRun}, and a barrier between them.
 *
 * <p>The kernels split a pass into fixed blocks whose arithmetic does not depend on which
 * participant computes them, so every team gives the result of {@link #SOLO} bit for bit. A
 * workspace {@linkplain RecurrentKernels#newWorkspace(int, int, int, int, Team) made with} a team
 * uses it in every pass; when the team is busy with another caller, the pass runs on the calling
 * thread alone, with the same result. The engine's {@code ThreadTeam} is the implementation with
 * threads.
 */
public interface Team {

    /** The calling thread alone: {@link #tryRun} runs the task on it, {@link #await} returns at once. */
    Team SOLO = new Team() {
        @Override
        public int threads() {
            return 1;
        }

        @Override
        public boolean tryRun(Task task) {
            task.run(0, 1);
            return true;
        }

        @Override
        public void await() {
        }

        @Override
        public String toString() {
            return "Team.SOLO";
        }
    };

    /**
     * One share of a task.
     */
    @FunctionalInterface
    interface Task {
        /**
         * Runs the share of one participant.
         *
         * @param participant this participant, {@code 0 … participants − 1}; 0 is the caller
         * @param participants how many run the task
         */
        void run(int participant, int participants);
    }

    /** @return the number of participants, the calling thread included; at least 1 */
    int threads();

    /**
     * Runs {@code task} once on every participant, participant 0 on the calling thread, and returns
     * when all have finished; or returns {@code false} at once, without running anything, when the
     * team is busy with another caller. Everything the caller wrote before is visible to every
     * participant, and everything the participants wrote is visible to the caller after it returns.
     *
     * @param task the task
     * @return whether the task ran
     * @throws RuntimeException the failure of a participant
     */
    boolean tryRun(Task task);

    /**
     * Waits until every participant of the running task has called it: what each wrote before is
     * visible to all after. Only participants of a running task may call it, each the same number
     * of times.
     */
    void await();
}
