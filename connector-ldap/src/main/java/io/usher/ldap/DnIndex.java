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
 * table is an {@code int[]}, and the probe is the value's own bytes, compared ignoring ASCII case: no
 * decoding, no allocation, two cache misses instead of four, and three arrays instead of 300,000 objects for
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
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    private int[] hashes = new int[64];
    private String[] ids = new String[64];
    private int size;
    /** Open addressing, linear probing: entry index + 1, or 0 for empty. */
    private int[] table = new int[128];

    int size() {
        return size;
    }

    /** Maps a key (already lower case) to an id, replacing an earlier id for the same key. */
    void put(String key, String id) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int h = hash(k, 0, k.length);
        int slot = find(k, h);
        if (table[slot] != 0) {
            ids[table[slot] - 1] = id;
            return;
        }
        if (size == ids.length) {
            int n = size * 2;
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            hashes = Arrays.copyOf(hashes, n);
            ids = Arrays.copyOf(ids, n);
        }
        if (used + k.length > keys.length) {
            keys = Arrays.copyOf(keys, Math.max(keys.length * 2, used + k.length));
        }
        System.arraycopy(k, 0, keys, used, k.length);
        offsets[size] = used;
        lengths[size] = k.length;
        hashes[size] = h;
        ids[size] = id;
        used += k.length;
        size++;
        table[slot] = size;
        if (size * 2 > table.length) {
            rehash(table.length * 2);
        }
    }

    /** The id for a key given as a string (lower case), or null. */
    String get(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int slot = find(k, hash(k, 0, k.length));
        return table[slot] == 0 ? null : ids[table[slot] - 1];
    }

    /**
     * The id for a value's bytes compared ignoring ASCII case, null when there is none, or {@link #NON_ASCII}
     * when the value has bytes outside ASCII.
     */
    String get(byte[] value) {
        int h = 0;
        for (byte b : value) {
            if (b < 0) {
                return NON_ASCII;
            }
            h = 31 * h + lower(b);
        }
        h = mix(h);
        int mask = table.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int e = table[slot];
            if (e == 0) {
                return null;
            }
            e--;
            if (hashes[e] == h && lengths[e] == value.length && equalsIgnoringAsciiCase(value, offsets[e])) {
                return ids[e];
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
            int e = table[slot];
            if (e == 0) {
                return slot;
            }
            e--;
            if (hashes[e] == h && lengths[e] == k.length
                    && Arrays.equals(keys, offsets[e], offsets[e] + lengths[e], k, 0, k.length)) {
                return slot;
            }
        }
    }

    private void rehash(int capacity) {
        int[] t = new int[capacity];
        int mask = capacity - 1;
        for (int e = 0; e < size; e++) {
            int slot = hashes[e] & mask;
            while (t[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            t[slot] = e + 1;
        }
        table = t;
    }

    /**
     * The same hash for a stored key and for any probe that matches it: stored keys are lower case, probes are
     * lowered byte by byte (ASCII) while hashing. A non-ASCII stored key hashes its bytes as they are; probes
     * with non-ASCII bytes never come here.
     */
    private static int hash(byte[] k, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + lower(k[i]);
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
