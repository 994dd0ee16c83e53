package io.usher.jit.explain;

import io.usher.core.Source;
import io.usher.core.model.MemberKind;
import io.usher.core.pipeline.CaseRule;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.store.InMemoryUserStore;
import io.usher.core.spi.UserStore;
import io.usher.jit.JitPolicy;
import io.usher.jit.JitProvisioner;
import io.usher.jit.oidc.OidcValidator;
import io.usher.core.ProvisioningEngine;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.oidc.OidcProvider;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * A loopback OIDC provider serving a directory, the host's store and JIT source, a validator, the real provisioner
 * (to compare with) and an explainer over the same parts.
 */
final class ExplainFixture implements AutoCloseable {
    static final String CLIENT = "wiki";
    static final String SOURCE = "sso";
    static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    final ManualClock clock = new ManualClock(T0);
    final InMemoryDirectory dir = InMemoryDirectory.create(5);
    final OidcProvider idp = OidcProvider.start(dir, clock);
    final InMemoryUserStore store = new InMemoryUserStore();
    final OidcValidator validator = OidcValidator.builder().issuer(idp.issuer()).clientId(CLIENT)
            .jwksUri(idp.jwksUri()).clock(clock).build();
    final Source source;
    final JitPolicy policy;
    final ProvisioningEngine engine;
    final JitProvisioner jit;

    ExplainFixture() {
        this(b -> b);
    }

    ExplainFixture(UnaryOperator<JitPolicy.Builder> policy) {
        source = Source.builder(SOURCE).pipeline(Pipeline.builder().namePart().usernameCase(CaseRule.LOWER).build())
                .build();
        this.policy = policy.apply(JitPolicy.builder(SOURCE, idp.issuer()).usernameFrom("preferred_username", "email"))
                .build();
        engine = ProvisioningEngine.builder().store(store).clock(clock).source(source).build();
        jit = JitProvisioner.builder().engine(engine).policy(this.policy).clock(clock).build();
    }

    LoginExplainer explainer() {
        return explainer(store);
    }

    LoginExplainer explainer(UserStore over) {
        return LoginExplainer.builder().store(over).source(source).policy(policy).oidc(validator).build();
    }

    String addUser(String login, String... groups) {
        String id = dir.addUser(DirectoryUser.builder(login).displayName(login.toUpperCase()).givenName(login)
                .familyName("Tester").email(login + "@corp.example").build()).id();
        for (String g : groups) {
            String gid = dir.groupByName(g).orElseGet(() -> dir.addGroup(g)).id();
            dir.addMember(gid, MemberKind.USER, id);
        }
        return id;
    }

    @Override
    public void close() {
        idp.close();
    }
}
