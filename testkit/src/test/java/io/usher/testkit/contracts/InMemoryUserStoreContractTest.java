package io.usher.testkit.contracts;

import io.usher.core.spi.UserStore;
import io.usher.core.store.InMemoryUserStore;
import io.usher.testkit.UserStoreContract;

/** Core's nested-groups {@link InMemoryUserStore} keeps every {@link UserStore} rule. */
class InMemoryUserStoreContractTest extends UserStoreContract {
    @Override
    protected UserStore newStore() {
        return new InMemoryUserStore();
    }
}
