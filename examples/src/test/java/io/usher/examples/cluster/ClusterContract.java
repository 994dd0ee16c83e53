package io.usher.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.Change;
import io.usher.core.ChangeKind;
import io.usher.core.PushResult;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SourcePush;
import io.usher.core.SyncListener;
import io.usher.core.SyncMode;
import io.usher.core.SyncReport;
import io.usher.core.UsherException;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.spi.SourceUser;
import io.usher.core.store.JdbcSyncLock;
import io.usher.core.store.JdbcSyncStateStore;
import io.usher.examples.jdbc.Database;
import io.usher.examples.jdbc.JdbcUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.InMemorySourceConnector;
import io.usher.testkit.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Clustered hosts: several nodes, one database as the only coordinator. Each node has its own connection
 * pool, {@link JdbcUserStore}, {@link JdbcSyncStateStore}, {@link JdbcSyncLock} and engine, as separate
 * processes would; subclasses give the database (H2 in server mode, PostgreSQL).
 */
abstract class ClusterContract {
    static final String SOURCE = "corp";
    static final Duration LEASE = Duration.ofMinutes(5);

    /** A JDBC URL of a new, empty database (or schema) for one test. */
    protected abstract String freshDatabase();

    /** Frees what {@link #freshDatabase()} made. */
    protected void dropDatabase(String url) {}

    /** One application node. */
    final class Node implements AutoCloseable {
        final String id;
        final Database db;
        final JdbcUserStore store;
        final JdbcSyncStateStore state;
        final JdbcSyncLock lock;
        final ProvisioningEngine engine;

        Node(String id, String url, InMemoryDirectory dir, Clock clock, Queue log) {
            this.id = id;
            this.db = Database.pooled(url, null, null, 8);
            this.store = JdbcUserStore.create(db).createSchema();
            this.state = JdbcSyncStateStore.create(db).createSchema();
            this.lock = JdbcSyncLock.builder(db).nodeId(id).lease(LEASE).clock(clock).build().createSchema();
            ProvisioningEngine.Builder b = ProvisioningEngine.builder().store(store)
                    .stateStore(lock.fenced(state)).listener(lock.renewer())
                    .listener(new SyncListener() {
                        @Override
                        public void onChange(String runId, Change change) {
                            log.add(new Applied(id, change));
                        }
                    })
                    .source(Source.builder("scim").build());
            if (dir != null) {
                b.source(Source.builder(SOURCE).connector(InMemorySourceConnector.of(dir, 100)).build());
            }
            this.engine = b.build();
        }

        Optional<SyncReport> sync() {
            return lock.synchronize(engine, SOURCE);
        }

        @Override
        public void close() {
            engine.close();
            db.close();
        }
    }

    record Applied(String node, Change change) {}

    static final class Queue extends ConcurrentLinkedQueue<Applied> {
        private static final long serialVersionUID = 1L;
    }

    /** Builds the nodes one after another (schema creation is not meant to race), runs the test, cleans up. */
    private void withNodes(InMemoryDirectory dir, Clock clock, Queue log, int count, NodesTest test) throws Exception {
        String url = freshDatabase();
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                nodes.add(new Node("node-" + (char) ('a' + i), url, dir, clock, log));
            }
            test.run(nodes, url);
        } finally {
            nodes.forEach(Node::close);
            dropDatabase(url);
        }
    }

    @FunctionalInterface
    interface NodesTest {
        void run(List<Node> nodes, String url) throws Exception;
    }

    // ------------------------------------------------------------------ tests

    @Test
    void twoEnginesOnTwoThreadsNeverDoubleApplyAndNeverLoseTheCursor() throws Exception {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(21).users(150).groups(12).build().generate();
        Queue log = new Queue();
        withNodes(dir, Clock.systemUTC(), log, 2, (nodes, url) -> {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<SyncReport> reports = new ArrayList<>();
            int renames = 0;
            int hires = 0;
            try {
                for (int round = 0; round < 8; round++) {
                    if (round > 0) {
                        List<DirectoryUser> users = dir.users().collect(Collectors.toList());
                        dir.addUser(DirectoryUser.builder("hire-" + round).displayName("Hire " + round).build());
                        hires++;
                        dir.renameUser(users.get(round * 7).id(), "renamed-" + round);
                        renames++;
                        dir.disableUser(users.get(round * 7 + 1).id());
                        dir.deleteUser(users.get(round * 7 + 2).id());
                        List<DirectoryGroup> groups = dir.groups().collect(Collectors.toList());
                        dir.addMember(groups.get(round % groups.size()).id(), io.usher.core.model.MemberKind.USER,
                                users.get(round * 7 + 3).id());
                    }
                    CyclicBarrier go = new CyclicBarrier(2);
                    List<Future<Optional<SyncReport>>> runs = new ArrayList<>();
                    for (Node n : nodes) {
                        runs.add(pool.submit(() -> {
                            go.await(30, TimeUnit.SECONDS);
                            return n.sync();
                        }));
                    }
                    for (Future<Optional<SyncReport>> f : runs) {
                        f.get(120, TimeUnit.SECONDS).ifPresent(reports::add);
                    }
                }
            } finally {
                pool.shutdownNow();
            }

            for (SyncReport r : reports) {
                assertThat(r.complete()).as("complete read").isTrue();
                assertThat(r.failureCount()).as("no failures (a double apply would conflict): %s", r.failures()).isZero();
            }
            // no lost cursor: only the very first run read a snapshot; every later run, on either node,
            // continued from the cursor the other may have saved
            assertThat(reports.get(0).mode()).isEqualTo(SyncMode.SNAPSHOT);
            assertThat(reports.subList(1, reports.size())).allSatisfy(r -> assertThat(r.mode())
                    .isEqualTo(SyncMode.INCREMENTAL));

            // no double apply: each user created exactly once, each rename applied exactly once
            Map<Origin, Long> creates = count(log, ChangeKind.USER_CREATED);
            assertThat(creates).hasSize(150 + hires);
            assertThat(creates.values()).allSatisfy(n -> assertThat(n).isEqualTo(1L));
            assertThat(count(log, ChangeKind.USER_RENAMED).values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(renames);

            // the store (read through either node) is the directory
            for (Node n : nodes) {
                for (DirectoryUser u : dir.users().collect(Collectors.toList())) {
                    User stored = n.store.findUserByOrigin(Origin.of(SOURCE, u.id())).orElseThrow();
                    assertThat(stored.username()).isEqualTo(u.loginName());
                    assertThat(stored.active()).isEqualTo(u.enabled());
                }
            }
            assertThat(nodes.get(0).state.cursor(SOURCE)).isPresent();
            assertThat(nodes.get(1).sync()).hasValueSatisfying(r -> {
                assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
                assertThat(r.totalChanges()).isZero();
            });
        });
    }

    @Test
    void aDeadNodesLockIsTakenOverAfterLeaseExpiryAndCursorsAreShared() throws Exception {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(22).users(80).groups(6).build().generate();
        ManualClock clock = new ManualClock();
        Queue log = new Queue();
        withNodes(dir, clock, log, 2, (nodes, url) -> {
            Node a = nodes.get(0);
            Node b = nodes.get(1);
            JdbcSyncLock.Lease dying = a.lock.tryAcquire(SOURCE).orElseThrow(); // node A dies holding the lock

            assertThat(b.sync()).as("the lease is live: B skips").isEmpty();
            assertThat(b.lock.holder(SOURCE)).hasValueSatisfying(h -> assertThat(h.nodeId()).isEqualTo("node-a"));
            clock.advance(LEASE.minusSeconds(1));
            assertThat(b.sync()).isEmpty();

            clock.advance(Duration.ofSeconds(2));
            SyncReport taken = b.sync().orElseThrow();
            assertThat(taken.mode()).isEqualTo(SyncMode.SNAPSHOT);
            assertThat(taken.count(ChangeKind.USER_CREATED)).isEqualTo(80);
            assertThat(dying.renew()).as("A's old lease is gone").isFalse();
            assertThat(b.lock.holder(SOURCE)).hasValueSatisfying(h -> assertThat(h.live()).isFalse()); // released

            // a new node (a restart) continues from B's cursor
            DirectoryUser renamed = dir.users().findFirst().orElseThrow();
            dir.renameUser(renamed.id(), "renamed-after-takeover");
            try (Node restarted = new Node("node-a-restarted", url, dir, clock, log)) {
                SyncReport next = restarted.sync().orElseThrow();
                assertThat(next.mode()).isEqualTo(SyncMode.INCREMENTAL);
                assertThat(next.count(ChangeKind.USER_RENAMED)).isEqualTo(1);
                assertThat(next.totalChanges()).isEqualTo(1);
            }
        });
    }

    @Test
    void concurrentScimWritesThroughTwoEnginesNeedOnlyTheStoresTransactions() throws Exception {
        Queue log = new Queue();
        withNodes(null, Clock.systemUTC(), log, 2, (nodes, url) -> {
            int threads = 4; // two per engine
            int own = 40;
            int shared = 20;
            Map<String, Integer> conflicts = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CyclicBarrier go = new CyclicBarrier(threads);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    SourcePush push = nodes.get(t % 2).engine.push("scim");
                    done.add(pool.submit(() -> {
                        go.await(30, TimeUnit.SECONDS);
                        for (int i = 0; i < own + shared; i++) {
                            // each thread: its own users, then the same shared users as every other thread
                            String ext = i < own ? "t" + thread + "-" + i : "shared-" + (i - own);
                            SourceUser u = SourceUser.builder(ext).loginName(ext).displayName("from thread " + thread)
                                    .build();
                            try {
                                PushResult r = push.upsertUser(u);
                                assertThat(r.key()).isNotNull();
                            } catch (UsherException e) {
                                // two engines creating one new externalId at once: the store lets one win
                                assertThat(e.code()).isEqualTo(UsherException.Code.CONFLICT);
                                conflicts.merge(ext, 1, Integer::sum);
                                push.upsertUser(u); // a SCIM client's retry: now an update
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            try (var users = nodes.get(0).store.usersOwnedBy("scim")) {
                List<User> all = users.collect(Collectors.toList());
                assertThat(all).hasSize(threads * own + shared);
                assertThat(all.stream().map(u -> u.origin().externalId()).collect(Collectors.toSet()))
                        .hasSize(threads * own + shared);
            }
            Map<Origin, Long> creates = count(log, ChangeKind.USER_CREATED);
            assertThat(creates).hasSize(threads * own + shared);
            assertThat(creates.values()).allSatisfy(n -> assertThat(n).isEqualTo(1L));
            assertThat(conflicts.keySet()).allSatisfy(k -> assertThat(k).startsWith("shared-"));
        });
    }

    @Test
    void ofEightNodesRacingForOneSourceExactlyOneTakesTheLock() throws Exception {
        withNodes(null, Clock.systemUTC(), new Queue(), 1, (nodes, url) -> {
            List<JdbcSyncLock> locks = new ArrayList<>();
            List<Database> pools = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Database db = Database.pooled(url, null, null, 2);
                    pools.add(db);
                    locks.add(JdbcSyncLock.builder(db).nodeId("racer-" + i).lease(LEASE).build());
                }
                ExecutorService pool = Executors.newFixedThreadPool(locks.size());
                try {
                    for (int round = 0; round < 5; round++) {
                        String source = "race-" + round;
                        CyclicBarrier go = new CyclicBarrier(locks.size());
                        List<Future<Boolean>> won = new ArrayList<>();
                        for (JdbcSyncLock l : locks) {
                            won.add(pool.submit(() -> {
                                go.await(30, TimeUnit.SECONDS);
                                return l.tryAcquire(source).isPresent();
                            }));
                        }
                        int winners = 0;
                        for (Future<Boolean> f : won) {
                            winners += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
                        }
                        assertThat(winners).as("round %d", round).isEqualTo(1);
                    }
                } finally {
                    pool.shutdownNow();
                }
            } finally {
                pools.forEach(Database::close);
            }
        });
    }

    @Test
    void aNodeWhoseLeaseExpiredMidRunCannotOverwriteTheNewHoldersCursor() throws Exception {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(23).users(40).groups(6).build().generate();
        ManualClock clock = new ManualClock();
        withNodes(dir, clock, new Queue(), 2, (nodes, url) -> {
            Node b = nodes.get(1);
            String[] cursorOfB = new String[1];
            // node A pauses after applying its changes, before saving its cursor (a GC pause, a hung network),
            // long enough for its lease to expire and B to sync
            Runnable pause = () -> {
                clock.advance(LEASE.plusSeconds(1));
                assertThat(b.sync()).hasValueSatisfying(r -> assertThat(r.cursorSaved()).isTrue());
                cursorOfB[0] = b.state.cursor(SOURCE).orElseThrow();
                dir.addUser(DirectoryUser.builder("hired-while-a-paused").build());
            };
            JdbcSyncLock lockA = nodes.get(0).lock;
            try (ProvisioningEngine pausing = ProvisioningEngine.builder().store(nodes.get(0).store).batchSize(1)
                    .stateStore(lockA.fenced(nodes.get(0).state))
                    .source(Source.builder(SOURCE).connector(new PausingConnector(InMemorySourceConnector.of(dir), pause))
                            .build()).build()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> lockA.synchronize(pausing, SOURCE))
                        .isInstanceOfSatisfying(UsherException.class,
                                e -> assertThat(e.code()).isEqualTo(UsherException.Code.BUSY))
                        .hasMessageContaining("lost its sync lease");
            }
            assertThat(b.state.cursor(SOURCE)).as("B's cursor stands").contains(cursorOfB[0]);
            // and the next run continues from it: it sees the hire, once
            SyncReport next = b.sync().orElseThrow();
            assertThat(next.mode()).isEqualTo(SyncMode.INCREMENTAL);
            assertThat(next.count(ChangeKind.USER_CREATED)).isEqualTo(1);
            assertThat(next.totalChanges()).isEqualTo(1);
            assertThat(b.store.findUserByUsername("hired-while-a-paused")).isPresent();
        });
    }

    /** Delegates to a connector and runs a hook once, when a snapshot has sent everything but its cursor. */
    static final class PausingConnector implements io.usher.core.spi.SourceConnector,
            io.usher.core.spi.IncrementalSource, io.usher.core.spi.NestedGroupSource {
        private final InMemorySourceConnector delegate;
        private Runnable hook;

        PausingConnector(InMemorySourceConnector delegate, Runnable hook) {
            this.delegate = delegate;
            this.hook = hook;
        }

        @Override
        public String type() {
            return delegate.type();
        }

        @Override
        public void snapshot(io.usher.core.spi.SnapshotSink sink) throws io.usher.core.spi.SourceException {
            delegate.snapshot(new io.usher.core.spi.SnapshotSink() {
                @Override
                public void user(SourceUser user) {
                    sink.user(user);
                }

                @Override
                public void group(io.usher.core.spi.SourceGroup group) {
                    sink.group(group);
                }

                @Override
                public void cursor(String cursor) {
                    Runnable h = hook;
                    hook = null;
                    if (h != null) {
                        h.run();
                    }
                    sink.cursor(cursor);
                }

                @Override
                public void unreadable(io.usher.core.model.MemberKind kind, String externalId, String reason) {
                    sink.unreadable(kind, externalId, reason);
                }

                @Override
                public void progress(long read, long total) {
                    sink.progress(read, total);
                }
            });
        }

        @Override
        public void changes(String cursor, io.usher.core.spi.ChangeSink sink) throws io.usher.core.spi.SourceException {
            delegate.changes(cursor, sink);
        }
    }

    private static Map<Origin, Long> count(Queue log, ChangeKind kind) {
        Map<Origin, Long> out = new HashMap<>();
        for (Applied a : log) {
            if (a.change().kind() == kind) {
                out.merge(a.change().origin(), 1L, Long::sum);
            }
        }
        return out;
    }

    static Set<String> nodeIds(Queue log) {
        return log.stream().map(Applied::node).collect(Collectors.toSet());
    }
}
