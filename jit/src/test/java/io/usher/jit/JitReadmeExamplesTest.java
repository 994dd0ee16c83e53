package io.usher.jit;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.DeletionGuard;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.pipeline.CaseRule;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.store.InMemoryUserStore;
import io.usher.jit.JitPolicy.GroupMode;
import io.usher.jit.oidc.AuthorizationRequest;
import io.usher.jit.oidc.OidcProviderMetadata;
import io.usher.jit.oidc.OidcValidator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.oidc.OidcProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's quick starts (jit/README.md and the root README), kept compiling and true. */
class JitReadmeExamplesTest {

    @Test
    void oidcLoginJitCleanupAndWebsudoAsTheReadmeShowsThem() {
        ManualClock clock = new ManualClock(Instant.parse("2026-04-01T08:00:00Z"));
        InMemoryDirectory directory = InMemoryDirectory.create(5);
        String zoeId = directory.addUser(DirectoryUser.builder("zoe").email("zoe@corp.example").build()).id();
        directory.addMember(directory.addGroup("wiki-editors").id(), io.usher.core.model.MemberKind.USER, zoeId);
        try (OidcProvider provider = OidcProvider.start(directory, clock)) {
            InMemoryUserStore store = new InMemoryUserStore();
            Map<String, Object> session = new HashMap<>();
            URI callback = URI.create("https://wiki.example/login/callback");

            // --- README: OIDC
            OidcProviderMetadata idp = OidcProviderMetadata.discover(HttpClient.newHttpClient(),
                    provider.issuer(), Duration.ofSeconds(10));
            OidcValidator validator = OidcValidator.builder().metadata(idp).clientId("wiki").clock(clock).build();
            AuthorizationRequest req = AuthorizationRequest.builder(idp.authorizationEndpoint(), "wiki", callback)
                    .scope("openid profile email groups").build();
            session.put("oidc", req);
            // the IdP's answer after the code exchange
            String idToken = provider.idToken(zoeId).audience("wiki").nonce(req.nonce()).sign();
            VerifiedLogin login = validator.validate(idToken, req.expectations());

            // --- README: JIT provisioning
            ProvisioningEngine engine = ProvisioningEngine.builder().store(store).clock(clock)
                    .source(Source.builder("corp-sso")
                            .pipeline(Pipeline.builder().usernameCase(CaseRule.LOWER).build())
                            .guard(DeletionGuard.none())
                            .build())
                    .build();
            JitPolicy policy = JitPolicy.builder("corp-sso", idp.issuer())
                    .usernameFrom("preferred_username", "email")
                    .groupsFrom("groups").groupMode(GroupMode.AUTO_CREATE).removeUnlisted(true)
                    .groupFilter("(?i)wiki-.*").rewriteGroup("(?i)wiki-(.*)", "$1")
                    .defaultGroups("sso-users")
                    .build();
            LastLoginStore lastLogins = new InMemoryLastLoginStore();
            JitProvisioner jit = JitProvisioner.builder().engine(engine).policy(policy).lastLogins(lastLogins)
                    .clock(clock).build();
            JitResult r = jit.provision(login);
            assertThat(r.action()).isEqualTo(JitResult.Action.CREATED);
            assertThat(r.username()).isEqualTo("zoe");
            assertThat(r.groupsAdded()).containsExactlyInAnyOrder("editors", "sso-users");

            // --- README: websudo
            Websudo websudo = Websudo.builder().store(store).sessions(new InMemoryWebsudoSessions()).trust(policy)
                    .clock(clock).build();
            clock.advance(Duration.ofHours(1));
            WebsudoChallenge ch = websudo.begin("session-1", r.userKey());
            AuthorizationRequest sudo = websudo.oidcRedirect(ch,
                    AuthorizationRequest.builder(idp.authorizationEndpoint(), "wiki", callback));
            assertThat(sudo.uri().getQuery()).contains("prompt=login").contains("max_age=0");
            String reauth = provider.idToken(zoeId).audience("wiki").nonce(sudo.nonce()).authTime(clock.instant())
                    .sign();
            websudo.completeOidc("session-1", r.userKey(), sudo.state(), reauth, validator);
            assertThat(websudo.touch("session-1", r.userKey())).isPresent();
            websudo.drop("session-1");
            assertThat(websudo.isActive("session-1", r.userKey())).isFalse();

            // --- README: inactive-user cleanup
            clock.advance(Duration.ofDays(91));
            InactiveUserCleanup cleanup = InactiveUserCleanup.builder(engine, "corp-sso").lastLogins(lastLogins)
                    .inactiveAfter(Duration.ofDays(90)).clock(clock).build();
            CleanupReport plan = cleanup.plan();
            assertThat(plan.stale()).hasSize(1);
            CleanupReport done = cleanup.run(false);
            assertThat(done.applied()).isEqualTo(1);
            assertThat(store.findUser(r.userKey()).orElseThrow().active()).isFalse();
        }
    }
}
