package io.usher.jit;

import io.usher.core.CollisionPolicy;
import io.usher.core.DeletionGuard;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.pipeline.CaseRule;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.store.InMemoryUserStore;
import io.usher.jit.oidc.IdTokenExpectations;
import io.usher.jit.oidc.OidcValidator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.oidc.OidcProvider;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** A directory served by a loopback OIDC provider, an engine with a JIT source, and helpers to sign users in. */
final class JitFixture implements AutoCloseable {
    static final String CLIENT = "wiki";
    static final String SOURCE = "sso";
    static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    final ManualClock clock = new ManualClock(T0);
    final InMemoryDirectory dir = InMemoryDirectory.create(11);
    final OidcProvider idp = OidcProvider.start(dir, clock);
    final InMemoryUserStore store = new InMemoryUserStore();
    final InMemoryLastLoginStore lastLogins = new InMemoryLastLoginStore();
    final OidcValidator validator = OidcValidator.builder().issuer(idp.issuer()).clientId(CLIENT)
            .jwksUri(idp.jwksUri()).clock(clock).build();
    ProvisioningEngine engine;
    JitProvisioner jit;

    JitFixture() {
        this(b -> b, s -> s);
    }

    JitFixture(UnaryOperator<JitPolicy.Builder> policy, UnaryOperator<Source.Builder> source) {
        this(policy, source, Pipeline.builder().usernameCase(CaseRule.LOWER).build());
    }

    JitFixture(UnaryOperator<JitPolicy.Builder> policy, UnaryOperator<Source.Builder> source, Pipeline pipeline) {
        engine = ProvisioningEngine.builder().store(store).clock(clock)
                .source(source.apply(Source.builder(SOURCE).pipeline(pipeline)).build()).build();
        jit = JitProvisioner.builder().engine(engine).lastLogins(lastLogins).clock(clock)
                .policy(policy.apply(JitPolicy.builder(SOURCE, idp.issuer()).usernameFrom("preferred_username"))
                        .build()).build();
    }

    static JitFixture withCollisions(CollisionPolicy p) {
        // LINK with a claimed username needs the explicit opt-in (else the provisioner refuses the setup)
        return new JitFixture(b -> p == CollisionPolicy.LINK ? b.linkLocalUsersByClaimedName() : b,
                s -> s.collisions(p));
    }

    static JitFixture withGuard(DeletionGuard g) {
        return new JitFixture(b -> b, s -> s.guard(g));
    }

    String addUser(String login, String... groups) {
        String id = dir.addUser(DirectoryUser.builder(login).displayName(login.toUpperCase()).givenName(login)
                .familyName("Tester").email(login + "@corp.example").build()).id();
        for (String g : groups) {
            join(id, g);
        }
        return id;
    }

    void join(String userId, String group) {
        String gid = dir.groupByName(group).orElseGet(() -> dir.addGroup(group)).id();
        dir.addMember(gid, MemberKind.USER, userId);
    }

    void leave(String userId, String group) {
        dir.removeMember(dir.groupByName(group).orElseThrow().id(), MemberKind.USER, userId);
    }

    /** A signed ID token for the user, validated: the VerifiedLogin a host would get at its callback. */
    VerifiedLogin login(String userId) {
        String nonce = UUID.randomUUID().toString();
        return validator.validate(idp.idToken(userId).audience(CLIENT).nonce(nonce).sign(),
                IdTokenExpectations.nonce(nonce));
    }

    JitResult signIn(String userId) {
        return jit.provision(login(userId));
    }

    User user(String userId) {
        return store.findUserByOrigin(Origin.of(SOURCE, userId)).orElseThrow();
    }

    Set<String> groupsOf(String userKey) {
        Set<String> names = new TreeSet<>();
        for (String k : store.groupsOf(MemberKind.USER, userKey)) {
            store.findGroup(k).map(Group::name).ifPresent(names::add);
        }
        return names;
    }

    @Override
    public void close() {
        idp.close();
    }
}
