package io.usher.core;

import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * External id → store key (the key may be null: "seen, no key"), for a run's record of the source's users.
 *
 * <p>Why not a {@code HashMap}: a full sync looks up every member id of every group here (500,000 lookups
 * at 100,000 users, a fifth of the engine's thread in a profile), each a walk from the table to a node to
 * its value through memory the processor no longer has cached. Here key and value sit side by side in one
 * array (open addressing, linear probing), so a lookup touches the id's own hash and one slot; the ids a
 * connector hands back as members are usually the very strings it sent as users, so most probes match by
 * identity. No node objects: 100,000 fewer for the collector to copy.
 *
 * <p>Each slot's hash is kept in an {@code int[]} beside the table, so a probe passing other ids compares
 * numbers in one cache line instead of loading each passed id's string. {@link #getAll} looks many ids up
 * stage by stage, so that their cache misses overlap.
 *
 * <p>Only what {@link SyncRun} uses: put, get, getAll, containsKey, the values, clear. No removal. Not
 * thread-safe.
 */
final class ExternalIdMap {
    /** Key at {@code 2i}, value at {@code 2i + 1}; a null key marks an empty slot. */
    private Object[] table = new Object[2 * 64];
    /** The spread hash of the key in slot {@code i} (never 0), or 0 for an empty slot. */
    private int[] hashes = new int[64];
    private int size;

    int size() {
        return size;
    }

    private static int spread(Object key) {
        int h = key.hashCode() * 0x9E3779B9;
        h ^= h >>> 16;
        return h == 0 ? 1 : h; // 0 marks an empty slot
    }

    private int find(String key) {
        return find(key, spread(key));
    }

    private int find(String key, int h) {
        int mask = hashes.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Object k = table[2 * i];
            if (k == null || k == key || hashes[i] == h && k.equals(key)) {
                return i;
            }
        }
    }

    /** Maps the id to the key (null allowed), replacing an earlier key. */
    void put(String externalId, String key) {
        Objects.requireNonNull(externalId, "externalId");
        int h = spread(externalId);
        int i = find(externalId, h);
        if (table[2 * i] == null) {
            table[2 * i] = externalId;
            hashes[i] = h;
            size++;
            table[2 * i + 1] = key;
            if (size * 3 > table.length) { // load factor at most 2/3 (table.length is twice the slots)
                rehash(table.length * 2);
            }
        } else {
            table[2 * i + 1] = key;
        }
    }

    /** The key, or {@code absent} when the id was never put (a put null key is returned as null). */
    String getOrDefault(String externalId, String absent) {
        if (externalId == null) {
            return absent;
        }
        int i = find(externalId);
        return table[2 * i] == null ? absent : (String) table[2 * i + 1];
    }

    String get(String externalId) {
        return getOrDefault(externalId, null);
    }

    private static final int BATCH = 32;
    private final int[] batchHash = new int[BATCH];
    private final int[] batchSlot = new int[BATCH];

    /**
     * {@link #getOrDefault} for {@code ids[0..n)} into {@code out}. Stage by stage — every id's hash (its
     * string), then every id's slot run, then every slot's key and value — so each stage's loads are
     * independent and their misses overlap; a slot whose key is not the very same string is settled the plain
     * way.
     */
    void getAll(String[] ids, int n, String[] out, String absent) {
        for (int from = 0; from < n; from += BATCH) {
            int k = Math.min(BATCH, n - from);
            for (int j = 0; j < k; j++) {
                batchHash[j] = spread(ids[from + j]);
            }
            int mask = hashes.length - 1;
            for (int j = 0; j < k; j++) {
                int h = batchHash[j];
                int i = h & mask;
                while (hashes[i] != 0 && hashes[i] != h) { // one int array: a run is mostly one line
                    i = (i + 1) & mask;
                }
                batchSlot[j] = i;
            }
            for (int j = 0; j < k; j++) {
                int i = batchSlot[j];
                Object key = table[2 * i];
                String id = ids[from + j];
                if (key == id) {
                    out[from + j] = (String) table[2 * i + 1];
                } else if (key == null) {
                    out[from + j] = absent;
                } else {
                    out[from + j] = getOrDefault(id, absent); // an equal copy, or another id of the same hash
                }
            }
        }
    }

    boolean containsKey(String externalId) {
        return externalId != null && table[2 * find(externalId)] != null;
    }

    void clear() {
        Arrays.fill(table, null);
        Arrays.fill(hashes, 0); // getAll walks runs by these alone: a stale one would make an empty slot look used
        size = 0;
    }

    /** The keys put (nulls included), in no particular order; a view, read-only. */
    Collection<String> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<String> iterator() {
                return new Iterator<>() {
                    private int next = advance(0);

                    private int advance(int from) {
                        while (from < table.length && table[from] == null) {
                            from += 2;
                        }
                        return from;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < table.length;
                    }

                    @Override
                    public String next() {
                        if (next >= table.length) {
                            throw new NoSuchElementException();
                        }
                        String v = (String) table[next + 1];
                        next = advance(next + 2);
                        return v;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    private void rehash(int length) {
        Object[] old = table;
        int[] oldHashes = hashes;
        table = new Object[length];
        hashes = new int[length >> 1];
        int mask = (length >> 1) - 1;
        for (int j = 0; j < old.length; j += 2) {
            Object k = old[j];
            if (k != null) {
                int h = oldHashes[j >> 1];
                int i = h & mask;
                while (table[2 * i] != null) {
                    i = (i + 1) & mask;
                }
                table[2 * i] = k;
                table[2 * i + 1] = old[j + 1];
                hashes[i] = h;
            }
        }
    }
}
