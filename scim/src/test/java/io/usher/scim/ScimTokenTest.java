package io.usher.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScimTokenTest {
    private static final String DIGEST = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void theDigestIsTheHexSha256OfTheToken() {
        // FIPS 180-2 test vector: SHA-256("abc")
        assertThat(ScimToken.digestOf("abc")).isEqualTo(DIGEST);
    }

    @Test
    void aMintedTokenIs256RandomBitsWithAPrefixAndOnlyItsDigestIsKept() {
        ScimToken.Minted m = ScimToken.mint("entra", Set.of(ScimScope.USERS), null);
        assertThat(m.secret()).startsWith(ScimToken.PREFIX).hasSize(ScimToken.PREFIX.length() + 43);
        assertThat(Base64.getUrlDecoder().decode(m.secret().substring(ScimToken.PREFIX.length()))).hasSize(32);
        assertThat(m.token().digest()).isEqualTo(ScimToken.digestOf(m.secret()));
        assertThat(m.token().id()).isEqualTo("entra");
        assertThat(m.token().scopes()).containsExactly(ScimScope.USERS);
        assertThat(ScimToken.mint("entra", Set.of(ScimScope.USERS), null).secret()).isNotEqualTo(m.secret());
    }

    @Test
    void mintingUsesTheRandomnessGiven() {
        ScimToken.Minted a = ScimToken.mint("a", ScimScope.ALL, null, new Random(7));
        ScimToken.Minted b = ScimToken.mint("a", ScimScope.ALL, null, new Random(7));
        assertThat(a.secret()).isEqualTo(b.secret());
    }

    @Test
    void neitherTheSecretNorTheDigestIsPrinted() {
        ScimToken.Minted m = ScimToken.mint("entra", ScimScope.ALL, Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(m.toString()).doesNotContain(m.secret()).doesNotContain(m.secret().substring(11))
                .contains("entra").contains("hidden");
        assertThat(m.token().toString()).doesNotContain(m.token().digest()).contains("2027-01-01");
    }

    @Test
    void expiryIsInclusiveOfItsInstant() {
        Instant at = Instant.parse("2026-12-01T00:00:00Z");
        ScimToken t = ScimToken.of("t", DIGEST, Set.of(ScimScope.READ), at);
        assertThat(t.expiredAt(at.minusNanos(1))).isFalse();
        assertThat(t.expiredAt(at)).isTrue();
        assertThat(t.expiredAt(at.plusSeconds(1))).isTrue();
        assertThat(t.withExpiry(null).expiredAt(Instant.MAX)).isFalse();
    }

    @Test
    void scopesAreAnUnmodifiableCopy() {
        EnumSet<ScimScope> scopes = EnumSet.of(ScimScope.READ);
        ScimToken t = ScimToken.of("t", DIGEST, scopes);
        scopes.add(ScimScope.USERS);
        assertThat(t.scopes()).containsExactly(ScimScope.READ);
        assertThat(t.allows(ScimScope.USERS)).isFalse();
        assertThatThrownBy(() -> t.scopes().add(ScimScope.GROUPS)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anUppercaseDigestIsStoredInLowercase() {
        assertThat(ScimToken.of("t", DIGEST.toUpperCase(java.util.Locale.ROOT), ScimScope.ALL).digest())
                .isEqualTo(DIGEST);
    }

    @Test
    void badTokensAreRefusedWithPreciseMessages() {
        assertThatThrownBy(() -> ScimToken.of("t", "abc", ScimScope.ALL)).hasMessageContaining("64 hex characters");
        assertThatThrownBy(() -> ScimToken.of("t", DIGEST.replace('a', 'g'), ScimScope.ALL))
                .hasMessageContaining("64 hex characters");
        assertThatThrownBy(() -> ScimToken.of("t", DIGEST, List.of())).hasMessageContaining("at least one scope");
        assertThatThrownBy(() -> ScimToken.of(" ", DIGEST, ScimScope.ALL)).hasMessageContaining("token id");
        assertThatThrownBy(() -> ScimToken.of(null, DIGEST, ScimScope.ALL)).hasMessageContaining("token id");
    }

    @Test
    void scopesParseFromTheirWireNames() {
        assertThat(ScimScope.parse("Users")).isEqualTo(ScimScope.USERS);
        assertThat(ScimScope.parseList("users, groups")).containsExactlyInAnyOrder(ScimScope.USERS, ScimScope.GROUPS);
        assertThat(ScimScope.parseList("read")).containsExactly(ScimScope.READ);
        assertThat(ScimScope.READ.wireName()).isEqualTo("read");
        assertThatThrownBy(() -> ScimScope.parse("admin")).hasMessageContaining("expected read, users or groups");
        assertThatThrownBy(() -> ScimScope.parseList(" ")).hasMessageContaining("at least one");
    }
}
