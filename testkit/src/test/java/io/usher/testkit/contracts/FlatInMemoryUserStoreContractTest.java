package io.usher.testkit.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.spi.UserStore;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.UserStoreContract;
import org.junit.jupiter.api.Test;

/** Core's flat {@link InMemoryUserStore} keeps every {@link UserStore} rule; nested-group tests are skipped. */
class FlatInMemoryUserStoreContractTest extends UserStoreContract {
    @Override
    protected UserStore newStore() {
        return InMemoryUserStore.flat();
    }

    @Test
    void isFlat() {
        assertThat(store.supportsNestedGroups()).isFalse();
    }
}
