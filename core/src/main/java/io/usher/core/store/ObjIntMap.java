package io.usher.core.store;

import java.util.Objects;

/**
 * Object → non-negative int, for {@link InMemoryUserStore}'s per-user indexes (name → number, origin →
 * number). Open addressing with linear probing; each slot's hash sits in an {@code int[]} beside the keys, so
 * a probe passing other keys compares numbers and loads no other key. No node objects: a store of 100,000
 * users keeps three arrays here instead of 100,000 map nodes per index for the collector to copy and trace.
 * Removal shifts the rest of a run back (no tombstones). Not thread-safe (the store's lock guards it).
 */
final class ObjIntMap<K> {
    private Object[] keys = new Object[16];
    /** The spread hash of the key in each slot (never 0), or 0 for an empty slot. */
    private int[] hashes = new int[16];
    private int[] values = new int[16];
    private int size;

    int size() {
        return size;
    }

    private static int spread(Object key) {
        int h = key.hashCode() * 0x9E3779B9;
        h ^= h >>> 16;
        return h == 0 ? 1 : h;
    }

    private int slot(Object key, int h) {
        int mask = hashes.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int s = hashes[i];
            if (s == 0) {
                return i;
            }
            if (s == h) {
                Object k = keys[i];
                if (k == key || k.equals(key)) {
                    return i;
                }
            }
        }
    }

    /** The value of the key, or -1. */
    int get(Object key) {
        if (key == null) {
            return -1;
        }
        int i = slot(key, spread(key));
        return hashes[i] == 0 ? -1 : values[i];
    }

    /** Maps the key to the value (at least 0), replacing an earlier one. */
    void put(K key, int value) {
        Objects.requireNonNull(key, "key");
        if (value < 0) {
            throw new IllegalArgumentException("value must not be negative");
        }
        int h = spread(key);
        int i = slot(key, h);
        if (hashes[i] == 0) {
            hashes[i] = h;
            keys[i] = key;
            size++;
        }
        values[i] = value;
        if (size * 3 > hashes.length * 2) { // load factor at most 2/3
            resize(hashes.length * 2);
        }
    }

    /** Removes the key if present. */
    void remove(Object key) {
        if (key == null) {
            return;
        }
        int mask = hashes.length - 1;
        int i = slot(key, spread(key));
        if (hashes[i] == 0) {
            return;
        }
        size--;
        // shift later members of the run back into the gap, so every key stays reachable from its home slot
        int gap = i;
        for (int j = (i + 1) & mask; hashes[j] != 0; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            boolean movable = gap <= j ? home <= gap || home > j : home <= gap && home > j;
            if (movable) {
                hashes[gap] = hashes[j];
                keys[gap] = keys[j];
                values[gap] = values[j];
                gap = j;
            }
        }
        hashes[gap] = 0;
        keys[gap] = null;
        values[gap] = 0;
    }

    private void resize(int capacity) {
        Object[] oldKeys = keys;
        int[] oldHashes = hashes;
        int[] oldValues = values;
        keys = new Object[capacity];
        hashes = new int[capacity];
        values = new int[capacity];
        int mask = capacity - 1;
        for (int j = 0; j < oldHashes.length; j++) {
            int h = oldHashes[j];
            if (h != 0) {
                int i = h & mask;
                while (hashes[i] != 0) {
                    i = (i + 1) & mask;
                }
                hashes[i] = h;
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }
}
