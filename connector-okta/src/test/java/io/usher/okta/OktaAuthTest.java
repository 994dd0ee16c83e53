package io.usher.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.usher.core.UsherException;
import io.usher.core.spi.ConnectionTest;
import io.usher.core.spi.SourceException;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.RecordingSink;
import io.usher.testkit.okta.OktaServer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SSWS tokens and service apps (private_key_jwt, RS256/ES256, scopes, DPoP) against the fake Okta. */
class OktaAuthTest {
    private static final RSAKey RSA = rsa();
    private static final ECKey EC = ec();
    private final OktaFixture.Time time = new OktaFixture.Time();
    private final InMemoryDirectory dir = DirectoryGenerator.builder().seed(2).users(60).groups(6).nestingDepth(1)
            .build().generate();
    private OktaServer server;

    private static RSAKey rsa() {
        try {
            return new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey ec() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private OktaServer.Builder fake() {
        return OktaServer.builder(dir).clock(time.clock).apiToken(OktaFixture.TOKEN);
    }

    private OktaSourceConnector connector(OktaConfig config) {
        return new OktaSourceConnector(config, time.clock, time::sleep);
    }

    private OktaConfig app(String clientId, JWK key) {
        return OktaConfig.builder(server.orgUri()).serviceApp(clientId, key.toJSONString()).build();
    }

    @Test
    void anApiTokenReadsEverything() {
        server = fake().start();
        try (OktaSourceConnector c = connector(OktaConfig.builder(server.orgUri()).apiToken(OktaFixture.TOKEN).build())) {
            RecordingSink sink = RecordingSink.create();
            c.snapshot(sink);
            assertThat(sink.users()).hasSize(dir.userCount());
            assertThat(c.test().ok()).isTrue();
        }
    }

    @Test
    void aWrongApiTokenIsNamedInPlainWordsAndNeverShown() {
        server = fake().start();
        String wrong = "00wrong-token-zzzz";
        try (OktaSourceConnector c = connector(OktaConfig.builder(server.orgUri()).apiToken(wrong).build())) {
            ConnectionTest.Result r = c.test();

            assertThat(r.ok()).isFalse();
            assertThat(String.join("\n", r.steps())).contains("E0000011").contains("API token")
                    .doesNotContain(wrong);
            assertThatThrownBy(() -> c.snapshot(RecordingSink.create())).isInstanceOf(SourceException.class)
                    .satisfies(e -> assertThat(((SourceException) e).code()).isEqualTo(UsherException.Code.SOURCE_AUTH))
                    .hasMessageContaining("E0000011").hasMessageNotContaining(wrong);
        }
    }

    @Test
    void aServiceAppSigningWithRs256GetsOneTokenForAWholeSync() {
        server = fake().serviceApp("0oa-rsa", RSA.toPublicJWK(), OktaServer.CONNECTOR_SCOPES, false).start();
        try (OktaSourceConnector c = connector(app("0oa-rsa", RSA))) {
            InMemoryUserStore store = new InMemoryUserStore();
            OktaFixture.engine(store, c).synchronize("okta");

            assertThat(OktaFixture.view(store)).isEqualTo(OktaFixture.view(dir));
            assertThat(server.tokenRequests()).isEqualTo(1);
            assertThat(server.apiRequests()).isGreaterThan(5);
        }
    }

    @Test
    void aServiceAppSigningWithEs256Works() {
        server = fake().serviceApp("0oa-ec", EC.toPublicJWK(), OktaServer.CONNECTOR_SCOPES, false).start();
        try (OktaSourceConnector c = connector(app("0oa-ec", EC))) {
            RecordingSink sink = RecordingSink.create();
            c.snapshot(sink);
            assertThat(sink.users()).hasSize(dir.userCount());
        }
    }

    @Test
    void anRsaKeyInPkcs8PemWorks() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        RSAKey pub = new RSAKey.Builder((java.security.interfaces.RSAPublicKey) pair.getPublic()).build();
        server = fake().serviceApp("0oa-pem", pub, OktaServer.CONNECTOR_SCOPES, false).start();
        try (OktaSourceConnector c = connector(OktaConfig.builder(server.orgUri()).serviceApp("0oa-pem", pem).build())) {
            assertThat(c.test().ok()).isTrue();
        }
    }

    @Test
    void anAppThatRequiresDpopGetsANonceRoundTripAndDpopBoundTokens() {
        server = fake().serviceApp("0oa-dpop", RSA.toPublicJWK(), OktaServer.CONNECTOR_SCOPES, true).start();
        try (OktaSourceConnector c = connector(app("0oa-dpop", RSA))) {
            ConnectionTest.Result r = c.test();
            assertThat(r.ok()).as(String.join("\n", r.steps())).isTrue();
            assertThat(r.steps()).anyMatch(s -> s.contains("DPoP-bound"));

            InMemoryUserStore store = new InMemoryUserStore();
            OktaFixture.engine(store, c).synchronize("okta");
            assertThat(OktaFixture.view(store)).isEqualTo(OktaFixture.view(dir));
            // without DPoP, with use_dpop_nonce, then the token
            assertThat(server.tokenRequests()).isEqualTo(3);
        }
    }

    @Test
    void dpopTurnedOffAgainstAnAppThatRequiresItSaysSo() {
        server = fake().serviceApp("0oa-dpop", RSA.toPublicJWK(), OktaServer.CONNECTOR_SCOPES, true).start();
        OktaConfig config = OktaConfig.builder(server.orgUri()).serviceApp("0oa-dpop", RSA.toJSONString())
                .dpop(OktaConfig.Dpop.FALSE).build();
        try (OktaSourceConnector c = connector(config)) {
            ConnectionTest.Result r = c.test();
            assertThat(r.ok()).isFalse();
            assertThat(String.join("\n", r.steps())).contains("requires DPoP");
            assertThatThrownBy(() -> c.snapshot(RecordingSink.create())).isInstanceOf(SourceException.class)
                    .hasMessageContaining("requires DPoP");
        }
    }

    @Test
    void aScopeTheAppWasNotGrantedIsNamed() {
        server = fake().serviceApp("0oa-few", RSA.toPublicJWK(), Set.of("okta.users.read", "okta.groups.read"), false)
                .start();
        try (OktaSourceConnector c = connector(app("0oa-few", RSA))) {
            ConnectionTest.Result r = c.test();
            assertThat(r.ok()).isFalse();
            assertThat(String.join("\n", r.steps())).contains("not granted the scope(s) okta.logs.read");
        }
        // asking only for what was granted: the token comes, and the System Log read names the missing scope
        OktaConfig fewer = OktaConfig.builder(server.orgUri()).serviceApp("0oa-few", RSA.toJSONString())
                .scopes(java.util.List.of("okta.users.read", "okta.groups.read")).build();
        try (OktaSourceConnector c = connector(fewer)) {
            ConnectionTest.Result r = c.test();
            assertThat(r.ok()).isFalse();
            assertThat(r.steps()).anyMatch(s -> s.contains("read a page of groups"));
            assertThat(String.join("\n", r.steps())).contains("lacks the scope okta.logs.read").contains("E0000006");
        }
    }

    @Test
    void anAssertionSignedByAnotherKeyIsRefusedWithoutShowingIt() {
        server = fake().serviceApp("0oa-rsa", RSA.toPublicJWK(), OktaServer.CONNECTOR_SCOPES, false).start();
        try (OktaSourceConnector c = connector(app("0oa-rsa", rsa()))) {
            assertThatThrownBy(() -> c.snapshot(RecordingSink.create())).isInstanceOf(SourceException.class)
                    .satisfies(e -> assertThat(((SourceException) e).code()).isEqualTo(UsherException.Code.SOURCE_AUTH))
                    .hasMessageContaining("invalid_client").hasMessageContaining("client assertion was refused")
                    .hasMessageNotContaining("eyJ");
        }
    }

    @Test
    void anExpiredAccessTokenIsReplacedMidSync() {
        server = fake().serviceApp("0oa-rsa", RSA.toPublicJWK(), OktaServer.CONNECTOR_SCOPES, false).start();
        try (OktaSourceConnector c = connector(app("0oa-rsa", RSA))) {
            RecordingSink sink = RecordingSink.create();
            boolean[] expired = {false};
            c.snapshot(new io.usher.core.spi.SnapshotSink() {
                @Override public void user(io.usher.core.spi.SourceUser user) {
                    sink.user(user);
                    if (!expired[0]) {
                        expired[0] = true;
                        server.expireAccessTokens();
                    }
                }
                @Override public void group(io.usher.core.spi.SourceGroup group) { sink.group(group); }
                @Override public void cursor(String cursor) { sink.cursor(cursor); }
            });
            assertThat(sink.users()).hasSize(dir.userCount());
            assertThat(server.tokenRequests()).isEqualTo(2);
        }
    }
}
