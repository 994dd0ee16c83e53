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
import org.junit.jupiter.api.Test;

class DirectoryGeneratorTest {

    private static List<String> fingerprint(InMemoryDirectory d) {
        List<String> out = new ArrayList<>();
        for (String id : d.userIds()) {
            out.add(id + " " + d.user(id).orElseThrow().loginName());
        }
        for (String id : d.groupIds()) {
            out.add(id + " " + d.group(id).orElseThrow().name() + " " + d.members(id, MemberKind.USER).size()
                    + " " + d.members(id, MemberKind.GROUP).size());
        }
        return out;
    }

    @Test
    void sameSeedSameDirectoryOtherSeedOtherDirectory() {
        DirectoryGenerator.Builder b = DirectoryGenerator.builder().users(500).groups(60).caseCollisions(3);
        assertThat(fingerprint(b.seed(1).build().generate())).isEqualTo(fingerprint(b.seed(1).build().generate()));
        assertThat(fingerprint(b.seed(2).build().generate())).isNotEqualTo(fingerprint(b.seed(1).build().generate()));
    }

    @Test
    void realisticShape() {
        InMemoryDirectory d = DirectoryGenerator.builder().seed(5).users(5000).groups(500).nestingDepth(3)
                .targetMemberships(25_000).caseCollisions(10).disabledShare(0.05).guestShare(0.03).build().generate();
        assertThat(d.userCount()).isEqualTo(5000);
        assertThat(d.groupCount()).isEqualTo(500);
        assertThat(d.membershipCount()).isBetween(24_000L, 25_000L);
        assertThat(d.currentSequence()).isPositive();
        assertThat(d.changesSince(d.currentSequence())).isEmpty();

        List<InMemoryDirectory.DirUser> users = d.usersAfter(null, 10_000);
        assertThat(users).anyMatch(u -> !u.enabled()).anyMatch(u -> u.kind() == SourceUser.Kind.GUEST);
        assertThat(users).anyMatch(u -> u.displayName().chars().anyMatch(c -> c > 127));
        Map<String, Integer> folded = new HashMap<>();
        users.forEach(u -> folded.merge(u.loginName().toLowerCase(Locale.ROOT), 1, Integer::sum));
        long caseCollisions = folded.values().stream().filter(n -> n > 1).count();
        assertThat(caseCollisions).isEqualTo(10);

        // skew: the biggest group dwarfs the median one
        List<Integer> sizes = new ArrayList<>();
        for (String g : d.groupIds()) {
            sizes.add(d.members(g, MemberKind.USER).size());
        }
        sizes.sort(null);
        assertThat(sizes.get(sizes.size() - 1)).isGreaterThan(20 * Math.max(1, sizes.get(sizes.size() / 2)));

        // nesting depth: the longest chain of group-in-group edges
        assertThat(maxDepth(d)).isGreaterThanOrEqualTo(3);
    }

    private static int maxDepth(InMemoryDirectory d) {
        Map<String, Integer> memo = new HashMap<>();
        int best = 0;
        for (String g : d.groupIds()) {
            best = Math.max(best, depth(d, g, memo));
        }
        return best;
    }

    private static int depth(InMemoryDirectory d, String g, Map<String, Integer> memo) {
        Integer known = memo.get(g);
        if (known != null) {
            return known;
        }
        int best = 1;
        for (String c : d.members(g, MemberKind.GROUP)) {
            best = Math.max(best, 1 + depth(d, c, memo));
        }
        memo.put(g, best);
        return best;
    }

    @Test
    void settingsAreCheckedAtOnce() {
        assertThatThrownBy(() -> DirectoryGenerator.builder().nestingDepth(0)).hasMessageContaining("nestingDepth");
        assertThatThrownBy(() -> DirectoryGenerator.builder().users(-1)).hasMessageContaining("users");
        assertThatThrownBy(() -> DirectoryGenerator.builder().groups(2).nestingDepth(3).build())
                .hasMessageContaining("at least 4 groups");
        assertThatThrownBy(() -> DirectoryGenerator.builder().guestShare(2)).hasMessageContaining("guestShare");
    }
}
