package io.usher.testkit;

import io.usher.core.model.MemberKind;
import io.usher.core.spi.SourceUser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Builds realistic organisations in an {@link InMemoryDirectory}, deterministically from a seed (the same
 * settings give the same directory, ids included).
 *
 * <p>Shape: one huge {@code all-staff} group, a tree of divisions, departments, teams and squads nested
 * {@code nestingDepth} levels deep, and team sizes drawn from a Zipf-like distribution (a few huge
 * groups, many small ones). Names mix ASCII and non-ASCII (José, Zoë, Øyvind, 李, Łukasz); some logins
 * differ from another only by case ({@code jdoe} / {@code JDoe}); some users are disabled, some are guests.
 *
 * <p>Immutable settings; {@link #generate()} may be called many times. Not meant for concurrent use of
 * one target directory.
 */
public final class DirectoryGenerator {
    private static final String[] FIRST = {"Anna", "Ben", "Chloé", "David", "Émile", "Fatima", "Georg", "Hana",
        "Ivan", "José", "Kai", "Łukasz", "María", "Noah", "Øyvind", "Priya", "Quentin", "Rūta", "Søren", "Tomás",
        "Uma", "Václav", "Wei", "Xénia", "Yusuf", "Zoë", "李", "明", "Ahmet", "Björn"};
    private static final String[] LAST = {"Smith", "Müller", "García", "Nguyen", "O'Brien", "Kowalski", "Jensen",
        "Rossi", "Dubois", "Yılmaz", "Novák", "Silva", "Andersson", "Wang", "Kim", "Fernández", "Østergaard",
        "Papadopoulos", "Ivanova", "Nakamura", "张", "Brown", "Lefèvre", "Horváth", "Zhou"};

    private final long seed;
    private final int users;
    private final int groups;
    private final int nestingDepth;
    private final long targetMemberships;
    private final int caseCollisions;
    private final double disabledShare;
    private final double guestShare;

    private DirectoryGenerator(Builder b) {
        this.seed = b.seed;
        this.users = b.users;
        this.groups = b.groups;
        this.nestingDepth = b.nestingDepth;
        this.targetMemberships = b.targetMemberships < 0 ? users * 5L : b.targetMemberships;
        this.caseCollisions = b.caseCollisions;
        this.disabledShare = b.disabledShare;
        this.guestShare = b.guestShare;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A new directory holding the generated organisation (its change log starts empty). */
    public InMemoryDirectory generate() {
        InMemoryDirectory dir = new InMemoryDirectory();
        generateInto(dir);
        return dir;
    }

    /** Generates into an existing directory, without logging the bulk load. */
    public void generateInto(InMemoryDirectory dir) {
        dir.withoutChangeLog(() -> fill(dir));
    }

    private static String id(Random r) {
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    private void fill(InMemoryDirectory dir) {
        Random r = new Random(seed);
        String[] userIds = new String[users];
        Set<String> logins = new HashSet<>(users * 2);
        Map<String, String> firstLoginOf = new HashMap<>();
        int collisionsLeft = Math.min(caseCollisions, users / 2);
        for (int i = 0; i < users; i++) {
            String first = FIRST[r.nextInt(FIRST.length)];
            String last = LAST[r.nextInt(LAST.length)];
            String login;
            if (collisionsLeft > 0 && i % Math.max(2, users / Math.max(1, caseCollisions)) == 1
                    && i > 0 && !logins.isEmpty()) {
                // same letters, other case, as another user's login: "jdoe" vs "JDoe"
                String prev = firstLoginOf.get("last");
                login = flipCase(prev);
                collisionsLeft--;
            } else {
                String base = (first.charAt(0) + last).toLowerCase(Locale.ROOT).replace("'", "");
                login = base;
                int n = 1;
                while (logins.contains(login.toLowerCase(Locale.ROOT))) {
                    login = base + (++n);
                }
            }
            logins.add(login.toLowerCase(Locale.ROOT));
            firstLoginOf.put("last", login);
            SourceUser.Kind kind = r.nextDouble() < guestShare ? SourceUser.Kind.GUEST : SourceUser.Kind.MEMBER;
            boolean enabled = r.nextDouble() >= disabledShare;
            String mail = login.toLowerCase(Locale.ROOT) + (kind == SourceUser.Kind.GUEST ? "@partner.test" : "@corp.test");
            InMemoryDirectory.DirUser u = new InMemoryDirectory.DirUser(id(r), login, first + " " + last, first, last,
                    List.of(mail), enabled, kind, Map.of("department", List.of("dept-" + r.nextInt(50)),
                    "employeeNumber", List.of(Integer.toString(100000 + i))));
            userIds[i] = dir.addUser(u);
        }
        if (groups == 0) {
            return;
        }
        // groups: all-staff first, then a tree of nestingDepth levels below the divisions
        List<String> groupIds = new ArrayList<>(groups);
        String allStaff = dir.addGroup(new InMemoryDirectory.DirGroup(id(r), "all-staff", "everyone"));
        groupIds.add(allStaff);
        int levels = Math.max(1, nestingDepth);
        List<List<String>> byLevel = new ArrayList<>();
        String[] levelNames = {"division", "department", "team", "squad", "crew", "pod"};
        int remaining = groups - 1;
        for (int level = 0; level < levels && remaining > 0; level++) {
            int size = level == levels - 1 ? remaining
                    : Math.max(1, Math.min(remaining, (int) Math.round(Math.pow(10, level + 1) * groups / 10000.0) + level + 1));
            List<String> ids = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                String name = levelNames[Math.min(level, levelNames.length - 1)] + "-" + (level + 1) + "-" + i;
                String gid = dir.addGroup(new InMemoryDirectory.DirGroup(id(r), name, "level " + (level + 1)));
                ids.add(gid);
                groupIds.add(gid);
                if (level > 0) {
                    List<String> parents = byLevel.get(level - 1);
                    dir.addMember(parents.get(r.nextInt(parents.size())), MemberKind.GROUP, gid);
                }
            }
            byLevel.add(ids);
            remaining -= size;
        }
        // memberships: all-staff holds 40% of the target (capped by the user count); the rest follow Zipf
        long budget = targetMemberships;
        int allStaffSize = (int) Math.min(users, Math.max(0, budget * 2 / 5));
        for (int i = 0; i < allStaffSize; i++) {
            dir.addMember(allStaff, MemberKind.USER, userIds[i]);
        }
        budget -= allStaffSize;
        int n = groupIds.size() - 1;
        double[] cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / Math.pow(k + 1, 0.9);
            cumulative[k] = sum;
        }
        // shuffle which group gets which rank, deterministically
        int[] rankToGroup = new int[n];
        for (int k = 0; k < n; k++) {
            rankToGroup[k] = k + 1;
        }
        for (int k = n - 1; k > 0; k--) {
            int j = r.nextInt(k + 1);
            int t = rankToGroup[k];
            rankToGroup[k] = rankToGroup[j];
            rankToGroup[j] = t;
        }
        long attempts = 0;
        while (budget > 0 && n > 0 && attempts < targetMemberships * 3) {
            attempts++;
            double x = r.nextDouble() * sum;
            int rank = Arrays.binarySearch(cumulative, x);
            rank = rank < 0 ? -rank - 1 : rank;
            String gid = groupIds.get(rankToGroup[Math.min(rank, n - 1)]);
            if (dir.addMember(gid, MemberKind.USER, userIds[r.nextInt(users)])) {
                budget--;
            }
        }
    }

    private static String flipCase(String login) {
        StringBuilder sb = new StringBuilder(login.length());
        boolean flipped = false;
        for (int i = 0; i < login.length(); i++) {
            char c = login.charAt(i);
            if (!flipped && Character.isLowerCase(c)) {
                sb.append(Character.toUpperCase(c));
                flipped = true;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Settings for a {@link DirectoryGenerator}; each is checked when given. Not thread-safe. */
    public static final class Builder {
        private long seed = 42;
        private int users = 1000;
        private int groups = 100;
        private int nestingDepth = 3;
        private long targetMemberships = -1;
        private int caseCollisions;
        private double disabledShare = 0.02;
        private double guestShare = 0.01;

        private Builder() {}

        public Builder seed(long v) { seed = v; return this; }

        public Builder users(int v) {
            if (v < 0) throw new IllegalArgumentException("users must be zero or more");
            users = v;
            return this;
        }

        public Builder groups(int v) {
            if (v < 0) throw new IllegalArgumentException("groups must be zero or more");
            groups = v;
            return this;
        }

        /** Levels of groups below all-staff (divisions, departments, teams, squads, ...), 1..6. */
        public Builder nestingDepth(int v) {
            if (v < 1 || v > 6) throw new IllegalArgumentException("nestingDepth must be between 1 and 6");
            nestingDepth = v;
            return this;
        }

        /** Direct user memberships to aim for (default: five per user). */
        public Builder targetMemberships(long v) {
            if (v < 0) throw new IllegalArgumentException("targetMemberships must be zero or more");
            targetMemberships = v;
            return this;
        }

        /** How many logins repeat another's letters in another case. */
        public Builder caseCollisions(int v) {
            if (v < 0) throw new IllegalArgumentException("caseCollisions must be zero or more");
            caseCollisions = v;
            return this;
        }

        public Builder disabledShare(double v) {
            if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("disabledShare must be between 0 and 1");
            disabledShare = v;
            return this;
        }

        public Builder guestShare(double v) {
            if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("guestShare must be between 0 and 1");
            guestShare = v;
            return this;
        }

        public DirectoryGenerator build() {
            if (groups > 0 && nestingDepth + 1 > groups) {
                throw new IllegalArgumentException("nestingDepth " + nestingDepth + " needs at least "
                        + (nestingDepth + 1) + " groups");
            }
            return new DirectoryGenerator(this);
        }
    }
}
