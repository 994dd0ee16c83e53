package io.usher.core.store;

import io.usher.core.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.ChangeKind;
import io.usher.core.ConfigException;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncReport;
import io.usher.core.UsherException;
import io.usher.core.spi.ChangeSink;
import io.usher.core.spi.IncrementalSource;
import io.usher.core.spi.SnapshotSink;
import io.usher.core.spi.SourceConnector;
import io.usher.core.spi.SourceUser;
import io.usher.core.spi.SyncStateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class JdbcSyncLockTest {
    private static final Duration LEASE = Duration.ofMinutes(5);
    private final DataSource db = H2.fresh();
    private final MovableClock clock = new MovableClock();
    private final JdbcSyncLock nodeA = lock("node-a");
    private final JdbcSyncLock nodeB = lock("node-b");

    private JdbcSyncLock lock(String node) {
        return JdbcSyncLock.builder(db).nodeId(node).lease(LEASE).clock(clock).build().createSchema();
    }

    @Test
    void oneNodeHoldsASourceAtATime() {
        Optional<JdbcSyncLock.Lease> a = nodeA.tryAcquire("corp");

        assertThat(a).isPresent();
        assertThat(nodeB.tryAcquire("corp")).isEmpty();
        assertThat(nodeA.tryAcquire("corp")).as("not re-entrant: a second run on the same node waits too").isEmpty();
        assertThat(nodeB.tryAcquire("other")).as("other sources are independent").isPresent();
        assertThat(nodeB.holder("corp")).hasValueSatisfying(h -> {
            assertThat(h.nodeId()).isEqualTo("node-a");
            assertThat(h.live()).isTrue();
            assertThat(h.expiresAt()).isEqualTo(clock.instant().plus(LEASE));
        });
    }

    @Test
    void releaseFreesTheLockAtOnce() {
        JdbcSyncLock.Lease a = nodeA.tryAcquire("corp").orElseThrow();
        a.close();

        assertThat(nodeB.tryAcquire("corp")).isPresent();
    }

    @Test
    void aDeadNodesLockIsTakenOverAfterLeaseExpiry() {
        JdbcSyncLock.Lease dead = nodeA.tryAcquire("corp").orElseThrow(); // node A dies holding it

        clock.advance(LEASE.minusSeconds(1));
        assertThat(nodeB.tryAcquire("corp")).as("lease still live").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        JdbcSyncLock.Lease b = nodeB.tryAcquire("corp").orElseThrow();
        assertThat(b.token()).isGreaterThan(dead.token());

        // node A wakes up: it can neither renew nor release B's lock
        assertThat(dead.renew()).isFalse();
        assertThat(dead.isHeld()).isFalse();
        dead.close();
        assertThat(b.isHeld()).isTrue();
        assertThat(nodeA.tryAcquire("corp")).isEmpty();
    }

    @Test
    void renewalKeepsALongRunsLock() {
        JdbcSyncLock.Lease a = nodeA.tryAcquire("corp").orElseThrow();
        clock.advance(Duration.ofMinutes(4));
        assertThat(a.renew()).isTrue();
        clock.advance(Duration.ofMinutes(4)); // 8 minutes after acquisition, 4 after renewal

        assertThat(nodeB.tryAcquire("corp")).isEmpty();
        assertThat(a.isHeld()).isTrue();
        assertThat(a.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
    }

    @Test
    void ofManyNodesRacingExactlyOneWins() throws Exception {
        int nodes = 8;
        List<JdbcSyncLock> locks = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            locks.add(lock("racer-" + i));
        }
        for (int round = 0; round < 5; round++) {
            String source = "race-" + round;
            ExecutorService pool = Executors.newFixedThreadPool(nodes);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (JdbcSyncLock l : locks) {
                    Callable<Boolean> c = () -> {
                        go.await();
                        return l.tryAcquire(source).isPresent();
                    };
                    results.add(pool.submit(c));
                }
                go.countDown();
                int winners = 0;
                for (Future<Boolean> f : results) {
                    winners += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners).as("round " + round).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void theFencedStateStoreSavesOnlyUnderALiveLease() {
        JdbcSyncStateStore state = JdbcSyncStateStore.create(db).createSchema();
        SyncStateStore fencedA = nodeA.fenced(state);

        assertThatThrownBy(() -> fencedA.saveCursor("corp", "c1"))
                .isInstanceOfSatisfying(UsherException.class, e -> assertThat(e.code()).isEqualTo(UsherException.Code.BUSY))
                .hasMessageContaining("holds no sync lease");
        assertThat(state.cursor("corp")).isEmpty();
    }

    @Test
    void aNodeThatLostItsLeaseCannotOverwriteTheNewHoldersCursor() {
        JdbcSyncStateStore state = JdbcSyncStateStore.create(db).createSchema();
        SlowSource slow = new SlowSource();
        ProvisioningEngine engineA = engine(nodeA, state, slow);
        // node A's run pauses mid-read (a GC pause, a hung network); meanwhile its lease expires and B syncs
        slow.duringRead = () -> {
            clock.advance(LEASE.plusSeconds(1));
            ProvisioningEngine engineB = engine(nodeB, state, new SlowSource());
            assertThat(nodeB.synchronize(engineB, "corp")).hasValueSatisfying(r -> assertThat(r.cursorSaved()).isTrue());
        };

        assertThatThrownBy(() -> nodeA.synchronize(engineA, "corp"))
                .isInstanceOfSatisfying(UsherException.class, e -> assertThat(e.code()).isEqualTo(UsherException.Code.BUSY))
                .hasMessageContaining("lost its sync lease");
        assertThat(state.cursor("corp")).contains("cursor-from-node-b-run");
        assertThat(nodeA.holder("corp")).hasValueSatisfying(h -> assertThat(h.live()).isFalse()); // B released it
    }

    @Test
    void theRenewerKeepsAProgressingRunsLeaseAliveBeyondItsLength() {
        JdbcSyncStateStore state = JdbcSyncStateStore.create(db).createSchema();
        SlowSource slow = new SlowSource();
        boolean[] bRefused = new boolean[2];
        slow.progressing = sink -> {
            clock.advance(Duration.ofMinutes(4));
            for (int i = 0; i < 1000; i++) { // the engine reports progress every 1000 records: 4 min > lease / 3
                sink.user(SourceUser.builder("bulk-" + i).loginName("bulk" + i).build());
            }
            clock.advance(Duration.ofMinutes(4)); // 8 minutes after acquisition: alive only if renewed
            bRefused[0] = nodeB.tryAcquire("corp").isEmpty();
        };
        ProvisioningEngine engineA = engine(nodeA, state, slow);

        Optional<SyncReport> report = nodeA.synchronize(engineA, "corp");

        assertThat(bRefused[0]).as("B could not take the renewed lease").isTrue();
        assertThat(report).hasValueSatisfying(r -> assertThat(r.cursorSaved()).isTrue());
        assertThat(state.cursor("corp")).contains("cursor-from-node-a-run");
    }

    @Test
    void synchronizeRunsUnderTheLockAndReleasesIt() {
        JdbcSyncStateStore state = JdbcSyncStateStore.create(db).createSchema();
        SlowSource source = new SlowSource();
        ProvisioningEngine engineA = engine(nodeA, state, source);

        Optional<SyncReport> first = nodeA.synchronize(engineA, "corp");

        assertThat(first).hasValueSatisfying(r -> assertThat(r.count(ChangeKind.USER_CREATED)).isEqualTo(1));
        assertThat(state.cursor("corp")).contains("cursor-from-node-a-run");
        assertThat(nodeB.tryAcquire("corp")).as("released after the run").isPresent();
        assertThat(nodeA.synchronize(engineA, "corp")).as("B holds it now: A skips").isEmpty();
        assertThat(source.reads.get()).isEqualTo(1);
    }

    @Test
    void builderRejectsBadSettingsNamingTheKey() {
        assertThatThrownBy(() -> JdbcSyncLock.builder(db).lease(Duration.ofMillis(500)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("lease"));
        assertThatThrownBy(() -> JdbcSyncLock.builder(db).nodeId(" "))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("nodeId"));
        assertThat(JdbcSyncLock.builder(db).build().nodeId()).isNotBlank();
    }

    private ProvisioningEngine engine(JdbcSyncLock lock, JdbcSyncStateStore state, SourceConnector connector) {
        return ProvisioningEngine.builder().store(new InMemoryUserStore()).stateStore(lock.fenced(state))
                .listener(lock.renewer()).source(Source.builder("corp").connector(connector).build()).build();
    }

    /** One user; the snapshot ends with a cursor naming the reading node; a hook runs mid-read. */
    private final class SlowSource implements SourceConnector, IncrementalSource {
        Runnable duringRead = () -> { };
        java.util.function.Consumer<SnapshotSink> progressing = sink -> { };
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public String type() {
            return "slow";
        }

        @Override
        public void snapshot(SnapshotSink sink) {
            reads.incrementAndGet();
            sink.user(SourceUser.builder("id-1").loginName("alice").build());
            duringRead.run();
            progressing.accept(sink);
            boolean byA = nodeA.holder("corp").map(h -> h.live() && h.nodeId().equals("node-a")).orElse(false);
            sink.cursor(byA ? "cursor-from-node-a-run" : "cursor-from-node-b-run");
        }

        @Override
        public void changes(String cursor, ChangeSink sink) {
            sink.cursor(cursor);
        }
    }
}
