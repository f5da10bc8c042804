package dev.elman.engine.model;

import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Team;
import dev.elman.kernels.WeightPrecision;

import java.util.Arrays;

/**
 * A model's kernels, the published version of its packed weights and the team its passes share
 * their work with, resolved once so that passes never call back into the {@link Model}.
 *
 * <h2>Publication</h2>
 * {@link Model#loadParameters()} packs new parameter values into a spare {@link WeightVersion}
 * (one that is neither published nor read by any pass) and then publishes it with one volatile
 * write. A pass {@linkplain #acquire() acquires} the published version at its start and computes
 * with it to its end, so it sees the weights of exactly one load, every layer and the head alike,
 * however often the model is loaded meanwhile (serving while training). Loading costs what it
 * always did, one repack of the values into the kernels' holders; what publication adds is memory,
 * a second set of holders (a third and more only while passes hold older versions), and two
 * uncontended atomic additions per pass.
 *
 * <p>The team is the other thing that changes ({@link Model#setThreads}, {@link Model#close}):
 * runners and sessions read it at the start of every pass and remake their workspace when it is
 * not the one their workspace was made with, so none keeps using a team the model has closed.
 */
final class StackWeights {
    private final RecurrentKernels kernels;
    private final ModelConfig config;
    private final WeightPrecision precision;
    /** The version passes start with; null only until the model's first load. */
    private volatile WeightVersion published;
    /** Every version made; the publisher's alone (it runs under the model's lock). */
    private WeightVersion[] versions = new WeightVersion[0];
    private long lastNumber;
    /** Written by the model's owner between passes; volatile so that runners on other threads see it. */
    private volatile Team team = Team.SOLO;

    StackWeights(RecurrentKernels kernels, ModelConfig config, WeightPrecision precision) {
        this.kernels = kernels;
        this.config = config;
        this.precision = precision;
    }

    /** @return how the recurrent holders store their weights */
    WeightPrecision precision() {
        return precision;
    }

    RecurrentKernels kernels() {
        return kernels;
    }

    /**
     * The published version, held until {@link #release}: its holders do not change until then.
     * Pair every call with a release in a {@code finally}.
     */
    WeightVersion acquire() {
        while (true) {
            WeightVersion version = published;
            version.enter();
            // Counted in before checking: a publisher looking for a spare now sees the count and
            // leaves this version alone, and one that took it as its spare earlier does not publish
            // it again until it is fully loaded. So a version still published after counting in is
            // whole and stays so until released; otherwise retry with the newer one.
            if (version == published) {
                return version;
            }
            version.leave();
        }
    }

    /** Ends a pass's hold on a version from {@link #acquire}. */
    void release(WeightVersion version) {
        version.leave();
    }

    /** @return the published version, for reading its holders between passes (not held) */
    WeightVersion published() {
        return published;
    }

    /**
     * A version no pass reads and that is not published, to be loaded and then {@link #publish}ed;
     * made (once) when every existing one is in use. Only the model's publisher calls this.
     */
    WeightVersion spare() {
        WeightVersion current = published;
        for (WeightVersion v : versions) {
            if (v != current && v.idle()) {
                return v;
            }
        }
        WeightVersion made = newVersion();
        versions = Arrays.copyOf(versions, versions.length + 1);
        versions[versions.length - 1] = made;
        return made;
    }

    /** Makes a loaded spare the version later passes start with; returns its number. */
    long publish(WeightVersion version) {
        version.number(++lastNumber);
        published = version;
        return lastNumber;
    }

    private WeightVersion newVersion() {
        int directions = config.directions();
        RecurrentWeights[] recurrent = new RecurrentWeights[config.layers() * directions];
        for (int l = 0; l < config.layers(); l++) {
            for (int d = 0; d < directions; d++) {
                recurrent[l * directions + d] = kernels.newRecurrentWeights(config.layerInputSize(l),
                        config.hiddenSize(), config.directionActivation(d), config.clip(), config.bias(), precision);
            }
        }
        HeadWeights head = config.hasHead()
                ? kernels.newHeadWeights(config.featureSize(), config.outputSize(), config.headBias()) : null;
        return new WeightVersion(recurrent, head);
    }

    /** @return the team passes use now: {@link Team#SOLO} or the model's open {@code ThreadTeam} */
    Team team() {
        return team;
    }

    /** Makes {@code team} the one later passes use; the caller closes the previous one afterwards. */
    void team(Team team) {
        this.team = team;
    }
}
