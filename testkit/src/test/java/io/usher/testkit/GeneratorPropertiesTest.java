package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.model.MemberKind;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** For any seed and any small valid settings, the generator keeps its promises, and keeps them again. */
class GeneratorPropertiesTest {

    @Property(tries = 150)
    void anySettingsGiveTheRequestedShapeDeterministically(@ForAll long seed,
                                                           @ForAll @IntRange(min = 2, max = 300) int users,
                                                           @ForAll @IntRange(min = 1, max = 5) int depth,
                                                           @ForAll @IntRange(min = 0, max = 40) int extraGroups,
                                                           @ForAll @IntRange(min = 0, max = 5) int collisions) {
        int caseCollisions = Math.min(collisions, users / 2);
        DirectoryGenerator g = DirectoryGenerator.builder().seed(seed).users(users).groups(depth + 1 + extraGroups)
                .nestingDepth(depth).caseCollisions(caseCollisions).build();

        InMemoryDirectory d = g.generate();

        assertThat(d.userCount()).isEqualTo(users);
        assertThat(d.groupCount()).isEqualTo(depth + 1 + extraGroups);
        assertThat(DirectoryGeneratorTest.longestChain(d)).isEqualTo(depth);
        long collided = d.users().collect(Collectors.groupingBy(u -> u.loginName().toLowerCase(Locale.ROOT),
                Collectors.counting())).values().stream().filter(n -> n > 1).count();
        assertThat(collided).isEqualTo(caseCollisions);
        long unplaced = d.users().filter(u -> u.kind() == io.usher.core.spi.SourceUser.Kind.MEMBER)
                .filter(u -> d.groupsOf(MemberKind.USER, u.id()).size() < 2).count();
        assertThat(unplaced).as("members outside all-staff or an org unit").isZero();
        assertThat(fingerprint(g.generate())).isEqualTo(fingerprint(d));
    }

    private static List<String> fingerprint(InMemoryDirectory d) {
        return d.users().map(u -> u + "" + d.groupsOf(MemberKind.USER, u.id()).stream().sorted()
                .collect(Collectors.toList())).collect(Collectors.toList());
    }
}
