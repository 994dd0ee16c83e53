package io.usher.testkit;

import io.usher.core.model.MemberKind;
import io.usher.core.spi.SourceUser;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates realistic organisations into an {@link InMemoryDirectory}, deterministically: the same settings
 * and seed give an identical directory (same ids, names, memberships), on any machine.
 *
 * <p>The shape: one {@value #ALL_STAFF} group holding every member-kind user; an organisational tree of
 * divisions, departments and teams nested {@code nestingDepth} levels deep, each member-kind user in exactly
 * one leaf unit; and the remaining groups (projects, distribution lists) with Zipf-distributed sizes, so a
 * few are large and most are small, sized so that direct memberships come close to
 * {@code targetMemberships}. Names mix ASCII with José, Zoë, Øyvind, 李, Łukasz and friends; login names are
 * ASCII, unique ignoring case except for {@code caseCollisions} pairs such as {@code jdoe} / {@code JDoe}
 * (two different people). Some users are disabled, some are guests ({@code #EXT#} logins, like Entra), some
 * service accounts ({@code svc-} logins). Optional 2-cycles among project groups exercise cycle detection.
 *
 * <pre>{@code
 * InMemoryDirectory dir = DirectoryGenerator.builder().seed(42).users(100_000).groups(10_000)
 *         .nestingDepth(3).targetMemberships(500_000).caseCollisions(5).build().generate();
 * }</pre>
 *
 * <p>The generated directory's change log is trimmed, so it starts at the current sequence with no history.
 * 100,000 users, 10,000 groups and 500,000 memberships take a second or two.
 *
 * <p>Immutable and thread-safe; each {@link #generate()} makes a new directory.
 */
public final class DirectoryGenerator {
    /** The name of the group that holds every member-kind user. */
    public static final String ALL_STAFF = "all-staff";
    /** The attribute holding a user's division name. */
    public static final String DEPARTMENT = "department";
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryGenerator.class);

    private static final String[] GIVEN = {"José", "Zoë", "Øyvind", "李", "Łukasz", "Anna", "John", "Jane",
        "Mohammed", "Fatima", "Björn", "Chloé", "Søren", "Małgorzata", "François", "Ægir", "Ines", "Noah", "Emma",
        "Liam", "Olivia", "Mateo", "Sofía", "Hiroshi", "Yuki", "Priya", "Arjun", "Oluwaseun", "Ngozi", "Dmitri",
        "Ольга", "Ἀλέξανδρος", "Siobhán", "Seán", "Zoltán", "Ömer", "Çağla", "Thảo", "민준", "Jürgen", "Renée",
        "Åsa", "Đorđe", "Ana", "Pedro", "María", "David", "Sarah", "Michael", "Laura", "Tomás", "Nuñez", "Kai",
        "Leila", "Omar", "Mei", "Wei", "Chen", "Ravi", "Aisha", "Lucas", "Marta", "Ivan", "Elena", "Paul"};
    private static final String[] FAMILY = {"Doe", "García", "Müller", "Nowak", "王", "Øvergård", "O'Brien",
        "Smith", "Jones", "Kowalski", "Dvořák", "Çelik", "Nguyễn", "김", "Fernández", "Lefèvre", "Brontë",
        "Johansson", "Søndergaard", "Wójcik", "Schröder", "Rossi", "Novák", "Tanaka", "Suzuki", "Patel", "Singh",
        "Okafor", "Adeyemi", "Ivanov", "Петров", "Παπαδόπουλος", "Murphy", "Ó Súilleabháin", "Kovács", "Yılmaz",
        "Đặng", "Lee", "Weiß", "Hernández", "López", "Martin", "Bernard", "Dubois", "Brown", "Wilson", "Taylor",
        "Andersson", "Nielsen", "Virtanen", "Mäkinen", "Horváth", "Popescu", "Silva", "Santos", "Costa"};
    /** Romanisations for names whose letters do not fold to ASCII. */
    private static final Map<String, String> ROMAN = Map.ofEntries(Map.entry("李", "li"), Map.entry("王", "wang"),
            Map.entry("민준", "minjun"), Map.entry("김", "kim"), Map.entry("Ольга", "olga"),
            Map.entry("Ἀλέξανδρος", "alexandros"), Map.entry("Петров", "petrov"),
            Map.entry("Παπαδόπουλος", "papadopoulos"));
    private static final String[] DIVISIONS = {"Engineering", "Sales", "Finance", "Operations",
        "Recherche & Développement", "Marketing", "Legal", "Support", "Personalwesen", "Logística", "Research",
        "Facilities"};
    private static final String[] CITIES = {"London", "München", "Zürich", "Kraków", "São Paulo", "Tromsø",
        "東京", "Montréal", "Reykjavík", "Málaga", "Göteborg", "Lagos", "Bengaluru", "Austin"};
    private static final String[] WORDS = {"apollo", "élan", "ørsted", "łódź", "straße", "aurora", "borealis",
        "cobalt", "delta", "ember", "fjord", "gamma", "halcyon", "iris", "juniper", "kestrel", "lumen", "mistral",
        "nimbus", "onyx", "piñata", "quasar", "rivière", "saffron", "tundra", "umbra", "vértice", "willow"};
    private static final String[] TITLES = {"Engineer", "Senior Engineer", "Manager", "Analyst", "Director",
        "Consultant", "Specialist", "Coordinator", "Architect", "Intern"};

    /** ASCII folds of every pool name, computed once (immutable). */
    private static final Map<String, String> FOLDED = foldAll();
    /** Service-account words reduced to ASCII letters, computed once. */
    private static final String[] SERVICE_WORDS = java.util.Arrays.stream(WORDS)
            .map(DirectoryGenerator::ascii).toArray(String[]::new);

    private final long seed;
    private final int users;
    private final int groups;
    private final int nestingDepth;
    private final long targetMemberships;
    private final int caseCollisions;
    private final double disabledFraction;
    private final double guestFraction;
    private final double serviceFraction;
    private final double zipfExponent;
    private final int cycles;
    private final String domain;

    private DirectoryGenerator(Builder b) {
        this.seed = b.seed == null ? 0 : b.seed;
        this.users = b.users == null ? 100 : b.users;
        this.groups = b.groups == null ? 20 : b.groups;
        this.nestingDepth = b.nestingDepth == null ? 3 : b.nestingDepth;
        this.targetMemberships = b.targetMemberships == null ? 3L * users : b.targetMemberships;
        this.caseCollisions = b.caseCollisions == null ? 0 : b.caseCollisions;
        this.disabledFraction = b.disabledFraction == null ? 0.05 : b.disabledFraction;
        this.guestFraction = b.guestFraction == null ? 0.03 : b.guestFraction;
        this.serviceFraction = b.serviceFraction == null ? 0.01 : b.serviceFraction;
        this.zipfExponent = b.zipfExponent == null ? 1.0 : b.zipfExponent;
        this.cycles = b.cycles == null ? 0 : b.cycles;
        this.domain = b.domain == null ? "example.com" : b.domain;
    }

    /** A builder with defaults: seed 0, 100 users, 20 groups, depth 3, 3 memberships per user. */
    public static Builder builder() {
        return new Builder();
    }

    public long seed() { return seed; }
    public int users() { return users; }
    public int groups() { return groups; }
    public int nestingDepth() { return nestingDepth; }
    public long targetMemberships() { return targetMemberships; }
    public int caseCollisions() { return caseCollisions; }
    public int cycles() { return cycles; }

    /** A new directory generated from these settings; ids come from the same seed. */
    public InMemoryDirectory generate() {
        long started = System.nanoTime();
        InMemoryDirectory dir = InMemoryDirectory.create(seed);
        new Run(dir, new SplittableRandom(seed ^ 0x5DEECE66DL)).go();
        dir.trimChangeLog(dir.currentSequence());
        LOG.debug("generated {} in {} ms", dir, (System.nanoTime() - started) / 1_000_000);
        return dir;
    }

    /** One generation: mutable working state confined to one thread. */
    private final class Run {
        final InMemoryDirectory dir;
        final SplittableRandom rnd;
        final List<List<String>> levels = new ArrayList<>();
        final Map<String, String> divisionOf = new HashMap<>();
        final List<String> extras = new ArrayList<>();
        final String[] userIds = new String[users];
        final boolean[] memberKind = new boolean[users];
        final Set<String> loginsFolded = new HashSet<>();
        final Map<String, Integer> nextSuffix = new HashMap<>();
        String allStaff;
        long memberships;

        Run(InMemoryDirectory dir, SplittableRandom rnd) {
            this.dir = dir;
            this.rnd = rnd;
        }

        void go() {
            if (groups > 0) {
                makeGroups();
            }
            makeUsers();
            if (groups > 0) {
                fillExtras();
                makeCycles();
            }
        }

        void makeGroups() {
            allStaff = dir.addGroup(DirectoryGroup.of(ALL_STAFF, "Everyone employed by the organisation")).id();
            int available = groups - 1 - 2 * cycles;
            int orgCount = Math.max(nestingDepth, Math.min(available, (int) Math.round(available * 0.3)));
            int[] sizes = levelSizes(orgCount);
            for (int level = 1; level <= nestingDepth; level++) {
                List<String> ids = new ArrayList<>(sizes[level - 1]);
                for (int i = 0; i < sizes[level - 1]; i++) {
                    String id;
                    if (level == 1) {
                        String base = DIVISIONS[i % DIVISIONS.length];
                        String name = i < DIVISIONS.length ? base : base + " " + (i / DIVISIONS.length + 1);
                        id = dir.addGroup(DirectoryGroup.of(name, "Division")).id();
                        divisionOf.put(id, name);
                    } else {
                        String parent = levels.get(level - 2).get(rnd.nextInt(levels.get(level - 2).size()));
                        String word = level == 2 ? "dept" : level == 3 ? "team" : "squad" + level;
                        String name = String.format(Locale.ROOT, "%s-%04d %s", word, i, pick(CITIES));
                        id = dir.addGroup(DirectoryGroup.of(name, "Level " + level + " unit of "
                                + divisionOf.get(parent))).id();
                        dir.addMember(parent, MemberKind.GROUP, id);
                        memberships++;
                        divisionOf.put(id, divisionOf.get(parent));
                    }
                    ids.add(id);
                }
                levels.add(ids);
            }
            for (int i = 0; i < groups - 1 - orgCount; i++) {
                String prefix = i % 3 == 0 ? "dl" : "project";
                extras.add(dir.addGroup(DirectoryGroup.of(prefix + "-" + pick(WORDS) + "-" + i,
                        i % 3 == 0 ? "Distribution list" : "Project team")).id());
            }
        }

        /** Level 1 small (divisions), the rest growing fourfold per level; each level at least one group. */
        int[] levelSizes(int orgCount) {
            int[] sizes = new int[nestingDepth];
            sizes[0] = nestingDepth == 1 ? orgCount
                    : Math.max(1, Math.min(DIVISIONS.length, (orgCount - (nestingDepth - 1)) / 50));
            // one group per lower level first, then the rest in proportion 1 : 4 : 16 ...
            int rest = orgCount - sizes[0] - (nestingDepth - 1);
            double total = 0;
            for (int l = 1; l < nestingDepth; l++) {
                total += Math.pow(4, l - 1);
            }
            int assigned = 0;
            for (int l = 1; l < nestingDepth; l++) {
                sizes[l] = 1 + (int) Math.floor(rest * Math.pow(4, l - 1) / total);
                assigned += sizes[l] - 1;
            }
            if (nestingDepth > 1) {
                sizes[nestingDepth - 1] += rest - assigned;
            }
            return sizes;
        }

        void makeUsers() {
            int collisionsStart = users - caseCollisions;
            List<String> baseLogins = new ArrayList<>();
            List<String> leaves = levels.isEmpty() ? List.of() : levels.get(levels.size() - 1);
            for (int i = 0; i < users; i++) {
                String given = pick(GIVEN);
                String family = pick(FAMILY);
                SourceUser.Kind kind = SourceUser.Kind.MEMBER;
                double k = rnd.nextDouble();
                // the first caseCollisions users are members, so every collision twin has a base login
                boolean mayVary = i >= caseCollisions && i < collisionsStart;
                if (mayVary && k < guestFraction) {
                    kind = SourceUser.Kind.GUEST;
                } else if (mayVary && k < guestFraction + serviceFraction) {
                    kind = SourceUser.Kind.SERVICE;
                }
                String login;
                String email;
                if (i >= collisionsStart) {
                    String base = baseLogins.remove(rnd.nextInt(baseLogins.size()));
                    login = caseVariant(base);
                    email = base + "." + i + "@" + domain;
                } else if (kind == SourceUser.Kind.GUEST) {
                    login = unique(folded(given).substring(0, 1) + folded(family)) + "_partner.example.org#EXT#";
                    email = login.substring(0, login.indexOf('#')).replace("_partner.example.org", "")
                            + "@partner.example.org";
                } else if (kind == SourceUser.Kind.SERVICE) {
                    login = unique("svc-" + pick(SERVICE_WORDS));
                    email = login + "@" + domain;
                } else {
                    login = unique(folded(given).substring(0, 1) + folded(family));
                    email = login + "@" + domain;
                    if (login.chars().anyMatch(Character::isLetter)) {
                        baseLogins.add(login);
                    }
                }
                String leaf = kind == SourceUser.Kind.MEMBER && !leaves.isEmpty()
                        ? leaves.get(rnd.nextInt(leaves.size())) : null;
                DirectoryUser.Builder b = DirectoryUser.builder(login).givenName(given).familyName(family)
                        .displayName(kind == SourceUser.Kind.SERVICE ? "Service " + login
                                : given + " " + family + (kind == SourceUser.Kind.GUEST ? " (Guest)" : ""))
                        .email(email).kind(kind).enabled(rnd.nextDouble() >= disabledFraction)
                        .attribute("proxyAddresses", "SMTP:" + email, "smtp:" + login.toLowerCase(Locale.ROOT)
                                .replace("#ext#", "") + "@mail." + domain);
                if (kind == SourceUser.Kind.MEMBER) {
                    b.attribute("title", pick(TITLES)).attribute("employeeId",
                            "E" + (10_000_000 + i));
                    if (leaf != null) {
                        b.attribute(DEPARTMENT, divisionOf.get(leaf));
                    }
                }
                String id = dir.addUser(b.build()).id();
                userIds[i] = id;
                memberKind[i] = kind == SourceUser.Kind.MEMBER;
                if (memberKind[i] && allStaff != null) {
                    dir.addMember(allStaff, MemberKind.USER, id);
                    memberships++;
                }
                if (leaf != null) {
                    dir.addMember(leaf, MemberKind.USER, id);
                    memberships++;
                }
            }
        }

        String unique(String base) {
            String folded = base.toLowerCase(Locale.ROOT);
            if (loginsFolded.add(folded)) {
                return folded;
            }
            int n = nextSuffix.getOrDefault(folded, 2);
            while (!loginsFolded.add(folded + n)) {
                n++;
            }
            nextSuffix.put(folded, n + 1);
            return folded + n;
        }

        void fillExtras() {
            if (extras.isEmpty() || users == 0) {
                return;
            }
            long remaining = Math.max(0, targetMemberships - memberships - 2L * cycles);
            double h = 0;
            for (int r = 1; r <= extras.size(); r++) {
                h += 1 / Math.pow(r, zipfExponent);
            }
            int cap = Math.max(1, users / 2);
            int[] stamp = new int[users];
            for (int r = 1; r <= extras.size(); r++) {
                long wanted = Math.round(remaining / Math.pow(r, zipfExponent) / h);
                int size = (int) Math.max(1, Math.min(cap, wanted));
                String group = extras.get(r - 1);
                int added = 0;
                while (added < size) {
                    int u = rnd.nextInt(users);
                    if (stamp[u] != r) {
                        stamp[u] = r;
                        dir.addMember(group, MemberKind.USER, userIds[u]);
                        added++;
                    }
                }
                memberships += size;
            }
        }

        void makeCycles() {
            for (int c = 0; c < cycles; c++) {
                String a = extras.get(extras.size() - 1 - 2 * c);
                String b = extras.get(extras.size() - 2 - 2 * c);
                dir.addMember(a, MemberKind.GROUP, b);
                dir.addMember(b, MemberKind.GROUP, a);
            }
        }

        String pick(String[] from) {
            return from[rnd.nextInt(from.length)];
        }
    }

    private static Map<String, String> foldAll() {
        Map<String, String> out = new HashMap<>();
        for (String[] pool : new String[][] {GIVEN, FAMILY}) {
            for (String n : pool) {
                out.put(n, ascii(n));
            }
        }
        return Map.copyOf(out);
    }

    private static String folded(String name) {
        String f = FOLDED.get(name);
        return f != null ? f : ascii(name);
    }

    /** The login with its first two letters upper-cased: {@code jdoe} becomes {@code JDoe}. */
    static String caseVariant(String login) {
        StringBuilder sb = new StringBuilder(login);
        int changed = 0;
        for (int i = 0; i < sb.length() && changed < 2; i++) {
            char c = sb.charAt(i);
            if (Character.isLowerCase(c)) {
                sb.setCharAt(i, Character.toUpperCase(c));
                changed++;
            }
        }
        return sb.toString();
    }

    /** Folds a name to lower-case ASCII letters: José → jose, Øyvind → oyvind, 李 → li. */
    static String ascii(String name) {
        String roman = ROMAN.get(name);
        if (roman != null) {
            return roman;
        }
        String s = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L").replace("æ", "ae")
                .replace("Æ", "Ae").replace("ß", "ss").replace("đ", "d").replace("Đ", "D").replace("ı", "i");
        s = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return s.isEmpty() ? "x" : s;
    }

    /**
     * Settings for a {@link DirectoryGenerator}. Each setting may be given once; a bad or repeated value is
     * rejected at once, and {@link #build()} checks that the settings fit together. Not thread-safe.
     */
    public static final class Builder {
        private Long seed;
        private Integer users;
        private Integer groups;
        private Integer nestingDepth;
        private Long targetMemberships;
        private Integer caseCollisions;
        private Double disabledFraction;
        private Double guestFraction;
        private Double serviceFraction;
        private Double zipfExponent;
        private Integer cycles;
        private String domain;

        private Builder() {}

        private static void once(Object current, String setting) {
            if (current != null) {
                throw new IllegalStateException(setting + " was already set; set it once");
            }
        }

        private static void range(double value, double min, double max, String setting) {
            if (!(value >= min && value <= max)) {
                throw new IllegalArgumentException(setting + " must be between " + min + " and " + max
                        + ", was " + value);
            }
        }

        /** The seed for names, ids, memberships; default 0. */
        public Builder seed(long value) {
            once(seed, "seed");
            seed = value;
            return this;
        }

        /** How many users, 0 to 10,000,000; default 100. */
        public Builder users(int value) {
            once(users, "users");
            range(value, 0, 10_000_000, "users");
            users = value;
            return this;
        }

        /** How many groups, 0 to 1,000,000; default 20. At least {@code nestingDepth + 1} unless 0. */
        public Builder groups(int value) {
            once(groups, "groups");
            range(value, 0, 1_000_000, "groups");
            groups = value;
            return this;
        }

        /**
         * The longest chain of nested groups, counted in groups: 1 means no group contains another, 3 means
         * divisions contain departments contain teams. 1 to 20; default 3.
         */
        public Builder nestingDepth(int value) {
            once(nestingDepth, "nestingDepth");
            range(value, 1, 20, "nestingDepth");
            nestingDepth = value;
            return this;
        }

        /**
         * The number of direct memberships (both kinds) to aim for; default 3 per user. The fixed part
         * (all-staff, one unit per member, the group tree) is always made, so a target below it is exceeded.
         */
        public Builder targetMemberships(long value) {
            once(targetMemberships, "targetMemberships");
            range(value, 0, 1_000_000_000, "targetMemberships");
            targetMemberships = value;
            return this;
        }

        /** How many pairs of users differ in login name only by case ({@code jdoe}/{@code JDoe}); default 0. */
        public Builder caseCollisions(int value) {
            once(caseCollisions, "caseCollisions");
            range(value, 0, 1_000_000, "caseCollisions");
            caseCollisions = value;
            return this;
        }

        /** The share of disabled users, 0 to 1; default 0.05. */
        public Builder disabledFraction(double value) {
            once(disabledFraction, "disabledFraction");
            range(value, 0, 1, "disabledFraction");
            disabledFraction = value;
            return this;
        }

        /** The share of guest users, 0 to 1; default 0.03. */
        public Builder guestFraction(double value) {
            once(guestFraction, "guestFraction");
            range(value, 0, 1, "guestFraction");
            guestFraction = value;
            return this;
        }

        /** The share of service accounts, 0 to 1; default 0.01. */
        public Builder serviceFraction(double value) {
            once(serviceFraction, "serviceFraction");
            range(value, 0, 1, "serviceFraction");
            serviceFraction = value;
            return this;
        }

        /** The Zipf exponent of project group sizes: higher means more skew. 0 to 5; default 1. */
        public Builder zipfExponent(double value) {
            once(zipfExponent, "zipfExponent");
            range(value, 0, 5, "zipfExponent");
            zipfExponent = value;
            return this;
        }

        /** How many two-group nesting cycles (A contains B contains A) to add among project groups; default 0. */
        public Builder cycles(int value) {
            once(cycles, "cycles");
            range(value, 0, 100_000, "cycles");
            cycles = value;
            return this;
        }

        /** The mail domain; default {@code example.com}. */
        public Builder domain(String value) {
            once(domain, "domain");
            if (value == null || !value.matches("[a-z0-9.-]+\\.[a-z]{2,}")) {
                throw new IllegalArgumentException("domain must be a lower-case DNS name such as example.com");
            }
            domain = value;
            return this;
        }

        /** Checks that the settings fit together and makes the generator. */
        public DirectoryGenerator build() {
            DirectoryGenerator g = new DirectoryGenerator(this);
            if (g.groups > 0 && g.groups < g.nestingDepth + 1 + 2 * g.cycles) {
                throw new IllegalArgumentException("groups (" + g.groups + ") must be at least nestingDepth + 1 + 2 "
                        + "x cycles (" + (g.nestingDepth + 1 + 2 * g.cycles) + "): all-staff, one group per nesting "
                        + "level and two per cycle; raise groups or lower nestingDepth or cycles");
            }
            if (g.caseCollisions > 0 && 2L * g.caseCollisions > g.users) {
                throw new IllegalArgumentException("caseCollisions (" + g.caseCollisions + ") needs at least twice "
                        + "as many users (" + g.users + "): each collision pairs an existing user with a new one");
            }
            if (g.guestFraction + g.serviceFraction > 1) {
                throw new IllegalArgumentException("guestFraction + serviceFraction must not exceed 1");
            }
            return g;
        }
    }
}
