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
