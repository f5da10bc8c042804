package dev.elman.engine.model;

import java.util.Arrays;

/**
 * The membership of a {@link StreamGroup}: which of its {@code capacity} slots hold a stream, the
 * handing out and taking back of slots, and the check that a step's list names distinct members.
 *
 * <p>Free slots are kept on a stack, so joining and leaving take constant time whatever the
 * capacity; a new group hands out slots 0, 1, 2 … in order, and a slot given back is the next one
 * handed out. The distinctness check stamps each listed slot with the step's number instead of
 * clearing a set per step, so it allocates nothing and costs one array read and write per listed
 * stream.
 */
final class GroupSlots {
    private final boolean[] member;
    /** Free slots; the top is {@code free[freeCount − 1]}. */
    private final int[] free;
    private int freeCount;
    /** The check number that last listed each slot, and where in its list. */
    private final int[] listedIn;
    private final int[] listedAt;
    private int check;

    GroupSlots(int capacity) {
        this.member = new boolean[capacity];
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
        this.listedIn = new int[capacity];
        this.listedAt = new int[capacity];
    }

    int capacity() {
        return member.length;
    }

    int size() {
        return member.length - freeCount;
    }

    boolean isMember(int slot) {
        return slot >= 0 && slot < member.length && member[slot];
    }

    /**
     * @return a free slot, now a member
     * @throws IllegalStateException when every slot is taken
     */
    int take() {
        if (freeCount == 0) {
            throw new IllegalStateException("the group is full: all " + member.length + " streams of its capacity are"
                    + " members; a stream must leave before another can join");
        }
        int slot = free[--freeCount];
        member[slot] = true;
        return slot;
    }

    /** Gives a member's slot back; the caller has checked membership with {@link #requireMember}. */
    void give(int slot) {
        member[slot] = false;
        free[freeCount++] = slot;
    }

    /**
     * @param slot a stream handle
     * @param what names the argument in the message, e.g. {@code "stream"} or {@code "streams[3]"}
     * @throws IllegalArgumentException when it is not a member
     */
    void requireMember(int slot, String what) {
        if (!isMember(slot)) {
            throw new IllegalArgumentException(what + " = " + slot + " is not a member of this group"
                    + (slot >= 0 && slot < member.length ? " (it left, or never joined)"
                    : " (handles are 0 … " + (member.length - 1) + ", the group's capacity − 1)"));
        }
    }

    /**
     * Checks that the first {@code count} handles of a step's list are distinct members.
     *
     * @throws IllegalArgumentException naming the first handle that is not a member or is listed twice
     */
    void requireDistinctMembers(int[] streams, int count) {
        if (++check == Integer.MAX_VALUE) {
            // After 2³¹ checks the stamps would repeat: start the numbering again from a clean table.
            Arrays.fill(listedIn, 0);
            check = 1;
        }
        for (int i = 0; i < count; i++) {
            int slot = streams[i];
            if (!isMember(slot)) {
                requireMember(slot, "streams[" + i + "]");
            }
            if (listedIn[slot] == check) {
                throw new IllegalArgumentException("streams[" + i + "] = " + slot + " is listed twice (also at streams["
                        + listedAt[slot] + "]): a step steps each stream once");
            }
            listedIn[slot] = check;
            listedAt[slot] = i;
        }
    }
}
