package io.usher.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ExternalIdMapTest {

    /** Puts (null keys included) and look-ups answer as a HashMap does, through growth and overwrites. */
    @Property(tries = 300)
    void answersLikeAHashMap(@ForAll @Size(max = 600) List<@IntRange(min = -300, max = 300) Integer> ops) {
        ExternalIdMap map = new ExternalIdMap();
        Map<String, String> expected = new HashMap<>();
        for (int op : ops) {
            String id = "id-" + Math.abs(op) / 2;
            String key = op < 0 ? null : "k" + op; // negative: "seen, no key"
            map.put(new String(id), key); // an equal id, not the same string: equality, not identity, decides
            expected.put(id, key);
            assertThat(map.size()).isEqualTo(expected.size());
        }
        for (int i = 0; i <= 150; i++) {
            String id = "id-" + i;
            assertThat(map.containsKey(id)).isEqualTo(expected.containsKey(id));
            assertThat(map.getOrDefault(id, "absent")).isEqualTo(expected.getOrDefault(id, "absent"));
            assertThat(map.get(id)).isEqualTo(expected.get(id));
        }
        assertThat(new ArrayList<>(map.values())).containsExactlyInAnyOrderElementsOf(expected.values());
        // the batched look-up answers as one look-up per id: the very strings put, equal copies, unknown ids
        List<String> probes = new ArrayList<>();
        for (int i = 0; i <= 200; i++) {
            probes.add(i % 3 == 0 ? new String("id-" + i) : "id-" + i);
        }
        String[] out = new String[probes.size() + 5];
        map.getAll(probes.toArray(new String[0]), probes.size(), out, "absent");
        for (int i = 0; i < probes.size(); i++) {
            assertThat(out[i]).as(probes.get(i)).isEqualTo(expected.getOrDefault(probes.get(i), "absent"));
        }
        assertThat(out[probes.size()]).isNull(); // only n entries written
    }

    /** Ids whose hashes collide share a run of slots; the batch still finds each by equality. */
    @Test
    void getAllFindsCollidingIds() {
        ExternalIdMap map = new ExternalIdMap();
        // "Aa" and "BB" have the same String hash code, and so do their concatenations
        String[] ids = {"AaAa", "AaBB", "BBAa", "BBBB", "AaAaAa", "plain"};
        for (String id : ids) {
            map.put(id, "k-" + id);
        }
        String[] probe = {new String("BBBB"), "AaBB", new String("AaAa"), "BBAa", "CCCC", "plain", "AaAaAa"};
        String[] out = new String[probe.length];
        map.getAll(probe, probe.length, out, "absent");
        assertThat(out).containsExactly("k-BBBB", "k-AaBB", "k-AaAa", "k-BBAa", "absent", "k-plain", "k-AaAaAa");
    }

    @Test
    void nullIdIsNeverContainedAndClearEmpties() {
        ExternalIdMap map = new ExternalIdMap();
        map.put("a", "u1");
        map.put("b", null);
        assertThat(map.containsKey(null)).isFalse();
        assertThat(map.getOrDefault(null, "absent")).isEqualTo("absent");
        assertThat(map.getOrDefault("b", "absent")).isNull();
        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.containsKey("a")).isFalse();
        assertThat(map.values()).isEmpty();
    }
}
