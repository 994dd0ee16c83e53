package io.usher.ldap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * DN → id, for resolving a snapshot's member values, looked up straight from the value's bytes.
 *
 * <p>Why not a {@code HashMap<String, String>}: a full sync resolves every member value of every group
 * (500,000 at 100,000 users) against every DN read. As strings, each lookup first decodes the value into a
 * new string, hashes it, and then chases a node, the stored key and its bytes through a map of 100,000
 * entries; that was a fifth of a full sync's time. Here the keys sit back to back in one byte array, the
 * table is a {@code long[]} holding each entry's hash beside its index, and the probe is the value's own
 * bytes: no decoding, no allocation, fewer cache misses, and three arrays instead of 300,000 objects for the
 * collector to copy.
 *
 * <p>Keys compare ignoring ASCII case. A key is stored as given — the DN as the server printed it on its
 * entry, which is how member values usually repeat it — so most probes match by one exact (vectorised)
 * comparison, and the byte-by-byte case-folding comparison runs only for a value written in other case. A key
 * with non-ASCII characters is stored twice, as given and lower-cased ({@link String#toLowerCase(Locale)
 * Locale.ROOT}): a probe with any non-ASCII byte that matches no key by bytes gives {@link #NON_ASCII}, and
 * the caller looks it up again lower-cased as a string ({@link #get(String)}). Not thread-safe.
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
    /**
     * Whether puts only append until the first look-up ({@link #deferred()}): entries before {@code indexed} are
     * in {@link #table}, the rest wait for {@link #index()}.
     */
    private boolean deferIndexing;
    private int indexed;

    /**
     * An index that only appends on {@link #put} and builds its table on the first look-up: for keys that may
     * never be looked up (the logins kept for posixGroup memberUid values, which most directories lack), a put is
     * a copy of the key's bytes, without the probe into a table of every key so far (a likely cache miss each).
     */
    static DnIndex deferred() {
        DnIndex d = new DnIndex();
        d.deferIndexing = true;
        return d;
    }

    int size() {
        return size;
    }

    /** Puts the waiting entries into the table, in order (a later put of the same key replaces the id). */
    private void index() {
        deferIndexing = false;
        for (int e = indexed; e < size; e++) {
            int off = meta[3 * e];
            int h = meta[3 * e + 2];
            int slot = find(keys, off, meta[3 * e + 1], h);
            if (table[slot] != 0) {
                ids[entry(table[slot])] = ids[e]; // the same key again: its entry stays, with the later id
                meta[3 * e + 1] = -1; // and this one is dead: no match, no rehash
                continue;
            }
            table[slot] = slotValue(h, e);
            indexed = e + 1; // counted before a rehash, which reinserts the entries up to here
            if (indexed * 2 > table.length) {
                rehash(table.length * 2);
            }
        }
        indexed = size;
    }

    /**
     * Maps a key to an id, replacing an earlier id for the same key (the same ignoring ASCII case). The key
     * is kept as given; one with non-ASCII characters also under its lower-cased form (as a second entry),
     * for probes the caller has decoded and lower-cased.
     */
    void put(String key, String id) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        put(k, id);
        if (k.length != key.length()) {
            String lower = key.toLowerCase(Locale.ROOT);
            if (!lower.equals(key)) {
                put(lower.getBytes(StandardCharsets.UTF_8), id);
            }
        }
    }

    private void put(byte[] k, String id) {
        int h = hash(k, 0, k.length);
        int slot = -1;
        if (!deferIndexing) {
            slot = find(k, h);
            if (table[slot] != 0) {
                ids[entry(table[slot])] = id;
                return;
            }
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
        if (deferIndexing) {
            return;
        }
        table[slot] = slotValue(h, size - 1);
        indexed = size;
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

    /**
     * The id for a key given as a string, or null: compared ignoring ASCII case, and one with non-ASCII
     * characters also lower-cased.
     */
    String get(String key) {
        if (deferIndexing) {
            index();
        }
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int slot = find(k, hash(k, 0, k.length));
        if (table[slot] == 0 && k.length != key.length()) {
            k = key.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            slot = find(k, hash(k, 0, k.length));
        }
        return table[slot] == 0 ? null : ids[entry(table[slot])];
    }

    /**
     * The id for a value's bytes compared ignoring ASCII case, null when there is none, or {@link #NON_ASCII}
     * when there is none and the value has bytes outside ASCII (which bytes alone cannot lower-case: the
     * caller decodes it).
     */
    String get(byte[] value) {
        if (deferIndexing) {
            index();
        }
        int h = hash(value, 0, value.length);
        int mask = table.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            long t = table[slot];
            if (t == 0) {
                return nonAscii(value) ? NON_ASCII : null;
            }
            if (hashOf(t) != h) {
                continue;
            }
            int e = entry(t);
            int off = meta[3 * e];
            if (matches(e, off, value)) {
                return ids[e];
            }
        }
    }

    /** How many values {@link #getAll} looks up side by side. */
    private static final int BATCH = 32;
    private final int[] batchHash = new int[BATCH];
    private final int[] batchEntry = new int[BATCH];
    private final int[] batchOffset = new int[BATCH];
    private final String[] batchId = new String[BATCH];
    /** Sums the first key byte of each batch's candidates: read so that the loads happen (see getAll). */
    private int touched;

    /**
     * {@link #get(byte[])} for many values: {@code out[i]} is the id of {@code values.get(i)}, null, or
     * {@link #NON_ASCII}. Same answers, fewer stalls: one lookup is a chain of dependent loads from memory (the
     * table slot, then the entry's offset, then the key's bytes), each a likely cache miss in an index of 100,000
     * DNs, so looked up one by one the loop waits for each miss in turn. Here a batch goes stage by stage —
     * every value's slot, then every candidate's offset, then every candidate's first key byte — so the loads of
     * one stage are independent and the processor has many misses in flight at once. A value whose first slot
     * holds another hash (a probe chain) is looked up the plain way.
     */
    void getAll(java.util.List<byte[]> values, String[] out) {
        if (deferIndexing) {
            index();
        }
        int n = values.size();
        for (int from = 0; from < n; from += BATCH) {
            int k = Math.min(BATCH, n - from);
            int mask = table.length - 1;
            for (int i = 0; i < k; i++) {
                byte[] v = values.get(from + i);
                batchHash[i] = hash(v, 0, v.length);
            }
            for (int i = 0; i < k; i++) { // the table slots: independent loads (a chain is mostly one line)
                int h = batchHash[i];
                int slot = h & mask;
                long t = table[slot];
                while (t != 0 && hashOf(t) != h) {
                    slot = (slot + 1) & mask;
                    t = table[slot];
                }
                batchEntry[i] = t == 0 ? -1 : entry(t);
            }
            for (int i = 0; i < k; i++) { // the candidates' offsets and ids: independent loads
                int e = batchEntry[i];
                if (e >= 0) {
                    batchOffset[i] = meta[3 * e];
                    batchId[i] = ids[e];
                }
            }
            int sum = 0;
            for (int i = 0; i < k; i++) { // the candidates' key bytes: independent loads
                if (batchEntry[i] >= 0) {
                    sum += keys[batchOffset[i]];
                }
            }
            touched += sum;
            for (int i = 0; i < k; i++) {
                byte[] v = values.get(from + i);
                int e = batchEntry[i];
                if (e == -1) {
                    out[from + i] = nonAscii(v) ? NON_ASCII : null; // an empty first slot: no such key
                } else if (e >= 0 && matches(e, batchOffset[i], v)) {
                    out[from + i] = batchId[i];
                } else {
                    out[from + i] = get(v); // another key with the same hash first, or not there
                }
            }
        }
    }

    /** Whether any byte has its high bit set: eight bytes a step. */
    private static boolean nonAscii(byte[] v) {
        int i = 0;
        for (; i + 8 <= v.length; i += 8) {
            if (((long) LONGS.get(v, i) & 0x8080808080808080L) != 0) {
                return true;
            }
        }
        for (; i < v.length; i++) {
            if (v[i] < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether entry {@code e}, whose key starts at {@code offset}, is this value: the same length, and the same
     * bytes as printed (compared in vectorised blocks) or else ignoring ASCII case.
     */
    private boolean matches(int e, int offset, byte[] value) {
        return meta[3 * e + 1] == value.length && sameBytes(offset, value, 0, value.length);
    }

    /**
     * Whether {@code length} bytes of {@code k} from {@code from} are the key bytes at {@code offset}: as printed
     * (compared in vectorised blocks), or else ignoring ASCII case.
     */
    private boolean sameBytes(int offset, byte[] k, int from, int length) {
        if (Arrays.equals(keys, offset, offset + length, k, from, from + length)) {
            return true;
        }
        for (int i = 0; i < length; i++) {
            if (lower(k[from + i]) != lower(keys[offset + i])) {
                return false;
            }
        }
        return true;
    }

    /** The slot holding this key (ignoring ASCII case), or the empty slot where it would go. */
    private int find(byte[] k, int h) {
        return find(k, 0, k.length, h);
    }

    /** {@link #find(byte[], int)} for the key in {@code length} bytes of {@code k} from {@code from}. */
    private int find(byte[] k, int from, int length, int h) {
        int mask = table.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            long t = table[slot];
            if (t == 0) {
                return slot;
            }
            int e = entry(t);
            if (hashOf(t) == h && meta[3 * e + 1] == length && sameBytes(meta[3 * e], k, from, length)) {
                return slot;
            }
        }
    }

    private void rehash(int capacity) {
        long[] t = new long[capacity];
        int mask = capacity - 1;
        for (int e = 0; e < indexed; e++) {
            if (meta[3 * e + 1] < 0) {
                continue; // a key put again before indexing (see index())
            }
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
     * '`', '[' with '{'): more candidates share a hash, and the comparison tells them apart. Eight bytes
     * are mixed in at a time (a DN of 40 bytes is five multiplications, not forty).
     */
    private static int hash(byte[] k, int from, int to) {
        long h = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) { // eight bytes a step
            h = (h ^ ((long) LONGS.get(k, i) | 0x2020202020202020L)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        for (; i < to; i++) {
            h = (h ^ (k[i] | 0x20)) * 0x9E3779B97F4A7C15L;
        }
        return mix((int) (h ^ h >>> 32));
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

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
