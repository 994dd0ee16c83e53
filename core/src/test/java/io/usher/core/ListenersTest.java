package io.usher.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.store.InMemoryUserStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A listener that does not override {@code onChange} (a progress line) does not make a sync build an event
 * per change; one that does, however it is written, hears every change.
 */
class ListenersTest {
    private static class ChangeCounter implements SyncListener {
        final List<Change> heard = new ArrayList<>();

        @Override
        public void onChange(String runId, Change change) {
            heard.add(change);
        }
    }

    /** Inherits its onChange. */
    private static final class ProgressAndChanges extends ChangeCounter {
        final List<Progress> progress = new ArrayList<>();

        @Override
        public void onProgress(Progress p) {
            progress.add(p);
        }
    }

    @Test
    void onlyListenersThatOverrideOnChangeCountAsHearingChanges() {
        SyncListener progressOnly = new SyncListener() {
            @Override
            public void onProgress(Progress progress) {}
        };
        assertThat(new Listeners(List.of()).hearsChanges()).isFalse();
        assertThat(new Listeners(List.of(progressOnly)).hearsChanges()).isFalse();
        assertThat(new Listeners(List.of(progressOnly, new ChangeCounter())).hearsChanges()).isTrue();
        assertThat(new Listeners(List.of(new ProgressAndChanges())).hearsChanges()).isTrue();
        SyncListener lambdaLike = new SyncListener() {
            @Override
            public void onChange(String runId, Change change) {}
        };
        assertThat(new Listeners(List.of(lambdaLike)).hearsChanges()).isTrue();
    }

    /** A listener family whose onChange is a default method of an interface between it and SyncListener. */
    interface CountsChanges extends SyncListener {
        List<Change> heard();

        @Override
        default void onChange(String runId, Change change) {
            heard().add(change);
        }
    }

    /** A listener family that adds nothing to onChange. */
    interface FollowsProgress extends SyncListener {
        @Override
        void onProgress(Progress p);
    }

    @Test
    void anOnChangeFromAnInterfaceDefaultCountsAndAnInterfaceWithoutOneDoesNot() {
        List<Change> heard = new ArrayList<>();
        CountsChanges viaDefault = () -> heard;
        FollowsProgress progressOnly = p -> { };
        SyncListener proxy = (SyncListener) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SyncListener.class}, (self, m, args) -> null);
        assertThat(new Listeners(List.of(viaDefault)).hearsChanges()).isTrue();
        assertThat(new Listeners(List.of(progressOnly)).hearsChanges()).isFalse();
        assertThat(new Listeners(List.of(proxy)).hearsChanges()).isTrue(); // a proxy may do anything with a call

        ListConnector org = new ListConnector().user("1", "alice").group("g1", "staff", List.of("1"), List.of());
        ProvisioningEngine.builder().store(new InMemoryUserStore())
                .source(Source.builder("corp").connector(org).build()).listener(progressOnly).listener(viaDefault)
                .build().synchronize("corp");
        assertThat(heard).filteredOn(c -> c.kind() == ChangeKind.MEMBER_ADDED).extracting(Change::memberName)
                .containsExactly("alice");
    }

    @Test
    void aProgressOnlyListenerStillHearsProgressAndAnInheritedOnChangeHearsEveryMember() {
        ListConnector org = new ListConnector().user("1", "alice").user("2", "bob")
                .group("g1", "staff", List.of("1", "2"), List.of());
        List<Progress> progress = new ArrayList<>();
        ProgressAndChanges both = new ProgressAndChanges();
        ProvisioningEngine e = ProvisioningEngine.builder().store(new InMemoryUserStore())
                .source(Source.builder("corp").connector(org).build())
                .listener(new SyncListener() {
                    @Override
                    public void onProgress(Progress p) {
                        progress.add(p);
                    }
                })
                .listener(both).build();
        SyncReport r = e.synchronize("corp");
        assertThat(r.count(ChangeKind.MEMBER_ADDED)).isEqualTo(2);
        assertThat(progress).extracting(Progress::phase).contains(Progress.Phase.DONE);
        assertThat(both.progress).extracting(Progress::phase).contains(Progress.Phase.DONE);
        assertThat(both.heard).filteredOn(c -> c.kind() == ChangeKind.MEMBER_ADDED)
                .extracting(Change::memberName).containsExactlyInAnyOrder("alice", "bob");
    }
}
