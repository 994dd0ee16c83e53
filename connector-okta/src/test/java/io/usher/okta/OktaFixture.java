package io.usher.okta;

import io.usher.core.DeprovisionPolicy;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** Shared pieces of the Okta connector's tests: a clock whose waits are recorded, and store/directory views. */
final class OktaFixture {
    static final String TOKEN = "00aBcD-test-api-token-value";

    private OktaFixture() {}

    /** A manual clock and a sleeper that advances it (so waiting costs no wall time) and records each wait. */
    static final class Time {
        final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T07:00:00.500Z"));
        final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

        void sleep(Duration d) {
            waits.add(d);
            clock.advance(d);
        }

        /** Moves on a little, as time passes between syncs (so later changes are stamped after a read's start). */
        void tick() {
            clock.advance(Duration.ofSeconds(1));
        }
    }

    static ProvisioningEngine engine(InMemoryUserStore store, OktaSourceConnector connector) {
        return ProvisioningEngine.builder().store(store)
                .source(Source.builder("okta").connector(connector).deprovision(DeprovisionPolicy.DELETE).build())
                .build();
    }

    /** The store's users and groups as lines: {@code id username active}, {@code id name [member ids]}. */
    static List<String> view(InMemoryUserStore s) {
        List<String> out = new ArrayList<>();
        for (User u : s.allUsers()) {
            out.add(u.origin().externalId() + " " + u.username() + " " + u.active());
        }
        for (Group g : s.allGroups()) {
            out.add(g.origin().externalId() + " " + g.name() + " " + s.members(g.key(), MemberKind.USER).stream()
                    .map(k -> s.findUser(k).orElseThrow().origin().externalId()).sorted().collect(Collectors.toList()));
        }
        out.sort(null);
        return out;
    }

    /** The directory as the store should show it (Okta: user members only). */
    static List<String> view(InMemoryDirectory d) {
        List<String> out = new ArrayList<>();
        d.users().forEach(u -> out.add(u.id() + " " + u.loginName() + " " + u.enabled()));
        d.groups().forEach(g -> out.add(g.id() + " " + g.name() + " " + d.members(g.id(), MemberKind.USER).stream()
                .sorted().collect(Collectors.toList())));
        out.sort(null);
        return out;
    }
}
