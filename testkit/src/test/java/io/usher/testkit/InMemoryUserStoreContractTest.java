package io.usher.testkit;

import io.usher.core.spi.UserStore;
import io.usher.core.store.InMemoryUserStore;
import org.junit.jupiter.api.Nested;

class InMemoryUserStoreContractTest extends UserStoreContract {
    @Override
    protected UserStore newStore() {
        return new InMemoryUserStore();
    }

    @Nested
    class Flat extends UserStoreContract {
        @Override
        protected UserStore newStore() {
            return InMemoryUserStore.flat();
        }
    }
}
