package io.usher.core.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validation and copying helpers shared by the model records. Messages name the field, never its value. */
public final class Values {
    /** Longest username, group name or single attribute value Usher accepts. */
    public static final int MAX_TEXT = 1024;

    /*
     * The JDK's immutable collections (List.of, Set.of, Map.of and their copyOf): they hold no nulls, sets no
     * duplicates, and nobody can change them. A value that is already one of them, and already as a copy would
     * make it, is kept as it is: records are rebuilt often on a sync's hot path (a store assigning a key, a
     * pipeline turning a source record into a user), and copying the same one-entry map three times per user
     * was a tenth of a full sync's allocation.
     */
    private static final Class<?> LIST_12 = List.of("a").getClass();
    private static final Class<?> LIST_N = List.of("a", "b", "c").getClass();
    private static final Class<?> SET_12 = Set.of("a").getClass();
    private static final Class<?> SET_N = Set.of("a", "b", "c").getClass();
    private static final Class<?> MAP_1 = Map.of("a", "b").getClass();
    private static final Class<?> MAP_N = Map.of("a", "b", "c", "d").getClass();
    /** Longest list checked for duplicates in place; longer ones are copied. */
    private static final int SMALL = 8;

    private Values() {}

    private static boolean immutableList(Collection<?> c) {
        return c.getClass() == LIST_12 || c.getClass() == LIST_N;
    }

    /** Already what {@link #copyList} would return: an immutable list without duplicates. */
    private static boolean canonicalList(Collection<?> c) {
        if (!immutableList(c)) {
            return false;
        }
        int n = c.size();
        if (n <= 1) {
            return true;
        }
        if (n > SMALL) {
            return false;
        }
        List<?> l = (List<?>) c;
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (l.get(i).equals(l.get(j))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Non-null, non-blank, no control characters, at most {@link #MAX_TEXT} characters. */
    public static String requireText(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        checkText(value, field);
        return value;
    }

    /** Null or a string without control characters of at most {@link #MAX_TEXT} characters. */
    public static String optionalText(String value, String field) {
        if (value == null) {
            return null;
        }
        checkText(value, field);
        return value;
    }

    private static void checkText(String value, String field) {
        if (value.length() > MAX_TEXT) {
            throw new IllegalArgumentException(field + " is longer than " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException(field + " contains a control character at position " + i);
            }
        }
    }

    /** An unmodifiable copy without nulls, duplicates removed, order kept. */
    @SuppressWarnings("unchecked")
    public static List<String> copyList(Collection<String> values, String field) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        if (canonicalList(values)) {
            return (List<String>) values;
        }
        if (values.size() == 1) {
            String only = values.iterator().next();
            if (only == null) {
                throw new IllegalArgumentException(field + " contains a null value");
            }
            return List.of(only);
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null) {
                throw new IllegalArgumentException(field + " contains a null value");
            }
            seen.add(v);
        }
        return List.copyOf(seen);
    }

    /**
     * An unmodifiable copy of a set without nulls, duplicates dropped. Up to {@value #SMALL} values: the JDK's
     * compact immutable set (iteration order not defined). More: an {@link IdSet}, which keeps first-seen order
     * and whose {@code toArray} is one array copy (the engine turns every group's members into an array; walking
     * the JDK's sparse table for that cost more than the look-ups after it). Either is kept as it is when given.
     */
    @SuppressWarnings("unchecked")
    public static Set<String> copySet(Collection<String> values, String field) {
        if (values == null || values.isEmpty()) {
            return Set.of();
        }
        try {
            if (values.getClass() == SET_12 || values.getClass() == SET_N || values instanceof IdSet) {
                return (Set<String>) values;
            }
            if (values.size() > SMALL) {
                return IdSet.copyOf(values.toArray());
            }
            if (values instanceof Set) {
                // distinct already: no intermediate HashSet (which Set.copyOf builds to drop duplicates)
                try {
                    return Set.of(values.toArray(new String[0]));
                } catch (IllegalArgumentException duplicates) {
                    // a set with its own idea of equality (an identity set): copied below
                }
            }
            return Set.copyOf(values);
        } catch (NullPointerException e) {
            throw new IllegalArgumentException(field + " contains a null value");
        }
    }

    /**
     * An unmodifiable copy of multi-valued attributes (a compact immutable map: iteration order is not
     * defined; sort the names where order matters). Attribute names are kept as given; empty value lists are
     * dropped so that "absent" and "empty" compare equal.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, List<String>> copyAttributes(Map<String, ? extends Collection<String>> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        if (attributes.getClass() == MAP_1 || attributes.getClass() == MAP_N) {
            CanonicalCheck check = new CanonicalCheck(); // forEach: an immutable map's entrySet() allocates
            attributes.forEach(check);
            if (check.canonical) {
                return (Map<String, List<String>>) attributes;
            }
        }
        Map<String, List<String>> out = new java.util.HashMap<>(attributes.size() * 2);
        for (Map.Entry<String, ? extends Collection<String>> e : attributes.entrySet()) {
            String name = requireText(e.getKey(), "attribute name");
            List<String> values = copyList(e.getValue(), "attribute '" + name + "'");
            if (!values.isEmpty()) {
                out.put(name, values);
            }
        }
        return Map.copyOf(out);
    }

    private static final class CanonicalCheck implements java.util.function.BiConsumer<String, Collection<String>> {
        boolean canonical = true;

        @Override
        public void accept(String name, Collection<String> values) {
            requireText(name, "attribute name");
            if (values.isEmpty() || !canonicalList(values)) {
                canonical = false;
            }
        }
    }

    /** A mutable, insertion-ordered copy, for builders. */
    static Map<String, List<String>> mutableAttributes(Map<String, List<String>> attributes) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        attributes.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }
}
