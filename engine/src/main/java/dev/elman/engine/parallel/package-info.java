/**
 * One model on many cores: the engine's thread team and the policy that sizes it.
 *
 * <ul>
 *   <li>{@link dev.elman.engine.parallel.ThreadTeam} — a fixed team of threads, started once, that
 *       runs a {@link dev.elman.kernels.Team.Task} on every participant; workers spin briefly
 *       and then park, a run allocates nothing, failures reach the caller.</li>
 *   <li>{@link dev.elman.engine.parallel.TeamBarrier} — the spinning, breakable step barrier of a
 *       row split.</li>
 *   <li>{@link dev.elman.engine.parallel.Parallelism} — how many threads by default
 *       ({@code -Delman.threads=N}, else one) and the validation of every threads setting.</li>
 * </ul>
 */
package dev.elman.engine.parallel;
