package io.usher.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The credential policy on {@link User}: defaults, the kept constructor, copies, comparisons, local users. */
class CredentialPolicyModelTest {
    private static final Origin ORIGIN = Origin.of("corp", "1");

    @Test
    void theNineArgumentConstructorStillCompilesAndMeansHost() {
        User u = new User(null, ORIGIN, "jdoe", "J", null, null, List.of("j@x"), true, Map.of());
        assertThat(u.credentials()).isEqualTo(CredentialPolicy.HOST);
        assertThat(u.isSsoOnly()).isFalse();
        assertThat(u).isEqualTo(new User(null, ORIGIN, "jdoe", "J", null, null, List.of("j@x"), true, Map.of(),
                CredentialPolicy.HOST));
    }

    @Test
    void nullMeansHostAndTheBuilderDefaultsToHost() {
        assertThat(new User(null, ORIGIN, "a", null, null, null, List.of(), true, Map.of(), null).credentials())
                .isEqualTo(CredentialPolicy.HOST);
        assertThat(User.builder("a").build().credentials()).isEqualTo(CredentialPolicy.HOST);
        assertThat(User.builder("a").origin(ORIGIN).credentials(CredentialPolicy.SSO_ONLY).build().isSsoOnly())
                .isTrue();
    }

    @Test
    void aLocalUserCannotBeSsoOnlyAndTheMessageNamesTheFieldNotTheUser() {
        assertThatThrownBy(() -> User.builder("secret.person").credentials(CredentialPolicy.SSO_ONLY).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user.credentials: SSO_ONLY needs an origin; a local user (no origin) is always HOST");
        assertThatThrownBy(() -> User.builder("a").build().withCredentials(CredentialPolicy.SSO_ONLY))
                .hasMessageContaining("user.credentials").hasMessageNotContaining("secret.person");
    }

    @Test
    void copiesKeepThePolicyAndDroppingTheOriginMakesTheUserTheHosts() {
        User sso = User.builder("a").origin(ORIGIN).credentials(CredentialPolicy.SSO_ONLY).build();
        assertThat(sso.withKey("u1").credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        assertThat(sso.withActive(false).credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        assertThat(sso.withOrigin(Origin.of("corp", "2")).credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        assertThat(sso.toBuilder().displayName("x").build().credentials()).isEqualTo(CredentialPolicy.SSO_ONLY);
        assertThat(sso.withOrigin(null).credentials()).as("local users are always HOST").isEqualTo(CredentialPolicy.HOST);
        assertThat(sso.withCredentials(CredentialPolicy.SSO_ONLY)).isSameAs(sso);
        assertThat(sso.withCredentials(CredentialPolicy.HOST).credentials()).isEqualTo(CredentialPolicy.HOST);
    }

    @Test
    void changedFieldsReportsTheCredentialsAndSameValuesAsComparesThem() {
        User host = User.builder("a").origin(ORIGIN).displayName("A").build();
        User sso = host.withCredentials(CredentialPolicy.SSO_ONLY);
        assertThat(host.changedFields(sso)).containsExactly(User.CREDENTIALS);
        assertThat(User.CREDENTIALS).isEqualTo("credentials");
        assertThat(sso.changedFields(host)).containsExactly("credentials");
        assertThat(host.sameValuesAs(sso)).isFalse();
        assertThat(sso.sameValuesAs(sso.withKey("k"))).isTrue();
        assertThat(host.changedFields(sso.toBuilder().displayName("B").build()))
                .containsExactly("displayName", "credentials");
    }

    /** The engine skips a user when sameValuesAs holds and writes changedFields otherwise: they must agree. */
    @Property(tries = 300)
    void sameValuesAsAgreesWithChangedFieldsAndTheCredentialsFieldIsReportedExactlyWhenThePoliciesDiffer(
            @ForAll CredentialPolicy a, @ForAll CredentialPolicy b, @ForAll boolean activeA, @ForAll boolean activeB,
            @ForAll @AlphaChars @StringLength(min = 1, max = 3) String nameA,
            @ForAll @AlphaChars @StringLength(min = 1, max = 3) String nameB) {
        User x = User.builder("u").origin(ORIGIN).displayName(nameA).active(activeA).credentials(a).build();
        User y = User.builder("u").origin(ORIGIN).displayName(nameB).active(activeB).credentials(b).build();
        assertThat(x.sameValuesAs(y)).isEqualTo(x.changedFields(y).isEmpty());
        assertThat(x.sameValuesAs(y)).isEqualTo(y.sameValuesAs(x));
        assertThat(x.changedFields(y).contains(User.CREDENTIALS)).isEqualTo(a != b);
        assertThat(x.toBuilder().build()).isEqualTo(x);
    }
}
