package io.usher.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ObjIntMapTest {

    /**
     * Puts, overwrites and removals (which shift runs back) answer as a HashMap does, through growth; ids
     * from a small range collide in runs, equal copies find the same entry.
     */
    @Property(tries = 300)
    void answersLikeAHashMap(@ForAll @Size(max = 800) List<@IntRange(min = -200, max = 200) Integer> ops) {
        ObjIntMap<String> map = new ObjIntMap<>();
        Map<String, Integer> expected = new HashMap<>();
        for (int op : ops) {
            String key = "k" + Math.abs(op) % 97;
            if (op < 0) {
                map.remove(new String(key));
                expected.remove(key);
            } else {
                map.put(new String(key), op);
                expected.put(key, op);
            }
            assertThat(map.size()).isEqualTo(expected.size());
        }
        for (int i = 0; i < 100; i++) {
            String key = "k" + i;
            assertThat(map.get(key)).isEqualTo(expected.getOrDefault(key, -1));
        }
    }

    /** A key whose hash code the test chooses: few codes, so long runs that wrap past the table's end. */
    private record Collider(int id, int code) {
        @Override
        public int hashCode() {
            return code;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Collider && ((Collider) o).id == id;
        }
    }

    /**
     * Removal by backward shift under heavy collisions: 30 keys over three hash codes (chosen per try, so runs
     * start anywhere, also near the table's end and wrap to its start), puts and removes in random order,
     * through growth; every key answers as in a HashMap after every step, and equal copies find it.
     */
    @Property(tries = 500)
    void removalUnderCollisionsAndWrapAroundAnswersLikeAHashMap(@ForAll int c1, @ForAll int c2, @ForAll int c3,
                                                               @ForAll long seed) {
        int[] codes = {c1, c2, c3};
        java.util.Random rnd = new java.util.Random(seed);
        ObjIntMap<Collider> map = new ObjIntMap<>();
        Map<Integer, Integer> expected = new HashMap<>();
        for (int step = 0; step < 300; step++) {
            int id = rnd.nextInt(30);
            Collider k = new Collider(id, codes[id % 3]);
            if (rnd.nextInt(3) == 0) {
                map.remove(k);
                expected.remove(id);
            } else {
                map.put(k, step);
                expected.put(id, step);
            }
            assertThat(map.size()).isEqualTo(expected.size());
            for (int j = 0; j < 30; j++) {
                assertThat(map.get(new Collider(j, codes[j % 3]))).as("key %d after step %d", j, step)
                        .isEqualTo(expected.getOrDefault(j, -1));
            }
        }
    }

    /** Keys of one hash code share a run; removing from its middle leaves the rest reachable. */
    @Test
    void removalInsideARunOfCollidingKeys() {
        ObjIntMap<String> map = new ObjIntMap<>();
        String[] same = {"AaAa", "AaBB", "BBAa", "BBBB"}; // one String hash code
        for (int i = 0; i < same.length; i++) {
            map.put(same[i], i);
        }
        map.remove("AaBB");
        assertThat(map.get("AaAa")).isZero();
        assertThat(map.get("AaBB")).isEqualTo(-1);
        assertThat(map.get("BBAa")).isEqualTo(2);
        assertThat(map.get("BBBB")).isEqualTo(3);
        assertThat(map.get(null)).isEqualTo(-1);
        assertThatThrownBy(() -> map.put("x", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
