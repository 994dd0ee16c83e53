package io.usher.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import io.usher.core.spi.UserStore;
import io.usher.core.store.InMemoryUserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A new group's members reach the store in one {@code addMembers} call; each still counts, is heard by
 * listeners and is planned as one change, and a member the store refuses is found and reported alone.
 */
class MemberBatchTest {

    private static ListConnector org() {
        return new ListConnector().user("1", "alice").user("2", "bob").user("3", "carol")
                .group("g1", "staff", List.of("1", "2", "3"), List.of());
    }

    /** A listener that keeps the MEMBER_ADDED changes it hears. */
    private static SyncListener membersAddedInto(List<Change> heard) {
        return new SyncListener() {
            @Override
            public void onChange(String runId, Change change) {
                if (change.kind() == ChangeKind.MEMBER_ADDED) {
                    heard.add(change);
                }
            }
        };
    }

    @Test
    void listenersAndPlansStillSeeOneChangePerMember() {
        InMemoryUserStore store = new InMemoryUserStore();
        List<Change> heard = new ArrayList<>();
        ProvisioningEngine e = ProvisioningEngine.builder().store(store)
                .source(Source.builder("corp").connector(org()).build())
                .listener(membersAddedInto(heard)).build();
        assertThat(e.plan("corp").changes()).filteredOn(c -> c.kind() == ChangeKind.MEMBER_ADDED)
                .extracting(Change::memberName).containsExactlyInAnyOrder("alice", "bob", "carol");
        SyncReport r = e.synchronize("corp");
        assertThat(r.count(ChangeKind.MEMBER_ADDED)).isEqualTo(3);
        assertThat(heard).extracting(Change::memberName).containsExactlyInAnyOrder("alice", "bob", "carol");
        assertThat(heard).extracting(Change::name).containsOnly("staff");
    }

    @Test
    void membershipEventsNameCreatedUsersWithoutReadingThemBackFromTheStore() {
        InMemoryUserStore delegate = new InMemoryUserStore();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        // a store where each read by key costs (a database, a packed form): the engine knows the names it wrote
        UserStore store = (UserStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {UserStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("findUser")) {
                        reads.incrementAndGet();
                    }
                    try {
                        return m.invoke(delegate, args);
                    } catch (java.lang.reflect.InvocationTargetException x) {
                        throw x.getCause();
                    }
                });
        List<Change> heard = new ArrayList<>();
        ProvisioningEngine e = ProvisioningEngine.builder().store(store)
                .source(Source.builder("corp").connector(org()).build())
                .listener(membersAddedInto(heard)).build();
        e.synchronize("corp");
        assertThat(heard).extracting(Change::memberName).containsExactlyInAnyOrder("alice", "bob", "carol");
        assertThat(reads).hasValue(0);
    }

    @Test
    void aMemberTheStoreRefusesIsReportedAloneAndTheOthersAreAdded() {
        InMemoryUserStore delegate = new InMemoryUserStore();
        // the store as a host might write it: addMembers and apply left to the SPI's defaults, one member refused
        UserStore store = (UserStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {UserStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("addMember")
                            && delegate.findUser((String) args[2]).map(User::username).orElse("").equals("bob")) {
                        throw new UsherException(UsherException.Code.INVALID, "the host refuses this member");
                    }
                    if (m.getName().equals("addMembers") || m.getName().equals("apply")) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, m, args);
                    }
                    try {
                        return m.invoke(delegate, args);
                    } catch (java.lang.reflect.InvocationTargetException x) {
                        throw x.getCause();
                    }
                });
        ProvisioningEngine e = ProvisioningEngine.builder().store(store)
                .source(Source.builder("corp").connector(org()).build()).build();
        SyncReport r = e.synchronize("corp");
        assertThat(r.count(ChangeKind.MEMBER_ADDED)).isEqualTo(2);
        assertThat(r.failureCount()).isEqualTo(1);
        assertThat(r.failures().get(0).subject()).isEqualTo("staff");
        assertThat(r.failures().get(0).message()).contains("MEMBER_ADDED failed", "refuses this member");
        Group staff = delegate.findGroupByName("staff").orElseThrow();
        assertThat(delegate.members(staff.key(), MemberKind.USER)).extracting(k -> delegate.findUser(k)
                .orElseThrow().username()).containsExactlyInAnyOrder("alice", "carol");
    }

    @Test
    void aStoreThatFailsTheWholeBatchFailsEachMemberWithoutRetry() {
        InMemoryUserStore delegate = new InMemoryUserStore();
        int[] applies = {0};
        UserStore store = (UserStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {UserStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("apply")) {
                        List<?> ops = (List<?>) args[0];
                        if (ops.stream().anyMatch(op -> op instanceof io.usher.core.spi.StoreOperation.AddMembers)) {
                            applies[0]++;
                            throw new IllegalStateException("database down");
                        }
                    }
                    try {
                        return m.invoke(delegate, args);
                    } catch (java.lang.reflect.InvocationTargetException x) {
                        throw x.getCause();
                    }
                });
        SyncReport r = ProvisioningEngine.builder().store(store)
                .source(Source.builder("corp").connector(org()).build()).build().synchronize("corp");
        assertThat(r.count(ChangeKind.USER_CREATED)).isEqualTo(3);
        assertThat(r.count(ChangeKind.MEMBER_ADDED)).isZero();
        assertThat(r.failureCount()).isEqualTo(3);
        assertThat(r.failures()).allSatisfy(f -> {
            assertThat(f.code()).isEqualTo(UsherException.Code.STORE);
            assertThat(f.message()).isEqualTo("MEMBER_ADDED failed: the store failed with IllegalStateException");
        });
        assertThat(applies[0]).isEqualTo(1);
        assertThat(r.cursorSaved()).isFalse();
    }
}
