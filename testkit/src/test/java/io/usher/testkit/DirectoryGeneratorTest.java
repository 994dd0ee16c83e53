package io.usher.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.model.MemberKind;
import io.usher.core.spi.SourceUser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One large organisation, generated once for the class, checked for the shape the generator promises. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectoryGeneratorTest {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryGeneratorTest.class);
    private InMemoryDirectory big;
    private long bigMillis;

    @BeforeAll
    void generateBig() {
        long t0 = System.nanoTime();
        big = DirectoryGenerator.builder().seed(42).users(100_000).groups(10_000).nestingDepth(3)
                .targetMemberships(500_000).caseCollisions(5).build().generate();
        bigMillis = (System.nanoTime() - t0) / 1_000_000;
        LOG.info("generated {} in {} ms", big, bigMillis);
    }

    @Test
    void bigOrganisationHasTheRequestedSizes() {
        assertThat(big.userCount()).isEqualTo(100_000);
        assertThat(big.groupCount()).isEqualTo(10_000);
        assertThat(big.membershipCount()).isBetween(475_000L, 525_000L);
        assertThat(big.changeLogSize()).isZero();
    }

    @Test
    void membershipIsSkewed() {
        List<Integer> sizes = big.groups().map(g -> big.members(g.id(), MemberKind.USER).size()).sorted()
                .collect(Collectors.toList());
        int allStaff = big.members(big.groupByName(DirectoryGenerator.ALL_STAFF).orElseThrow().id(),
                MemberKind.USER).size();

        assertThat(allStaff).isGreaterThan(90_000);
        assertThat(sizes.get(sizes.size() / 2)).as("median group size").isLessThan(60);
        assertThat(sizes.stream().filter(s -> s > 10_000).count()).as("huge groups").isBetween(2L, 20L);
        assertThat(sizes.stream().filter(s -> s > 0 && s <= 20).count()).as("small groups").isGreaterThan(3_000);
    }

    @Test
    void nestingIsExactlyTheRequestedDepth() {
        assertThat(longestChain(big)).isEqualTo(3);
        InMemoryDirectory deep = DirectoryGenerator.builder().seed(1).users(500).groups(200).nestingDepth(6)
                .build().generate();
        assertThat(longestChain(deep)).isEqualTo(6);
        InMemoryDirectory flat = DirectoryGenerator.builder().seed(1).users(50).groups(10).nestingDepth(1)
                .build().generate();
        assertThat(longestChain(flat)).isEqualTo(1);
    }

    @Test
    void namesIncludeNonAscii() {
        List<String> given = big.users().map(DirectoryUser::givenName).distinct().collect(Collectors.toList());
        assertThat(given).contains("José", "Zoë", "Øyvind", "李", "Łukasz");
        assertThat(big.groups().map(DirectoryGroup::name)).anyMatch(n -> n.chars().anyMatch(ch -> ch > 127));
        assertThat(big.users().map(DirectoryUser::loginName)).allMatch(l -> l.chars().allMatch(ch -> ch < 128));
    }

    @Test
    void exactlyTheRequestedCaseCollisions() {
        Map<String, List<String>> byFolded = big.users().collect(Collectors.groupingBy(
                u -> u.loginName().toLowerCase(Locale.ROOT), Collectors.mapping(DirectoryUser::loginName,
                        Collectors.toList())));
        List<List<String>> collisions = byFolded.values().stream().filter(l -> l.size() > 1)
                .collect(Collectors.toList());

        assertThat(collisions).hasSize(5).allMatch(l -> l.size() == 2 && !l.get(0).equals(l.get(1)));
    }

    @Test
    void someUsersAreDisabledGuestsOrServiceAccounts() {
        Map<SourceUser.Kind, Long> kinds = big.users().collect(Collectors.groupingBy(DirectoryUser::kind,
                Collectors.counting()));
        long disabled = big.users().filter(u -> !u.enabled()).count();

        assertThat(disabled).isBetween(4_000L, 6_000L);
        assertThat(kinds.get(SourceUser.Kind.GUEST)).isBetween(2_500L, 3_500L);
        assertThat(kinds.get(SourceUser.Kind.SERVICE)).isBetween(700L, 1_300L);
        assertThat(big.users().filter(u -> u.kind() == SourceUser.Kind.GUEST))
                .allMatch(u -> u.loginName().endsWith("#EXT#"));
    }

    @Test
    void sameSeedGivesAnIdenticalDirectoryAndAnotherSeedDoesNot() {
        InMemoryDirectory a = DirectoryGenerator.builder().seed(7).users(800).groups(60).caseCollisions(2)
                .build().generate();
        InMemoryDirectory b = DirectoryGenerator.builder().seed(7).users(800).groups(60).caseCollisions(2)
                .build().generate();
        InMemoryDirectory c = DirectoryGenerator.builder().seed(8).users(800).groups(60).caseCollisions(2)
                .build().generate();

        assertThat(fingerprint(a)).isEqualTo(fingerprint(b));
        assertThat(fingerprint(a)).isNotEqualTo(fingerprint(c));
    }

    @Test
    void cyclesCanBeRequested() {
        InMemoryDirectory d = DirectoryGenerator.builder().seed(3).users(100).groups(30).cycles(2).build()
                .generate();
        long twoCycles = d.groups().filter(g -> d.members(g.id(), MemberKind.GROUP).stream()
                .anyMatch(child -> d.members(child, MemberKind.GROUP).contains(g.id()))).count();
        assertThat(twoCycles).isEqualTo(4);
    }

    @Test
    void builderRejectsBadAndRepeatedSettingsWithPreciseMessages() {
        assertThatThrownBy(() -> DirectoryGenerator.builder().users(-1)).hasMessageContaining("users");
        assertThatThrownBy(() -> DirectoryGenerator.builder().seed(1).seed(2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("seed was already set");
        assertThatThrownBy(() -> DirectoryGenerator.builder().nestingDepth(0)).hasMessageContaining("nestingDepth");
        assertThatThrownBy(() -> DirectoryGenerator.builder().disabledFraction(1.5))
                .hasMessageContaining("disabledFraction");
        assertThatThrownBy(() -> DirectoryGenerator.builder().groups(3).nestingDepth(3).build())
                .hasMessageContaining("groups (3) must be at least");
        assertThatThrownBy(() -> DirectoryGenerator.builder().users(5).caseCollisions(3).build())
                .hasMessageContaining("caseCollisions");
        assertThatThrownBy(() -> DirectoryGenerator.builder().domain("Not A Domain"))
                .hasMessageContaining("domain");
    }

    @Test
    void emptyAndTinyDirectoriesWork() {
        InMemoryDirectory empty = DirectoryGenerator.builder().users(0).groups(0).build().generate();
        assertThat(empty.userCount()).isZero();
        assertThat(empty.groupCount()).isZero();
        InMemoryDirectory tiny = DirectoryGenerator.builder().users(3).groups(4).build().generate();
        assertThat(tiny.userCount()).isEqualTo(3);
        assertThat(tiny.groupCount()).isEqualTo(4);
    }

    @Test
    void asciiFoldingAndCaseVariants() {
        assertThat(DirectoryGenerator.ascii("José")).isEqualTo("jose");
        assertThat(DirectoryGenerator.ascii("Øyvind")).isEqualTo("oyvind");
        assertThat(DirectoryGenerator.ascii("Łukasz")).isEqualTo("lukasz");
        assertThat(DirectoryGenerator.ascii("李")).isEqualTo("li");
        assertThat(DirectoryGenerator.ascii("Ó Súilleabháin")).isEqualTo("osuilleabhain");
        assertThat(DirectoryGenerator.caseVariant("jdoe")).isEqualTo("JDoe");
    }

    private static List<String> fingerprint(InMemoryDirectory d) {
        List<String> out = new ArrayList<>();
        d.users().forEach(u -> out.add(u + " in " + d.groupsOf(MemberKind.USER, u.id()).stream().sorted()
                .collect(Collectors.toList())));
        d.groups().forEach(g -> out.add(g + " has " + d.members(g.id(), MemberKind.GROUP).stream().sorted()
                .collect(Collectors.toList())));
        return out;
    }

    /** The longest chain of nested groups, counted in groups (the directory must be acyclic). */
    static int longestChain(InMemoryDirectory d) {
        Map<String, Integer> memo = new HashMap<>();
        int best = 0;
        for (DirectoryGroup g : d.groups().collect(Collectors.toList())) {
            best = Math.max(best, depth(d, g.id(), memo));
        }
        return best;
    }

    private static int depth(InMemoryDirectory d, String group, Map<String, Integer> memo) {
        Integer known = memo.get(group);
        if (known != null) {
            return known;
        }
        int deepest = 0;
        for (String child : d.members(group, MemberKind.GROUP)) {
            deepest = Math.max(deepest, depth(d, child, memo));
        }
        memo.put(group, deepest + 1);
        return deepest + 1;
    }
}
