package dev.elman.flink;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The events an {@link ElmanOperator} holds between flushes, in arrival order, with their inputs
 * copied into one flat array, grouped by key so that a flush can step them in rounds: round
 * {@code r} holds the {@code r}-th pending event of every key that has one, so all the keys with
 * input step together and each key's events stay in their order.
 *
 * <p>Everything is allocated once for {@code capacity} events; {@link #clear()} keeps it.
 *
 * @param <K> the key type
 * @param <IN> the event type
 */
final class PendingEvents<K, IN> {
    private final int capacity;
    private final int inputSize;
    private final Object[] events;
    private final long[] timestamps;
    private final boolean[] hasTimestamp;
    private final float[] inputs;
    /** Each event's key, as an index into {@link #keys}. */
    private final int[] keyOf;
    /** The next pending event of the same key, or −1: each key's events as a chain in arrival order. */
    private final int[] nextOfKey;
    private final Object[] keys;
    private final int[] firstOfKey;
    private final int[] lastOfKey;
    private final int[] eventsOfKey;
    private final Map<Object, Integer> keyIndex;
    private int size;
    private int keyCount;
    private int longestChain;

    PendingEvents(int capacity, int inputSize) {
        this.capacity = capacity;
        this.inputSize = inputSize;
        this.events = new Object[capacity];
        this.timestamps = new long[capacity];
        this.hasTimestamp = new boolean[capacity];
        this.inputs = new float[capacity * inputSize];
        this.keyOf = new int[capacity];
        this.nextOfKey = new int[capacity];
        this.keys = new Object[capacity];
        this.firstOfKey = new int[capacity];
        this.lastOfKey = new int[capacity];
        this.eventsOfKey = new int[capacity];
        this.keyIndex = new HashMap<>(2 * capacity);
    }

    /**
     * Appends an event; its features are copied.
     *
     * @throws IllegalStateException when full (the operator flushes before)
     */
    void add(K key, IN event, float[] features, boolean timestamped, long timestamp) {
        if (size == capacity) {
            throw new IllegalStateException("pending events full (" + capacity + "): flush first");
        }
        int e = size++;
        events[e] = event;
        hasTimestamp[e] = timestamped;
        timestamps[e] = timestamp;
        System.arraycopy(features, 0, inputs, e * inputSize, inputSize);
        nextOfKey[e] = -1;
        Integer known = keyIndex.get(key);
        int k;
        if (known == null) {
            k = keyCount++;
            keyIndex.put(key, k);
            keys[k] = key;
            firstOfKey[k] = e;
            eventsOfKey[k] = 0;
        } else {
            k = known;
            nextOfKey[lastOfKey[k]] = e;
        }
        lastOfKey[k] = e;
        eventsOfKey[k]++;
        longestChain = Math.max(longestChain, eventsOfKey[k]);
        keyOf[e] = k;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean isFull() {
        return size == capacity;
    }

    /** @return the distinct keys pending, numbered 0 … keyCount − 1 in order of first arrival */
    int keyCount() {
        return keyCount;
    }

    @SuppressWarnings("unchecked")
    K key(int k) {
        return (K) keys[k];
    }

    /** @return the number of rounds a flush steps: the most events any one key has pending */
    int rounds() {
        return longestChain;
    }

    /** @return the first pending event of key {@code k} (the head of its round-0 chain) */
    int firstEventOf(int k) {
        return firstOfKey[k];
    }

    /** @return the event after {@code e} of the same key, or −1 */
    int nextEventOfKey(int e) {
        return nextOfKey[e];
    }

    /** @return the key index of event {@code e} */
    int keyOf(int e) {
        return keyOf[e];
    }

    @SuppressWarnings("unchecked")
    IN event(int e) {
        return (IN) events[e];
    }

    boolean hasTimestamp(int e) {
        return hasTimestamp[e];
    }

    long timestamp(int e) {
        return timestamps[e];
    }

    /** @return the flat inputs, event {@code e}'s at {@code e·inputSize} */
    float[] inputs() {
        return inputs;
    }

    /** Forgets every event (and drops the references to events and keys). */
    void clear() {
        Arrays.fill(events, 0, size, null);
        Arrays.fill(keys, 0, keyCount, null);
        keyIndex.clear();
        size = 0;
        keyCount = 0;
        longestChain = 0;
    }
}
