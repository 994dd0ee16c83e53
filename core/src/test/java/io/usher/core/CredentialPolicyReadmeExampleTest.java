package io.usher.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.model.CredentialPolicy;
import io.usher.core.model.User;
import io.usher.core.spi.SourceUser;
import io.usher.core.spi.UserStore;
import io.usher.core.store.InMemoryUserStore;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Keeps the README's "SSO-only accounts" host snippet compiling and true. */
class CredentialPolicyReadmeExampleTest {

    /** A host's password login and reset, as the README shows them. */
    static final class HostLogin {
        private final UserStore store;
        private final Map<String, String> passwords;   // the host's own password table: user key -> password

        HostLogin(UserStore store, Map<String, String> passwords) {
            this.store = store;
            this.passwords = passwords;
        }

        // README snippet: begin
        /** POST /login with a username and password. */
        String passwordLogin(String username, String password) {
            Optional<User> found = store.findUserByUsername(username);
            if (found.isEmpty() || !found.get().active()) {
                return "refused";
            }
            User user = found.get();
            if (user.credentials() == CredentialPolicy.SSO_ONLY) {
                return "redirect:/sso/login";      // never check a local password, even one stored before
            }
            return password.equals(passwords.get(user.key())) ? "signed-in" : "refused";   // or an LDAP bind
        }

        /** POST /forgot-password and "set a password": no e-mail, no token for SSO-only users. */
        String requestPasswordReset(String username) {
            Optional<User> user = store.findUserByUsername(username);
            if (user.isPresent() && user.get().isSsoOnly()) {
                return "This account signs in through your organisation's single sign-on.";
            }
            user.ifPresent(u -> sendResetMail(u));
            return "If the account exists, we sent an e-mail.";
        }
        // README snippet: end

        int mailsSent;

        private void sendResetMail(User u) {
            mailsSent++;
        }
    }

    @Test
    void anSsoOnlyUserIsSentToTheIdpAndGetsNoResetMailALocalUserSignsIn() {
        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store).source(Source.builder("scim").build()).build();
        String sso = engine.push("scim").upsertUser(SourceUser.builder("e1").loginName("amy").build()).key();
        User local = store.createUser(User.builder("admin").build());
        HostLogin host = new HostLogin(store, Map.of(sso, "pw-set-before", local.key(), "pw"));

        assertThat(host.passwordLogin("amy", "pw-set-before")).isEqualTo("redirect:/sso/login");
        assertThat(host.requestPasswordReset("amy")).contains("single sign-on");
        assertThat(host.mailsSent).isZero();

        assertThat(host.passwordLogin("admin", "pw")).isEqualTo("signed-in");
        assertThat(host.passwordLogin("admin", "wrong")).isEqualTo("refused");
        host.requestPasswordReset("admin");
        assertThat(host.mailsSent).isEqualTo(1);
    }
}
