package io.usher.jit;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ChangeKind;
import io.usher.core.DeletionGuard;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.audit.AuditEvent;
import io.usher.core.audit.AuditOutcome;
import io.usher.core.audit.AuditRoute;
import io.usher.core.audit.JsonLinesAuditWriter;
import io.usher.core.model.MemberKind;
import io.usher.core.pipeline.CaseRule;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.store.InMemoryUserStore;
import io.usher.jit.JitPolicy.GroupMode;
import io.usher.jit.oidc.IdTokenExpectations;
import io.usher.jit.saml.SamlAuthnRequest;
import io.usher.jit.saml.SamlConfig;
import io.usher.jit.saml.SamlResponseValidator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.saml.SamlIdp;
import io.usher.testkit.saml.TestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JIT logins are audited with the IdP and the assertion id or ID-token jti, and the JSON lines written hold
 * neither the SAML Response (XML or base64, nor its signature) nor the ID token, nor a password claim.
 */
class JitAuditTrailTest {
    static final String SP = "https://wiki.example.test/saml";
    static final String ACS = "https://wiki.example.test/saml/acs";
    static final String IDP = "https://idp.usher.test/saml";
    static final String SSO = "https://idp.usher.test/saml/sso";
    static final TestKeys.KeyAndCertificate IDP_KEY = TestKeys.rsa("idp", 2048);
    static final String PASSWORD = "Pa55-in-an-attribute-4411";

    @TempDir
    Path dir;

    /** Every applied kind seen, and the secrets the files must not hold. */
    private final List<String> secrets = new ArrayList<>(List.of(PASSWORD));

    @Test
    void samlLoginsAreAuditedWithTheIdpAndAssertionId() throws IOException {
        ManualClock clock = new ManualClock(Instant.parse("2026-05-04T08:00:00Z"));
        InMemoryDirectory directory = InMemoryDirectory.create(9);
        DirectoryUser jane = directory.addUser(DirectoryUser.builder("JDoe").displayName("Jane Doe")
                .email("jane@example.test").build());
        directory.addMember(directory.addGroup("engineers").id(), MemberKind.USER, jane.id());
        List<AuditEvent> events = new CopyOnWriteArrayList<>();
        InMemoryUserStore store = new InMemoryUserStore();
        try (JsonLinesAuditWriter writer = JsonLinesAuditWriter.builder(dir).clock(clock).build()) {
            ProvisioningEngine engine = ProvisioningEngine.builder().store(store).clock(clock).audit(events::add)
                    .audit(writer).source(Source.builder("saml-sso")
                            .pipeline(Pipeline.builder().usernameCase(CaseRule.LOWER).build()).build()).build();
            JitPolicy policy = JitPolicy.builder("saml-sso", IDP).usernameFrom("username").groupsFrom("groups")
                    .groupMode(GroupMode.AUTO_CREATE).removeUnlisted(true).keepAttributes("password").build();
            JitProvisioner jit = JitProvisioner.builder().engine(engine).policy(policy).clock(clock).build();
            SamlConfig config = SamlConfig.builder().spEntityId(SP).acsUrl(ACS).idpEntityId(IDP)
                    .trustedCertificate(IDP_KEY.certificate()).clock(clock).build();
            SamlResponseValidator validator = SamlResponseValidator.create(config);
            SamlIdp idp = SamlIdp.builder(directory).entityId(IDP).ssoUrl(SSO).sp(SP, ACS).clock(clock)
                    .signingKey(IDP_KEY).build();

            SamlAuthnRequest request = SamlAuthnRequest.builder(config, SSO).build();
            SamlIdp.IssuedResponse first = idp.answer(request.redirectUrl(), "JDoe")
                    .attribute("password", PASSWORD).build();
            keepSecrets(first);
            jit.provision(validator.validate(first.base64(), request.id()));
            assertThat(events).isNotEmpty().allMatch(e -> e.route() == AuditRoute.JIT
                    && e.context().detail("protocol").equals("SAML") && e.context().detail("idp").equals(IDP)
                    && e.context().detail("assertionId").equals(first.assertionId()));
            assertThat(events).extracting(AuditEvent::kind).containsExactly(ChangeKind.USER_CREATED,
                    ChangeKind.GROUP_CREATED, ChangeKind.MEMBER_ADDED);
            assertThat(events.get(0).fields()).contains("attributes.password");
            assertThat(events.get(0).values()).containsEntry("username", "jdoe");

            // the second login: renamed, another group, another display name
            directory.renameUser(jane.id(), "jane.doe");
            directory.addMember(directory.addGroup("wiki-admins").id(), MemberKind.USER, jane.id());
            directory.removeMember(directory.groupByName("engineers").orElseThrow().id(), MemberKind.USER, jane.id());
            clock.advance(Duration.ofMinutes(10));
            int mark = events.size();
            SamlAuthnRequest again = SamlAuthnRequest.builder(config, SSO).build();
            SamlIdp.IssuedResponse second = idp.answer(again.redirectUrl(), "jane.doe")
                    .attribute("password", PASSWORD + "-2").build();
            keepSecrets(second);
            jit.provision(validator.validate(second.base64(), again.id()));
            List<AuditEvent> later = events.subList(mark, events.size());
            assertThat(later).allMatch(e -> e.context().detail("assertionId").equals(second.assertionId()));
            assertThat(later).extracting(AuditEvent::kind).contains(ChangeKind.USER_RENAMED,
                    ChangeKind.GROUP_CREATED, ChangeKind.MEMBER_ADDED, ChangeKind.MEMBER_REMOVED);
            assertThat(first.assertionId()).isNotEqualTo(second.assertionId());
        }
        assertNoSecretIn(events.size());
    }

    @Test
    void oidcLoginsAreAuditedWithTheIssuerAndJtiAndTheCleanupWithItsOwnCaller() throws IOException {
        List<AuditEvent> events = new CopyOnWriteArrayList<>();
        try (JitFixture f = new JitFixture(b -> b, s -> s.guard(DeletionGuard.none()));
             JsonLinesAuditWriter writer = JsonLinesAuditWriter.builder(dir).clock(f.clock).build()) {
            f.engine = ProvisioningEngine.builder().store(f.store).clock(f.clock).audit(events::add).audit(writer)
                    .source(Source.builder(JitFixture.SOURCE).guard(DeletionGuard.none())
                            .pipeline(Pipeline.builder().usernameCase(CaseRule.LOWER).build()).build()).build();
            f.jit = JitProvisioner.builder().engine(f.engine).lastLogins(f.lastLogins).clock(f.clock)
                    .policy(JitPolicy.builder(JitFixture.SOURCE, f.idp.issuer()).usernameFrom("preferred_username")
                            .groupsFrom("groups").groupMode(GroupMode.AUTO_CREATE).removeUnlisted(true)
                            .keepAttributes("password").build()).build();
            String ann = f.addUser("ann", "staff");

            String jti1 = "jti-" + UUID.randomUUID();
            signIn(f, ann, jti1);
            assertThat(events).isNotEmpty().allMatch(e -> e.route() == AuditRoute.JIT
                    && e.context().detail("protocol").equals("OIDC")
                    && e.context().detail("idp").equals(f.idp.issuer())
                    && e.context().detail("jti").equals(jti1));
            assertThat(events).extracting(AuditEvent::kind).containsExactly(ChangeKind.USER_CREATED,
                    ChangeKind.GROUP_CREATED, ChangeKind.MEMBER_ADDED);

            // a new display name and a group left: updated, member removed
            f.dir.updateUser(f.dir.user(ann).orElseThrow().toBuilder().displayName("Ann Updated").build());
            f.leave(ann, "staff");
            f.clock.advance(Duration.ofMinutes(5));
            int mark = events.size();
            String jti2 = "jti-" + UUID.randomUUID();
            signIn(f, ann, jti2);
            assertThat(events.subList(mark, events.size())).allMatch(e -> e.context().detail("jti").equals(jti2))
                    .extracting(AuditEvent::kind).contains(ChangeKind.USER_UPDATED, ChangeKind.MEMBER_REMOVED);

            // the cleanup deactivates; the next login reactivates
            f.clock.advance(Duration.ofDays(120));
            mark = events.size();
            InactiveUserCleanup.builder(f.engine, JitFixture.SOURCE).lastLogins(f.lastLogins)
                    .inactiveAfter(Duration.ofDays(90)).clock(f.clock).build().run(false);
            assertThat(events.subList(mark, events.size())).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(ChangeKind.USER_DEACTIVATED);
                assertThat(e.route()).isEqualTo(AuditRoute.API);
                assertThat(e.context().detail("caller")).isEqualTo(InactiveUserCleanup.AUDIT_CALLER);
            });
            mark = events.size();
            String jti3 = "jti-" + UUID.randomUUID();
            signIn(f, ann, jti3);
            assertThat(events.subList(mark, events.size())).extracting(AuditEvent::kind)
                    .contains(ChangeKind.USER_REACTIVATED);

            Set<ChangeKind> kinds = events.stream().filter(e -> e.outcome() == AuditOutcome.APPLIED)
                    .map(AuditEvent::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(ChangeKind.class)));
            assertThat(kinds).contains(ChangeKind.USER_CREATED, ChangeKind.USER_UPDATED, ChangeKind.USER_DEACTIVATED,
                    ChangeKind.USER_REACTIVATED, ChangeKind.GROUP_CREATED, ChangeKind.MEMBER_ADDED,
                    ChangeKind.MEMBER_REMOVED);
        }
        assertNoSecretIn(events.size());
    }

    @Test
    void aLoginThePolicyRefusesIsARefusedEventWithTheChangeItWouldHaveMade() throws IOException {
        List<AuditEvent> events = new CopyOnWriteArrayList<>();
        try (JitFixture f = new JitFixture()) {
            f.engine = ProvisioningEngine.builder().store(f.store).clock(f.clock).audit(events::add)
                    .source(Source.builder(JitFixture.SOURCE).build()).build();
            f.jit = JitProvisioner.builder().engine(f.engine).lastLogins(f.lastLogins).clock(f.clock)
                    .policy(JitPolicy.builder(JitFixture.SOURCE, f.idp.issuer()).usernameFrom("preferred_username")
                            .createUsers(false).build()).build();
            String bob = f.addUser("bob");
            String jti = "jti-" + UUID.randomUUID();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> signIn(f, bob, jti))
                    .isInstanceOf(JitException.class).hasMessageContaining("does not create users");
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.outcome()).isEqualTo(AuditOutcome.REFUSED);
                assertThat(e.kind()).isEqualTo(ChangeKind.USER_CREATED);
                assertThat(e.externalId()).isEqualTo(bob);
                assertThat(e.name()).isEqualTo("bob");
                assertThat(e.reason()).startsWith("NOT_PROVISIONED: ");
                assertThat(e.context().detail("jti")).isEqualTo(jti);
            });
            assertThat(f.store.userCount()).isZero();
        }
    }

    @Test
    void aLoginThatTakesOverALocalUserIsALinkedEvent() {
        List<AuditEvent> events = new CopyOnWriteArrayList<>();
        try (JitFixture f = new JitFixture()) {
            f.engine = ProvisioningEngine.builder().store(f.store).clock(f.clock).audit(events::add)
                    .source(Source.builder(JitFixture.SOURCE).collisions(io.usher.core.CollisionPolicy.LINK)
                            .build()).build();
            f.jit = JitProvisioner.builder().engine(f.engine).lastLogins(f.lastLogins).clock(f.clock)
                    .policy(JitPolicy.builder(JitFixture.SOURCE, f.idp.issuer()).usernameFrom("preferred_username")
                            .linkLocalUsersByClaimedName().build()).build();
            f.store.createUser(io.usher.core.model.User.builder("carl").build());
            String carl = f.addUser("carl");
            String jti = "jti-" + UUID.randomUUID();
            signIn(f, carl, jti);
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(ChangeKind.USER_LINKED);
                assertThat(e.outcome()).isEqualTo(AuditOutcome.APPLIED);
                assertThat(e.name()).isEqualTo("carl");
                assertThat(e.reason()).contains("took over the local user");
                assertThat(e.context().detail("jti")).isEqualTo(jti);
            });
        }
    }

    /** Signs the user in with an ID token carrying a jti and a password claim; the token joins the secrets. */
    private void signIn(JitFixture f, String userId, String jti) {
        String nonce = UUID.randomUUID().toString();
        String token = f.idp.idToken(userId).audience(JitFixture.CLIENT).nonce(nonce).claim("jti", jti)
                .claim("password", PASSWORD).sign();
        secrets.add(token);
        for (String part : token.split("\\.")) {
            secrets.add(part.length() > 24 ? part.substring(part.length() - 24) : part);
        }
        VerifiedLogin login = f.validator.validate(token, IdTokenExpectations.nonce(nonce));
        assertThat(login.proofId()).isEqualTo(jti);
        f.jit.provision(login);
    }

    private void keepSecrets(SamlIdp.IssuedResponse r) {
        secrets.add(r.base64());
        secrets.add(r.xml());
        secrets.add(r.base64().substring(r.base64().length() / 2, r.base64().length() / 2 + 32));
        Matcher sig = Pattern.compile("SignatureValue>([^<]+)<").matcher(r.xml());
        while (sig.find()) {
            String v = sig.group(1).replaceAll("\\s", "");
            if (v.length() >= 16) { // the value, not the whitespace after a closing tag
                secrets.add(v.substring(0, Math.min(32, v.length())));
            }
        }
        assertThat(secrets.size()).isGreaterThan(4); // the response was signed: a SignatureValue was found
    }

    /** Scans every line of every written file for every secret of the test. */
    private void assertNoSecretIn(int expectedLines) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                lines.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        }
        assertThat(lines).hasSize(expectedLines);
        for (String line : lines) {
            assertThat(line).contains("\"route\":\"").doesNotContain("<saml").doesNotContain("Assertion>")
                    .doesNotContain("eyJ");
            for (String s : secrets) {
                assertThat(line).doesNotContain(s);
            }
        }
    }
}
