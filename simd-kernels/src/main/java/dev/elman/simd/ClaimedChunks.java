package dev.elman.simd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The rows of a shared forward pass's input projections, handed out in chunks to whichever
 * participant asks first. Fixed equal shares make every participant wait for the slowest, and on
 * a shared machine one core runs a tenth slower than the other for seconds at a time (measured
 * here: the team's worker projected its fixed half of the rows 10–14 % slower than the caller,
 * pass after pass, and the caller waited for it at the barrier after every block). With claimed
 * chunks the faster core takes more of them.
 *
 * <p>Who computes a chunk never changes its floats: every element is one chain in the order of
 * {@link RegisterTiles} whatever rows surround it, so the result is still the one-thread result
 * bit for bit.
 *
 * <p>Each counter lives on a cache line of its own. The caller resets them before handing a pass
 * to the team (the hand-off publishes it); inside a pass a counter may be reset only while nobody
 * can claim from it, and a barrier must publish the reset before anybody does (see
 * {@link SplitPass}).
 */
final class ClaimedChunks {
    /** The counters of a forward pass's blocks of steps, used in turn. */
    static final int FORWARD_EVEN = 0;
    static final int FORWARD_ODD = 1;
    private static final int COUNTERS = 2;
    /** Chunks a participant gets on average: enough to even out a core a tenth slower. */
    private static final int CHUNKS_PER_PARTICIPANT = 4;

    private static final int PAD = 16;
    private static final VarHandle NEXT = MethodHandles.arrayElementVarHandle(int[].class);

    private final int[] next = new int[COUNTERS * PAD];

    /** Sets every counter back to its first chunk: the caller's, before a pass is handed to the team. */
    void resetAll() {
        for (int c = 0; c < COUNTERS; c++) {
            reset(c);
        }
    }

    /** Sets one counter back to its first chunk. */
    void reset(int counter) {
        NEXT.setVolatile(next, counter * PAD, 0);
    }

    /**
     * Claims the next chunk of a counter's items.
     *
     * @param counter which counter
     * @param chunk the items of a chunk
     * @param count the items in all
     * @return the first item of the claimed chunk, or {@code count} when every chunk is taken
     */
    int claim(int counter, int chunk, int count) {
        long first = (long) (int) NEXT.getAndAdd(next, counter * PAD, 1) * chunk;
        return first < count ? (int) first : count;
    }

    /**
     * Whether {@code count} items are worth claiming in chunks of at least {@code least}: only if
     * every participant gets about {@value #CHUNKS_PER_PARTICIPANT} of them. Fewer items (the rows
     * of a stream group's step) go in fixed shares: a chunk of at least {@code least} would leave
     * the other participants nothing to do (measured: one step of B = 16, H = 256 on two threads,
     * 26.7 µs with fixed halves, 32.0 with one chunk for the caller).
     */
    static boolean worthClaiming(int count, int participants, int least) {
        return count >= CHUNKS_PER_PARTICIPANT * participants * least;
    }

    /**
     * The chunk size for {@code count} items shared by {@code participants}: about
     * {@value #CHUNKS_PER_PARTICIPANT} chunks each, a multiple of {@code multiple} (a register
     * tile's rows), and at least {@code least}.
     */
    static int chunkOf(int count, int participants, int multiple, int least) {
        int wanted = Math.max(least, (count + CHUNKS_PER_PARTICIPANT * participants - 1)
                / (CHUNKS_PER_PARTICIPANT * participants));
        return (wanted + multiple - 1) / multiple * multiple;
    }
}
