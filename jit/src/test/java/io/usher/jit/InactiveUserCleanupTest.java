package io.usher.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ConfigException;
import io.usher.core.DeletionGuard;
import io.usher.core.model.Group;
import io.usher.core.model.User;
import io.usher.jit.JitPolicy.GroupMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InactiveUserCleanupTest {
    static final Duration DAY = Duration.ofDays(1);

    static InactiveUserCleanup.Builder cleanup(JitFixture f) {
        return InactiveUserCleanup.builder(f.engine, JitFixture.SOURCE).lastLogins(f.lastLogins)
                .inactiveAfter(Duration.ofDays(90)).clock(f.clock);
    }

    @Test
    void staleUsersAreDeactivatedAndReactivatedAtTheirNextLogin() {
        try (JitFixture f = JitFixture.withGuard(DeletionGuard.none())) {
            String old = f.addUser("old");
            String recent = f.addUser("recent");
            f.signIn(old);
            f.clock.advance(DAY.multipliedBy(60));
            f.signIn(recent);
            User local = f.store.createUser(User.builder("local-admin").build());
            f.clock.advance(DAY.multipliedBy(40)); // old: 100 days, recent: 40 days

            CleanupReport plan = cleanup(f).build().plan();
            assertThat(plan.dryRun()).isTrue();
            assertThat(plan.checked()).isEqualTo(2);
            assertThat(plan.stale()).extracting(CleanupReport.StaleUser::username).containsExactly("old");
            assertThat(plan.applied()).isZero();
            assertThat(f.user(old).active()).as("a plan changes nothing").isTrue();

            CleanupReport done = cleanup(f).build().run(false);
            assertThat(done.applied()).isEqualTo(1);
            assertThat(done.summary()).contains("1 stale").contains("1 deactivated");
            assertThat(f.user(old).active()).isFalse();
            assertThat(f.user(recent).active()).isTrue();
            assertThat(f.store.findUser(local.key()).orElseThrow().active()).as("local users untouched").isTrue();

            assertThat(cleanup(f).build().run(false).applied()).as("idempotent").isZero();

            JitResult back = f.signIn(old);
            assertThat(back.action()).isEqualTo(JitResult.Action.REACTIVATED);
            assertThat(cleanup(f).build().plan().stale()).isEmpty();
        }
    }

    @Test
    void theGuardRefusesAMassDeactivationUntilOverridden() {
        try (JitFixture f = JitFixture.withGuard(DeletionGuard.maxCount(2))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(f.addUser("u" + i));
                f.signIn(ids.get(i));
            }
            f.clock.advance(DAY.multipliedBy(91));
            CleanupReport plan = cleanup(f).build().plan();
            assertThat(plan.guardReason()).contains("would remove 5 users");
            CleanupReport refused = cleanup(f).build().run(false);
            assertThat(refused.guardTripped()).isTrue();
            assertThat(refused.applied()).isZero();
            assertThat(refused.summary()).contains("refused by the guard");
            assertThat(ids).allSatisfy(id -> assertThat(f.user(id).active()).isTrue());

            CleanupReport forced = cleanup(f).build().run(true);
            assertThat(forced.applied()).isEqualTo(5);
            assertThat(ids).allSatisfy(id -> assertThat(f.user(id).active()).isFalse());
        }
    }

    @Test
    void usersWithoutARecordedLoginAreReportedAndLeftAlone() {
        try (JitFixture f = JitFixture.withGuard(DeletionGuard.none())) {
            String ann = f.addUser("ann");
            f.signIn(ann);
            f.clock.advance(DAY.multipliedBy(200));
            CleanupReport r = InactiveUserCleanup.builder(f.engine, JitFixture.SOURCE)
                    .lastLogins(new InMemoryLastLoginStore()).inactiveAfter(Duration.ofDays(90)).clock(f.clock)
                    .build().run(false);
            assertThat(r.unknownLastLogin()).isEqualTo(1);
            assertThat(r.stale()).isEmpty();
            assertThat(f.user(ann).active()).isTrue();
        }
    }

    @Test
    void removeFromGroupsInsteadOfDeactivating() {
        try (JitFixture f = new JitFixture(b -> b.groupsFrom("groups").groupMode(GroupMode.AUTO_CREATE),
                s -> s.guard(DeletionGuard.none()))) {
            String bea = f.addUser("bea", "licensed", "engineering");
            String key = f.signIn(bea).userKey();
            f.clock.advance(DAY.multipliedBy(100));
            CleanupReport r = cleanup(f).removeFromGroups("licensed").build().run(false);
            assertThat(r.action()).isEqualTo(CleanupReport.Action.REMOVE_FROM_GROUPS);
            assertThat(r.applied()).isEqualTo(1);
            assertThat(f.user(bea).active()).isTrue();
            assertThat(f.groupsOf(key)).containsExactly("engineering");
            f.signIn(bea);
            assertThat(f.groupsOf(key)).as("the next login gives the seat back").containsExactly("engineering", "licensed");

            f.store.createGroup(Group.local("host-group"));
            assertThatThrownBy(() -> cleanup(f).removeFromGroups("host-group").build().run(false))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("not owned");
        }
    }

    @Test
    void aLoginBetweenPlanAndApplyWins() {
        try (JitFixture f = JitFixture.withGuard(DeletionGuard.none())) {
            String cy = f.addUser("cy");
            f.signIn(cy);
            f.clock.advance(DAY.multipliedBy(100));
            InactiveUserCleanup c = cleanup(f).build();
            // the login lands while the run is between its scan and its writes: simulated by a store that logs in
            LastLoginStore racing = new LastLoginStore() {
                int calls;

                @Override
                public void recordLogin(io.usher.core.model.Origin user, java.time.Instant at) {
                    f.lastLogins.recordLogin(user, at);
                }

                @Override
                public java.util.Optional<java.time.Instant> lastLogin(io.usher.core.model.Origin user) {
                    if (++calls == 2) {
                        f.lastLogins.recordLogin(user, f.clock.instant());
                    }
                    return f.lastLogins.lastLogin(user);
                }
            };
            CleanupReport r = InactiveUserCleanup.builder(f.engine, JitFixture.SOURCE).lastLogins(racing)
                    .inactiveAfter(Duration.ofDays(90)).clock(f.clock).build().run(false);
            assertThat(r.stale()).hasSize(1);
            assertThat(r.applied()).isZero();
            assertThat(f.user(cy).active()).isTrue();
            assertThat(c.plan().stale()).isEmpty();
        }
    }

    @Test
    void largeRunsReportProgressAndSurviveAThrowingCallback() {
        try (JitFixture f = JitFixture.withGuard(DeletionGuard.none())) {
            var push = f.engine.push(JitFixture.SOURCE);
            for (int i = 0; i < 2500; i++) {
                push.upsertUser(io.usher.core.spi.SourceUser.builder("s" + i).loginName("user" + i).build());
                f.lastLogins.recordLogin(io.usher.core.model.Origin.of(JitFixture.SOURCE, "s" + i),
                        f.clock.instant().minus(DAY.multipliedBy(i % 2 == 0 ? 120 : 10)));
            }
            List<long[]> calls = new ArrayList<>();
            CleanupReport r = cleanup(f).progress((done, total) -> {
                calls.add(new long[] {done, total});
                throw new IllegalStateException("a broken progress bar");
            }).build().run(false);
            assertThat(r.applied()).isEqualTo(1250);
            assertThat(calls).extracting(c -> c[0] + "/" + c[1]).containsExactly("1000/-1", "2000/-1", "1000/1250");
        }
    }

    @Test
    void builderChecks() {
        try (JitFixture f = new JitFixture()) {
            assertThatThrownBy(() -> InactiveUserCleanup.builder(f.engine, JitFixture.SOURCE)
                    .inactiveAfter(Duration.ofHours(2))).isInstanceOf(ConfigException.class);
            assertThatThrownBy(() -> InactiveUserCleanup.builder(f.engine, JitFixture.SOURCE)
                    .inactiveAfter(Duration.ofDays(30)).build()).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("lastLogins");
            assertThatThrownBy(() -> InactiveUserCleanup.builder(f.engine, "nope"))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("sourceId");
        }
    }
}
