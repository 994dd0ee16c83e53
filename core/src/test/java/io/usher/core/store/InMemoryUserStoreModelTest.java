package io.usher.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.UsherException;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.spi.ConflictException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The store's user indexes (users by number, username and origin in {@link ObjIntMap}s, users per source in a
 * BitSet) and its batched member keys against a plain model, over random creates, updates (renames, case-only
 * renames, origin moves to another source, origin removed, conflicts), deletes and re-creates; and the
 * indexes seen by readers while a writer renames and moves users.
 */
class InMemoryUserStoreModelTest {
    private static final String[] NAMES = {"alice", "Alice", "ALICE", "bob", "Bob", "\u00c4rger", "\u00e4rger",
        "carol", "dave", "eve", "Eve", "frank", "x1", "X1", "\u00e9lan", "\u00c9LAN", "g", "h", "i", "j"};
    private static final String[] SOURCES = {"s1", "s2", "s3"};

    private static String fold(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static Origin randomOrigin(Random rnd) {
        return rnd.nextInt(5) == 0 ? null : Origin.of(SOURCES[rnd.nextInt(SOURCES.length)], "e" + rnd.nextInt(12));
    }

    @Property(tries = 200)
    void userIndexesAnswerAsTheModel(@ForAll long seed) {
        Random rnd = new Random(seed);
        InMemoryUserStore store = new InMemoryUserStore();
        Map<String, User> model = new LinkedHashMap<>(); // key → user, in creation order
        List<String> issued = new ArrayList<>();
        for (int step = 0; step < 120; step++) {
            int op = rnd.nextInt(10);
            if (op < 4 || model.isEmpty()) {
                User u = User.builder(NAMES[rnd.nextInt(NAMES.length)]).origin(randomOrigin(rnd)).build();
                String nameHolder = holderOfName(model, u.username(), null);
                String originHolder = holderOfOrigin(model, u.origin(), null);
                if (nameHolder != null || originHolder != null) {
                    assertThatThrownBy(() -> store.createUser(u)).isInstanceOf(ConflictException.class)
                            .extracting(x -> ((ConflictException) x).holderKey())
                            .isEqualTo(nameHolder != null ? nameHolder : originHolder);
                } else {
                    User stored = store.createUser(u);
                    model.put(stored.key(), stored);
                    issued.add(stored.key());
                }
            } else if (op < 8) {
                List<String> live = new ArrayList<>(model.keySet());
                User old = model.get(live.get(rnd.nextInt(live.size())));
                String name = switch (rnd.nextInt(3)) {
                    case 0 -> old.username().toUpperCase(Locale.ROOT); // a case-only rename
                    case 1 -> old.username();
                    default -> NAMES[rnd.nextInt(NAMES.length)];
                };
                Origin origin = switch (rnd.nextInt(4)) {
                    case 0 -> old.origin();
                    case 1 -> null; // origin removed: the user turns local
                    case 2 -> old.origin() == null ? randomOrigin(rnd)
                            : Origin.of(SOURCES[rnd.nextInt(SOURCES.length)], old.origin().externalId()); // moved
                    default -> randomOrigin(rnd);
                };
                User updated = old.toBuilder().username(name).origin(origin).displayName("step " + step).build();
                String nameHolder = holderOfName(model, name, old.key());
                String originHolder = holderOfOrigin(model, origin, old.key());
                if (nameHolder != null || originHolder != null) {
                    assertThatThrownBy(() -> store.updateUser(updated)).isInstanceOf(ConflictException.class)
                            .extracting(x -> ((ConflictException) x).holderKey())
                            .isEqualTo(nameHolder != null ? nameHolder : originHolder);
                } else {
                    assertThat(store.updateUser(updated)).isEqualTo(updated);
                    model.put(old.key(), updated);
                }
            } else {
                String key = issued.isEmpty() || rnd.nextInt(4) == 0 ? "u" + rnd.nextInt(200)
                        : issued.get(rnd.nextInt(issued.size()));
                boolean live = model.containsKey(key);
                assertThat(store.deleteUser(key)).as("delete %s", key).isEqualTo(live);
                model.remove(key);
            }
            check(store, model, issued);
        }
    }

    private static String holderOfName(Map<String, User> model, String name, String except) {
        return model.values().stream().filter(u -> !u.key().equals(except) && fold(u.username()).equals(fold(name)))
                .map(User::key).findFirst().orElse(null);
    }

    private static String holderOfOrigin(Map<String, User> model, Origin origin, String except) {
        return origin == null ? null : model.values().stream()
                .filter(u -> !u.key().equals(except) && origin.equals(u.origin())).map(User::key).findFirst()
                .orElse(null);
    }

    private static void check(InMemoryUserStore store, Map<String, User> model, List<String> issued) {
        assertThat(store.userCount()).isEqualTo(model.size());
        assertThat(store.allUsers()).containsExactlyElementsOf(model.values()); // creation order
        for (String k : issued) {
            assertThat(store.findUser(k).orElse(null)).as("findUser %s", k).isEqualTo(model.get(k));
        }
        for (String n : NAMES) {
            User want = model.values().stream().filter(u -> fold(u.username()).equals(fold(n))).findFirst()
                    .orElse(null);
            assertThat(store.findUserByUsername(n).orElse(null)).as("by name %s", n).isEqualTo(want);
        }
        for (String s : SOURCES) {
            for (int e = 0; e < 12; e++) {
                Origin o = Origin.of(s, "e" + e);
                User want = model.values().stream().filter(u -> o.equals(u.origin())).findFirst().orElse(null);
                assertThat(store.findUserByOrigin(o).orElse(null)).as("by origin %s", o).isEqualTo(want);
            }
            List<User> owned = store.usersOwnedBy(s).collect(Collectors.toList());
            List<User> want = model.values().stream().filter(u -> u.origin() != null
                    && u.origin().sourceId().equals(s)).collect(Collectors.toList());
            assertThat(owned).as("owned by %s", s).containsExactlyElementsOf(want); // in creation order, no local
        }
    }

    /**
     * Member keys are parsed in batches of 32: groups of up to 100 keys, with keys of deleted users, of groups,
     * malformed and foreign ones, and repeats; addMembers all or nothing, hasExactly as a set comparison.
     */
    @Property(tries = 100)
    void batchedMemberKeysAnswerAsTheModel(@ForAll long seed) {
        Random rnd = new Random(seed);
        InMemoryUserStore store = new InMemoryUserStore();
        List<String> users = new ArrayList<>();
        Set<String> dead = new HashSet<>();
        for (int i = 0; i < 90; i++) {
            users.add(store.createUser(User.builder("user" + i).build()).key());
        }
        String g = store.createGroup(Group.local("g")).key();
        String other = store.createGroup(Group.local("other")).key();
        Set<String> members = new HashSet<>();
        for (int step = 0; step < 40; step++) {
            int n = rnd.nextInt(100);
            List<String> keys = new ArrayList<>();
            boolean bad = false;
            for (int i = 0; i < n; i++) {
                int what = rnd.nextInt(60);
                String k;
                if (what == 0) {
                    k = other; // a group's key as a user's
                } else if (what == 1) {
                    k = "u" + users.get(0).substring(1) + "0"; // malformed or foreign
                } else if (what == 2) {
                    k = " " + users.get(rnd.nextInt(users.size()));
                } else {
                    k = new String(users.get(rnd.nextInt(users.size()))); // an equal copy, not the same string
                }
                bad |= !users.contains(k) || dead.contains(k);
                keys.add(k);
            }
            if (rnd.nextInt(3) == 0) { // hasExactly: the members themselves (often), or a near set
                List<String> probe = new ArrayList<>(members);
                if (rnd.nextBoolean() && !probe.isEmpty()) {
                    probe.set(rnd.nextInt(probe.size()), keys.isEmpty() ? "u999999" : keys.get(0));
                }
                // as the SPI's default answers (a repeated key can make it say yes wrongly: not this change's)
                boolean want = probe.size() == members.size() && members.containsAll(probe);
                assertThat(store.hasExactly(g, MemberKind.USER, probe)).as("hasExactly %s", probe).isEqualTo(want);
            } else if (bad) {
                assertThatThrownBy(() -> store.addMembers(g, MemberKind.USER, keys))
                        .extracting(x -> ((UsherException) x).code()).isEqualTo(UsherException.Code.NOT_FOUND);
            } else {
                int before = members.size();
                members.addAll(keys);
                assertThat(store.addMembers(g, MemberKind.USER, keys)).isEqualTo(members.size() - before);
            }
            if (rnd.nextInt(4) == 0) {
                String victim = users.get(rnd.nextInt(users.size()));
                store.deleteUser(victim);
                dead.add(victim);
                members.remove(victim);
            }
            assertThat(store.members(g, MemberKind.USER)).isEqualTo(members);
            for (String u : members) {
                assertThat(store.groupsOf(MemberKind.USER, u)).contains(g);
            }
        }
    }

    /**
     * Readers under the read lock while one writer renames (also in case only), moves users between sources and
     * drops origins: a reader never sees a user under a name or origin it does not have, nor a user twice.
     */
    @Test
    void readersSeeConsistentIndexesWhileAWriterRenamesAndMoves() throws Exception {
        InMemoryUserStore store = new InMemoryUserStore();
        int n = 200;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(store.createUser(User.builder("user" + i).origin(Origin.of("s1", "e" + i)).build()).key());
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int seed = r;
            Thread t = new Thread(() -> {
                Random rnd = new Random(seed);
                try {
                    while (!done.get()) {
                        int i = rnd.nextInt(n);
                        String name = rnd.nextBoolean() ? "user" + i : "USER" + i;
                        store.findUserByUsername(name).ifPresent(u -> {
                            if (!fold(u.username()).equals(fold(name))) {
                                throw new AssertionError("asked " + name + ", got " + u.username());
                            }
                        });
                        for (String s : new String[] {"s1", "s2"}) {
                            Origin o = Origin.of(s, "e" + i);
                            store.findUserByOrigin(o).ifPresent(u -> {
                                if (!o.equals(u.origin())) {
                                    throw new AssertionError("asked " + o + ", got " + u.origin());
                                }
                            });
                            Set<String> seen = new HashSet<>();
                            store.usersOwnedBy(s).forEach(u -> {
                                if (u.origin() == null || !u.origin().sourceId().equals(s) || !seen.add(u.key())) {
                                    throw new AssertionError(s + " lists " + u);
                                }
                            });
                        }
                    }
                } catch (Throwable x) {
                    failure.compareAndSet(null, x);
                }
            });
            t.start();
            readers.add(t);
        }
        Random rnd = new Random(42);
        for (int step = 0; step < 20_000 && failure.get() == null; step++) {
            int i = rnd.nextInt(n);
            User u = store.findUser(keys.get(i)).orElseThrow();
            String name = switch (rnd.nextInt(3)) {
                case 0 -> "user" + i;
                case 1 -> "USER" + i;
                default -> "renamed" + i;
            };
            Origin origin = switch (rnd.nextInt(3)) {
                case 0 -> Origin.of("s1", "e" + i);
                case 1 -> Origin.of("s2", "e" + i);
                default -> null;
            };
            store.updateUser(u.toBuilder().username(name).origin(origin).build());
        }
        done.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        Map<String, Integer> perSource = new HashMap<>();
        for (User u : store.allUsers()) {
            if (u.origin() != null) {
                perSource.merge(u.origin().sourceId(), 1, Integer::sum);
            }
        }
        assertThat(store.usersOwnedBy("s1").count()).isEqualTo(perSource.getOrDefault("s1", 0).longValue());
        assertThat(store.usersOwnedBy("s2").count()).isEqualTo(perSource.getOrDefault("s2", 0).longValue());
        assertThat(store.allUsers()).hasSize(n).allMatch(Objects::nonNull);
    }
}
