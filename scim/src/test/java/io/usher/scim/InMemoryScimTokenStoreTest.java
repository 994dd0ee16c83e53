package io.usher.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryScimTokenStoreTest {
    private final ScimToken.Minted a = ScimToken.mint("a", Set.of(ScimScope.USERS), null);
    private final ScimToken.Minted b = ScimToken.mint("b", Set.of(ScimScope.READ), null);

    @Test
    void findsATokenByTheDigestOfItsSecretOnly() {
        InMemoryScimTokenStore store = InMemoryScimTokenStore.of(a.token(), b.token());
        assertThat(store.findByDigest(ScimToken.digestOf(a.secret()))).contains(a.token());
        assertThat(store.findByDigest(ScimToken.digestOf(b.secret()))).contains(b.token());
        assertThat(store.findByDigest(ScimToken.digestOf(a.secret() + "x"))).isEmpty();
        assertThat(store.findByDigest(a.token().digest().substring(1))).isEmpty();
        assertThat(store.findByDigest("")).isEmpty();
    }

    @Test
    void revokeRemovesAndReplaceChangesScopes() {
        InMemoryScimTokenStore store = InMemoryScimTokenStore.of(a.token(), b.token());
        assertThat(store.revoke("a")).isTrue();
        assertThat(store.revoke("a")).isFalse();
        assertThat(store.findByDigest(a.token().digest())).isEmpty();
        assertThat(store.tokens()).containsExactly(b.token());
        assertThat(store.replace(b.token().withExpiry(java.time.Instant.EPOCH))).isTrue();
        assertThat(store.findByDigest(b.token().digest()).orElseThrow().expiresAt()).isEqualTo(java.time.Instant.EPOCH);
        assertThat(store.replace(a.token())).isFalse();
    }

    @Test
    void aRepeatedIdOrDigestIsRefused() {
        InMemoryScimTokenStore store = InMemoryScimTokenStore.of(a.token());
        assertThatThrownBy(() -> store.add(ScimToken.of("a", b.token().digest(), ScimScope.ALL)))
                .hasMessageContaining("'a' is already stored");
        assertThatThrownBy(() -> store.add(ScimToken.of("c", a.token().digest(), ScimScope.ALL)))
                .hasMessageContaining("same as stored token 'a'");
        assertThat(store.tokens()).hasSize(1);
        assertThat(store.toString()).contains("a").doesNotContain(a.token().digest());
    }
}
