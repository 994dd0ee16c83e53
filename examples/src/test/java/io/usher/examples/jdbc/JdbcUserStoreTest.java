package io.usher.examples.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.UsherException;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What JdbcUserStore adds beyond the UserStore contract: last logins, stored values, error messages. */
class JdbcUserStoreTest {
    private final Database db = Database.pooled("jdbc:h2:mem:jdbc-store-extras;LOCK_TIMEOUT=10000", "sa", "", 4);
    private final JdbcUserStore store = JdbcUserStore.create(db).createSchema();

    @AfterEach
    void close() {
        db.close();
    }

    private static User synced(String name, String id) {
        return User.builder(name).origin(Origin.of("corp", id)).build();
    }

    @Test
    void lastLoginIsRecordedAndFindsUsersWhoStoppedLoggingIn() {
        User active = store.createUser(synced("active", "1"));
        User stale = store.createUser(synced("stale", "2"));
        User never = store.createUser(synced("never", "3"));
        store.createUser(synced("gone", "4").withActive(false));
        Instant now = Instant.parse("2026-11-29T08:00:00Z");
        store.recordLogin(active.key(), now.minusSeconds(3600));
        store.recordLogin(stale.key(), now.minusSeconds(90L * 86400));

        assertThat(store.lastLogin(active.key())).contains(now.minusSeconds(3600));
        assertThat(store.lastLogin(never.key())).isEmpty();
        assertThat(store.activeUsersWithoutLoginSince("corp", now.minusSeconds(30L * 86400)))
                .containsExactly(stale.key(), never.key());
        assertThat(store.recordLogin("u999999", now)).isFalse();
        assertThat(store.recordLogin("not-a-key", now)).isFalse();
    }

    @Test
    void emailsAndMultiValuedAttributesRoundTrip() {
        User u = store.createUser(User.builder("multi").email("a@x.example").email("b@x.example")
                .attribute("title", "Engineer", "Lead").attribute("note", "quotes \" and \\ and ünïcödé").build());

        User read = store.findUser(u.key()).orElseThrow();
        assertThat(read.emails()).containsExactly("a@x.example", "b@x.example");
        assertThat(read.attributes()).isEqualTo(Map.of("title", List.of("Engineer", "Lead"),
                "note", List.of("quotes \" and \\ and ünïcödé")));
    }

    @Test
    void keysOfTheWrongKindOrShapeFindNothing() {
        User u = store.createUser(synced("alice", "1"));

        assertThat(store.findGroup(u.key())).isEmpty();
        assertThat(store.findUser("g" + u.key().substring(1))).isEmpty();
        assertThat(store.findUser("u99999999999999999999")).isEmpty();
        assertThat(store.deleteUser("x")).isFalse();
    }

    @Test
    void storeFailuresNameTheOperationNeverTheValues() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE usher_group_users");
            s.execute("DROP TABLE usher_users");
        }

        assertThatThrownBy(() -> store.createUser(synced("Very.Private.Name", "ext-secret-id")))
                .isInstanceOfSatisfying(UsherException.class, e -> assertThat(e.code()).isEqualTo(UsherException.Code.STORE))
                .hasMessageContaining("creating a user failed (SQLState")
                .hasMessageNotContaining("Very.Private.Name")
                .hasMessageNotContaining("ext-secret-id")
                .hasNoCause();
    }
}
