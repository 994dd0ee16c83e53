package io.usher.ldap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lower-case DN → id, for resolving a snapshot's member values, looked up straight from the value's bytes.
 *
 * <p>Why not a {@code HashMap<String, String>}: a full sync resolves every member value of every group
 * (500,000 at 100,000 users) against every DN read. As strings, each lookup first decodes the value into a
 * new string, hashes it, and then chases a node, the stored key and its bytes through a map of 100,000
 * entries; that was a fifth of a full sync's time. Here the keys sit back to back in one byte array, the
 * table is a {@code long[]} holding each entry's hash beside its index, and the probe is the value's own bytes, compared ignoring ASCII case: no
 * decoding, no allocation, fewer cache misses, and three arrays instead of 300,000 objects for
 * the collector to copy.
 *
 * <p>Keys are stored as given (the caller lower-cases them); a probe matches a key when their bytes are
 * equal once ASCII upper-case letters in the probe are lowered. A probe with any non-ASCII byte is not
 * looked up ({@link #NON_ASCII}): the caller decodes and lower-cases it as a string ({@link #get(String)}).
 * Not thread-safe.
 */
final class DnIndex {
    /** Returned by {@link #get(byte[])} for a probe with non-ASCII bytes, which bytes alone cannot lower-case. */
    static final String NON_ASCII = new String("non-ascii"); // compared by identity

    private byte[] keys = new byte[1 << 12];
    private int used;
    /** Per entry, side by side (one cache line for all three): offset in {@link #keys}, length, hash. */
    private int[] meta = new int[3 * 64];
    private String[] ids = new String[64];
    private int size;
    /**
     * Open addressing, linear probing: {@code hash << 32 | (entry index + 1)}, or 0 for empty; a probe rejects
     * most other keys by the hash in the slot without touching their entries.
     */
    private long[] table = new long[128];

    int size() {
        return size;
    }

    /** Maps a key (already lower case) to an id, replacing an earlier id for the same key. */
    void put(String key, String id) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int h = hash(k, 0, k.length);
        int slot = find(k, h);
        if (table[slot] != 0) {
            ids[entry(table[slot])] = id;
            return;
        }
        if (size == ids.length) {
            meta = Arrays.copyOf(meta, 3 * size * 2);
            ids = Arrays.copyOf(ids, size * 2);
        }
        if (used + k.length > keys.length) {
            keys = Arrays.copyOf(keys, Math.max(keys.length * 2, used + k.length));
        }
        System.arraycopy(k, 0, keys, used, k.length);
        meta[3 * size] = used;
        meta[3 * size + 1] = k.length;
        meta[3 * size + 2] = h;
        ids[size] = id;
        used += k.length;
        size++;
        table[slot] = slotValue(h, size - 1);
        if (size * 2 > table.length) {
            rehash(table.length * 2);
        }
    }

    private static long slotValue(int hash, int entry) {
        return (long) hash << 32 | (entry + 1L);
    }

    private static int entry(long slotValue) {
        return (int) slotValue - 1;
    }

    private static int hashOf(long slotValue) {
        return (int) (slotValue >>> 32);
    }

    /** The id for a key given as a string (lower case), or null. */
    String get(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int slot = find(k, hash(k, 0, k.length));
        return table[slot] == 0 ? null : ids[entry(table[slot])];
    }

    /**
     * The id for a value's bytes compared ignoring ASCII case, null when there is none, or {@link #NON_ASCII}
     * when there is none and the value has bytes outside ASCII (which bytes alone cannot lower-case: the
     * caller decodes it). A value whose bytes equal a key once its ASCII letters are lowered is that key's DN
     * whatever else it holds: the key is lower case, so the value lower-cases to it.
     */
    String get(byte[] value) {
        int h = 0;
        int all = 0;
        for (byte b : value) { // branch-free: the hash folds case with | 0x20 (see hash)
            all |= b;
            h = 31 * h + (b | 0x20);
        }
        h = mix(h);
        int mask = table.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            long t = table[slot];
            if (t == 0) {
                return all < 0 ? NON_ASCII : null;
            }
            if (hashOf(t) != h) {
                continue;
            }
            int e = entry(t);
            int off = meta[3 * e];
            if (meta[3 * e + 1] == value.length && (Arrays.equals(keys, off, off + value.length, value, 0,
                    value.length) || equalsIgnoringAsciiCase(value, off))) {
                return ids[e]; // as the server printed it (compared in vectorised blocks), else ignoring case
            }
        }
    }

    private boolean equalsIgnoringAsciiCase(byte[] value, int offset) {
        for (int i = 0; i < value.length; i++) {
            if (lower(value[i]) != keys[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** The slot holding this key, or the empty slot where it would go. Keys are compared exactly. */
    private int find(byte[] k, int h) {
        int mask = table.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            long t = table[slot];
            if (t == 0) {
                return slot;
            }
            int e = entry(t);
            if (hashOf(t) == h && meta[3 * e + 1] == k.length
                    && Arrays.equals(keys, meta[3 * e], meta[3 * e] + k.length, k, 0, k.length)) {
                return slot;
            }
        }
    }

    private void rehash(int capacity) {
        long[] t = new long[capacity];
        int mask = capacity - 1;
        for (int e = 0; e < size; e++) {
            int h = meta[3 * e + 2];
            int slot = h & mask;
            while (t[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            t[slot] = slotValue(h, e);
        }
        table = t;
    }

    /**
     * The same hash for a stored key and for any probe that matches it ignoring ASCII case: every byte counts
     * with bit 0x20 set, which is what an ASCII letter and its lower case have in common (lower(b) | 0x20 ==
     * b | 0x20 for every byte), so no branch per byte. It also folds a few non-letters together ('@' with
     * '`', '[' with '{'): more candidates share a hash, and the comparison tells them apart.
     */
    private static int hash(byte[] k, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + (k[i] | 0x20);
        }
        return mix(h);
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }
}
