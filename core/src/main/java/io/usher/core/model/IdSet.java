package io.usher.core.model;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An immutable set of strings in first-seen order, for the larger sets {@link Values#copySet} makes (a group's
 * member ids): the elements in one array, with an index of open-addressed slots beside it for
 * {@link #contains}.
 *
 * <p>Why not {@code Set.of}: its elements sit scattered in a table twice their number, and iterating or
 * {@code toArray} walks that table slot by slot. The engine turns every group's members into an array once per
 * sync; at 500,000 memberships walking the JDK's tables was several times the cost of the look-ups that follow.
 * Here {@code toArray} is one array copy. Building costs what {@code Set.of} costs: one hash and one probe per
 * element, duplicates dropped.
 *
 * <p>Null elements are refused. Thread-safe (immutable after construction).
 */
final class IdSet extends AbstractSet<String> {
    private final String[] elements;
    /** Per element, its spread hash (compared before the element itself is loaded). */
    private final int[] hashes;
    /** Element index + 1, or 0 for an empty slot; a power of two, at most half full. */
    private final int[] slots;

    private IdSet(String[] elements, int[] hashes, int[] slots) {
        this.elements = elements;
        this.hashes = hashes;
        this.slots = slots;
    }

    /**
     * The distinct values, in first-seen order.
     *
     * @throws NullPointerException for a null value
     */
    static IdSet copyOf(Object[] values) {
        int capacity = Integer.highestOneBit(Math.max(4, values.length) * 2 - 1) << 1; // ≥ 2 × size
        int[] slots = new int[capacity];
        int mask = capacity - 1;
        String[] elements = new String[values.length];
        int[] hashes = new int[values.length];
        int n = 0;
        outer:
        for (Object o : values) {
            String v = (String) java.util.Objects.requireNonNull(o);
            int h = spread(v.hashCode());
            int i = h & mask;
            for (int s = slots[i]; s != 0; s = slots[i]) {
                if (hashes[s - 1] == h && elements[s - 1].equals(v)) {
                    continue outer; // a duplicate
                }
                i = (i + 1) & mask;
            }
            elements[n] = v;
            hashes[n] = h;
            slots[i] = ++n;
        }
        return new IdSet(n == elements.length ? elements : Arrays.copyOf(elements, n),
                n == hashes.length ? hashes : Arrays.copyOf(hashes, n), slots);
    }

    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ h >>> 16;
    }

    @Override
    public boolean contains(Object o) {
        if (!(o instanceof String)) {
            return false;
        }
        int h = spread(o.hashCode());
        int mask = slots.length - 1;
        for (int i = h & mask, s = slots[i]; s != 0; i = (i + 1) & mask, s = slots[i]) {
            if (hashes[s - 1] == h && elements[s - 1].equals(o)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int size() {
        return elements.length;
    }

    @Override
    public Object[] toArray() {
        return Arrays.copyOf(elements, elements.length, Object[].class);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T[] toArray(T[] a) {
        if (a.length < elements.length) {
            return (T[]) Arrays.copyOf(elements, elements.length, a.getClass());
        }
        System.arraycopy(elements, 0, a, 0, elements.length);
        if (a.length > elements.length) {
            a[elements.length] = null;
        }
        return a;
    }

    @Override
    public Iterator<String> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < elements.length;
            }

            @Override
            public String next() {
                if (next >= elements.length) {
                    throw new NoSuchElementException();
                }
                return elements[next++];
            }
        };
    }
}
