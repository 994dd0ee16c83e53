package io.usher.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.UsherException;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class JdbcSyncStateStoreTest {
    private final DataSource db = H2.fresh();
    private final JdbcSyncStateStore store = JdbcSyncStateStore.create(db).createSchema();

    @Test
    void anUnknownSourceHasNoCursor() {
        assertThat(store.cursor("corp")).isEmpty();
    }

    @Test
    void aSavedCursorIsReadBackAndOverwritten() {
        store.saveCursor("corp", "usn:100");
        assertThat(store.cursor("corp")).contains("usn:100");

        store.saveCursor("corp", "usn:250");
        assertThat(store.cursor("corp")).contains("usn:250");
        assertThat(store.cursor("other")).isEmpty();
    }

    @Test
    void clearRemovesOnlyThatSourcesCursor() {
        store.saveCursor("corp", "a");
        store.saveCursor("other", "b");

        store.clearCursor("corp");
        store.clearCursor("never-saved");

        assertThat(store.cursor("corp")).isEmpty();
        assertThat(store.cursor("other")).contains("b");
    }

    @Test
    void cursorsSurviveARestartAndAreSharedBetweenNodes() {
        store.saveCursor("corp", "delta-token-1");

        JdbcSyncStateStore afterRestart = JdbcSyncStateStore.create(db).createSchema(); // schema rerun is harmless
        assertThat(afterRestart.cursor("corp")).contains("delta-token-1");

        afterRestart.saveCursor("corp", "delta-token-2");
        assertThat(store.cursor("corp")).contains("delta-token-2");
    }

    @Test
    void longCursorsFit() {
        String cookie = "x".repeat(200_000); // DirSync cookies and delta links can be long
        store.saveCursor("corp", cookie);
        assertThat(store.cursor("corp")).contains(cookie);
    }

    @Test
    void failuresNameTheOperationAndSourceButNeverTheCursor() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + JdbcSyncStateStore.TABLE);
        }

        assertThatThrownBy(() -> store.saveCursor("corp", "secret-cookie-value"))
                .isInstanceOfSatisfying(UsherException.class, e -> {
                    assertThat(e.code()).isEqualTo(UsherException.Code.STORE);
                    assertThat(e.getMessage()).contains("saving the cursor of source 'corp'").contains("SQLState")
                            .doesNotContain("secret-cookie-value");
                    assertThat(e.getCause()).isNull();
                });
    }
}
