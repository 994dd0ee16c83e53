package io.usher.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.store.InMemoryUserStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A user created and renamed in the same incremental read (a change log that reports both) is created once
 * and renamed; it failed with "origin is already taken" because the create was still queued. The run
 * remembers the names of the users it creates (58a0fb9), and the membership event names the user by its
 * last name, as the store has it.
 */
class CreatedUserNamesTest {

    @Test
    void aUserCreatedThenRenamedInOneIncrementalReadIsNamedByItsNewNameInItsMembershipEvent() {
        ListConnector org = new ListConnector().user("1", "alice").group("g", "staff", List.of("1"), List.of());
        InMemoryUserStore store = new InMemoryUserStore();
        List<Change> heard = new ArrayList<>();
        ProvisioningEngine e = ProvisioningEngine.builder().store(store)
                .source(Source.builder("corp").connector(org).build())
                .listener(new SyncListener() {
                    @Override
                    public void onChange(String runId, Change change) {
                        heard.add(change);
                    }
                }).build();
        e.synchronize("corp");
        heard.clear();

        org.user("2", "fresh").rename("2", "fresher").group("g", "staff", List.of("1", "2"), List.of());
        SyncReport r = e.synchronize("corp");

        assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(r.failures()).isEmpty();
        assertThat(r.count(ChangeKind.USER_CREATED)).isEqualTo(1);
        assertThat(r.count(ChangeKind.USER_RENAMED)).isEqualTo(1);
        assertThat(store.findUserByUsername("fresher")).isPresent();
        assertThat(store.findUserByUsername("fresh")).isEmpty();
        assertThat(heard).filteredOn(c -> c.kind() == ChangeKind.MEMBER_ADDED).extracting(Change::memberName)
                .containsExactly("fresher");
    }
}
