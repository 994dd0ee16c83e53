package io.usher.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link Values#copySet} of more than a few values gives an {@link IdSet}: checked against a
 * {@link LinkedHashSet} of the same values — the same elements in first-seen order, the same answers to
 * {@code contains}, equal both ways — and immutable.
 */
class IdSetTest {

    @Property(tries = 300)
    void answersAsALinkedHashSetOfTheSameValues(@ForAll long seed, @ForAll @IntRange(min = 0, max = 400) int n,
                                                @ForAll @IntRange(min = 1, max = 500) int distinct) {
        Random rnd = new Random(seed);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(distinct);
            // equal strings that are not the same object, and strings whose hashes collide ("Aa" and "BB")
            values.add(rnd.nextBoolean() ? new String("id" + k) : (k % 2 == 0 ? "Aa" : "BB") + k);
        }
        Collection<String> given = rnd.nextBoolean() ? values : new LinkedHashSet<>(values);
        Set<String> model = new LinkedHashSet<>(values);
        Set<String> copy = Values.copySet(given, "members");

        assertThat(copy).hasSize(model.size());
        assertThat(copy).isEqualTo(model);
        assertThat(model).isEqualTo(copy);
        assertThat(copy.hashCode()).isEqualTo(model.hashCode());
        if (model.size() > 8) {
            assertThat(copy).isInstanceOf(IdSet.class);
            assertThat(new ArrayList<>(copy)).containsExactlyElementsOf(model); // first-seen order
            assertThat(copy.toArray(new String[0])).containsExactly(model.toArray(new String[0]));
            assertThat(copy.toArray()).containsExactly(model.toArray());
            String[] big = new String[copy.size() + 2];
            Arrays.fill(big, "x");
            assertThat(copy.toArray(big)).isSameAs(big);
            assertThat(big[copy.size()]).isNull();
            assertThat(Values.copySet(copy, "members")).isSameAs(copy);
        }
        for (int k = 0; k < distinct + 5; k++) {
            for (String probe : new String[] {"id" + k, "Aa" + k, "BB" + k}) {
                assertThat(copy.contains(probe)).as(probe).isEqualTo(model.contains(probe));
            }
        }
        if (copy instanceof IdSet) {
            assertThat(copy.contains(null)).isFalse(); // (the JDK's immutable sets throw instead)
            assertThat(copy.contains(42)).isFalse();
        }
    }

    @Test
    void isImmutableAndRefusesNulls() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            values.add("member" + i);
        }
        Set<String> copy = Values.copySet(values, "members");
        values.add("later");
        assertThat(copy).hasSize(20).doesNotContain("later");
        assertThatThrownBy(() -> copy.add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.remove("member1")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(copy::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.removeIf(s -> true)).isInstanceOf(UnsupportedOperationException.class);
        Iterator<String> it = copy.iterator();
        it.next();
        assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
        assertThat(copy).hasSize(20);
        values.set(3, null);
        assertThatThrownBy(() -> Values.copySet(values, "members")).hasMessage("members contains a null value");
    }
}
