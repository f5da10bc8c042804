/**
 * Elman inside Apache Flink: {@link dev.elman.flink.ElmanInference} steps a keyed stream's keys
 * through an Elman model, each key's hidden state in Flink's keyed state, the keys with input
 * batched into one stream-group step.
 *
 * <p>Flink's jars are not JPMS modules, so this module runs on the class path (as Flink runs user
 * code); its jar names itself {@code dev.elman.flink} ({@code Automatic-Module-Name}).
 */
package dev.elman.flink;
