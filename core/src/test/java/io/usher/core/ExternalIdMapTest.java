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

    /**
     * Regression: {@code clear()} emptied the table but left the slot hashes beside it, and {@code getAll} walks
     * a run by those hashes alone (stopping at a 0). A map cleared and refilled (SyncRun clears it when a refused
     * cursor turns an incremental read into a snapshot) kept stale hashes in slots that are empty again; once
     * stale and live hashes covered every slot, a batched look-up of an unknown id never found a 0 and spun
     * forever, hanging the sync. Rounds of 40 ids (below the 2/3 load of 64 slots, so no rehash) cover every
     * slot. The time limit only guards against that hang; a correct look-up takes microseconds.
     */
    @Test
    void getAllAfterClearAndRefillAnswersAndEnds() {
        ExternalIdMap map = new ExternalIdMap();
        Map<String, String> expected = new HashMap<>();
        for (int round = 0; round < 30; round++) {
            map.clear();
            expected.clear();
            for (int i = 0; i < 40; i++) {
                String id = "round-" + round + "-user-" + i;
                map.put(id, "k" + round + "-" + i);
                expected.put(id, "k" + round + "-" + i);
            }
            String[] probes = new String[50];
            for (int i = 0; i < probes.length; i++) {
                probes[i] = i < 40 ? new String("round-" + round + "-user-" + i) : "unknown-" + round + "-" + i;
            }
            String[] out = new String[probes.length];
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> map.getAll(probes, probes.length, out, "absent"), "getAll did not end after clear()");
            for (int i = 0; i < probes.length; i++) {
                assertThat(out[i]).as(probes[i]).isEqualTo(expected.getOrDefault(probes[i], "absent"));
                assertThat(map.getOrDefault(probes[i], "absent")).isEqualTo(out[i]);
            }
        }
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
