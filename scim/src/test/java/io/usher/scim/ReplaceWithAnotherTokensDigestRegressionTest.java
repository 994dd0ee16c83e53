package io.usher.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Regression: {@link InMemoryScimTokenStore#add} refuses a digest another token holds, but {@code replace} took
 * one, leaving two ids behind one secret: the secret then authenticated as whichever was added first (another id in
 * the audit trail, other scopes), and as the other once that one was revoked.
 */
class ReplaceWithAnotherTokensDigestRegressionTest {
    @Test
    void replaceRefusesADigestAnotherTokenHolds() {
        ScimToken.Minted reader = ScimToken.mint("reader", Set.of(ScimScope.READ), null);
        ScimToken.Minted writer = ScimToken.mint("writer", Set.of(ScimScope.USERS, ScimScope.GROUPS), null);
        InMemoryScimTokenStore store = InMemoryScimTokenStore.of(reader.token(), writer.token());

        assertThatThrownBy(() -> store.replace(ScimToken.of("writer", reader.token().digest(), ScimScope.ALL)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'reader'")
                .hasMessageNotContaining(reader.secret()).hasMessageNotContaining(reader.token().digest());
        assertThat(store.tokens()).containsExactly(reader.token(), writer.token());
        // the token's own digest, with new scopes or expiry, is still a replacement
        assertThat(store.replace(ScimToken.of("writer", writer.token().digest(), Set.of(ScimScope.USERS)))).isTrue();
        assertThat(store.findByDigest(writer.token().digest()).orElseThrow().scopes()).containsExactly(ScimScope.USERS);
    }
}
