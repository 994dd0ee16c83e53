package io.usher.jit;

import io.usher.core.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How logins from one identity provider become users and memberships: which engine source (a push-only
 * {@link io.usher.core.Source}) owns the users, which IdP may sign them in, what becomes the username and the
 * fields, whether to create, update and reactivate, and how group claims turn into memberships of groups the
 * source owns.
 *
 * <p>Users are linked by IdP + subject: the source's origin id of a JIT user is the login's subject (SAML
 * NameID, OIDC {@code sub}), and one source takes logins from one issuer, so a changed email or username is an
 * update (a rename), never a second account.
 *
 * <p>Groups, as SSO plugins configure them:
 * <ul>
 *   <li>{@link #defaultGroups default groups}: everyone who signs in through this IdP is a member;
 *   <li>{@link GroupMode#AUTO_CREATE}: each group named in the group claim (after the filter and mapping) is
 *       created when missing and the user added; with {@link Builder#removeUnlisted(boolean)} memberships of
 *       this source's groups that the claim no longer lists are removed;
 *   <li>{@link GroupMode#MANAGED}: only the {@link Builder#managedGroups configured groups}: added when the
 *       claim lists them, removed when it does not; other names in the claim are ignored.
 * </ul>
 * Only groups this source owns are ever changed: a claim naming a local group (or another source's) leaves that
 * group alone and is reported as a warning.
 *
 * <p>Immutable and thread-safe.
 */
public final class JitPolicy {
    /** Use the login's subject (SAML NameID, OIDC {@code sub}) as the username source. */
    public static final String SUBJECT = "$subject";

    /** How group claims are applied. */
    public enum GroupMode {
        /** Groups are not taken from the login (default groups still apply). */
        NONE,
        /** Every group the claim names is created if missing and joined. */
        AUTO_CREATE,
        /** Only the configured managed groups follow the claim. */
        MANAGED
    }

    /** Where each user field is read from unless configured: OIDC standard claims, then common SAML names. */
    static final Map<String, List<String>> DEFAULT_FIELDS = Map.of(
            "displayName", List.of("name", "displayName", "http://schemas.microsoft.com/identity/claims/displayname",
                    "urn:oid:2.16.840.1.113730.3.1.241"),
            "givenName", List.of("given_name", "givenName",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "urn:oid:2.5.4.42"),
            "familyName", List.of("family_name", "familyName", "sn", "surname",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "urn:oid:2.5.4.4"),
            "email", List.of("email", "mail", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                    "urn:oid:0.9.2342.19200300.100.1.3"));

    private final String sourceId;
    private final String issuer;
    private final List<String> usernameFrom;
    private final boolean linksByClaimedName;
    private final Map<String, List<String>> fields;
    private final Set<String> keptAttributes;
    private final boolean create;
    private final boolean update;
    private final boolean reactivate;
    private final GroupMode groupMode;
    private final List<String> groupClaims;
    private final Pattern groupFilter;
    private final List<GroupRule> groupRules;
    private final boolean mappedGroupsOnly;
    private final Map<String, String> managedGroups;
    private final Map<String, String> defaultGroups;
    private final boolean removeUnlisted;
    private final int maxGroups;

    private JitPolicy(Builder b) {
        this.sourceId = b.sourceId;
        this.issuer = b.issuer;
        this.usernameFrom = List.copyOf(b.usernameFrom.isEmpty() ? List.of(SUBJECT) : b.usernameFrom);
        this.linksByClaimedName = b.linksByClaimedName;
        Map<String, List<String>> f = new LinkedHashMap<>(DEFAULT_FIELDS);
        f.putAll(b.fields);
        this.fields = Map.copyOf(f);
        this.keptAttributes = Set.copyOf(b.keptAttributes);
        this.create = b.create;
        this.update = b.update;
        this.reactivate = b.reactivate;
        this.groupMode = b.groupMode;
        this.groupClaims = List.copyOf(b.groupClaims);
        this.groupFilter = b.groupFilter;
        this.groupRules = List.copyOf(b.groupRules);
        this.mappedGroupsOnly = b.mappedGroupsOnly;
        this.managedGroups = Map.copyOf(b.managedGroups);
        this.defaultGroups = Map.copyOf(b.defaultGroups);
        this.removeUnlisted = b.removeUnlisted;
        this.maxGroups = b.maxGroups;
    }

    /** A policy for the engine source {@code sourceId} taking logins from {@code issuer}. */
    public static Builder builder(String sourceId, String issuer) {
        return new Builder(sourceId, issuer);
    }

    /**
     * A policy from flat configuration, so a host can keep it as properties:
     * <pre>
     * issuer              = https://login.corp.example      # required: the IdP's issuer or entity ID
     * username.from       = preferred_username, email      # default: $subject (NameID / sub)
     * field.displayName   = name                           # also field.givenName, field.familyName, field.email
     * attributes.keep     = department, title
     * users.create        = true                           # users.update, users.reactivate (all default true)
     * groups.from         = groups
     * groups.mode         = none | auto_create | managed
     * groups.filter       = (?i)wiki-.*
     * groups.rule.1       = CN=Wiki Admins,OU=Groups => wiki-admins     # exact claim value (ignoring case)
     * groups.rule.2       = ~ (?i)wiki-(.*) => $1                        # '~' marks a regex rewrite
     * groups.mappedOnly   = false
     * groups.managed      = Ops, Audit                     # names without commas
     * groups.default      = sso-users
     * groups.removeUnlisted = false
     * groups.max          = 1000
     * </pre>
     * Rules apply in the order of their numbers. Errors are {@link ConfigException}s naming the key; values are
     * never echoed.
     */
    public static JitPolicy fromConfig(String sourceId, java.util.Map<String, String> properties) {
        io.usher.core.spi.ConnectorConfig cfg = io.usher.core.spi.ConnectorConfig.of(properties);
        for (String key : cfg.keys()) {
            boolean known = Set.of("issuer", "username.from", "attributes.keep", "users.create", "users.update",
                    "users.reactivate", "groups.from", "groups.mode", "groups.filter", "groups.mappedOnly",
                    "groups.managed", "groups.default", "groups.removeUnlisted", "groups.max").contains(key)
                    || key.startsWith("field.") || key.startsWith("groups.rule.");
            if (!known) {
                throw new ConfigException(key, "is not a JIT policy key (issuer, username.from, field.*, "
                        + "attributes.keep, users.*, groups.*)");
            }
        }
        Builder b = builder(sourceId, cfg.require("issuer"));
        List<String> from = cfg.list("username.from");
        if (!from.isEmpty()) {
            b.usernameFrom(from.toArray(String[]::new));
        } else if (cfg.optional("username.from").isPresent()) {
            throw new ConfigException("username.from", "needs at least one attribute or claim name");
        }
        for (String key : cfg.keys()) {
            if (key.startsWith("field.")) {
                List<String> names = cfg.list(key);
                if (names.isEmpty()) {
                    throw new ConfigException(key, "needs at least one attribute or claim name");
                }
                try {
                    b.field(key.substring(6), names.toArray(String[]::new));
                } catch (ConfigException e) {
                    throw new ConfigException(key, "is not a user field (field.displayName, field.givenName, "
                            + "field.familyName, field.email)");
                }
            }
        }
        b.keepAttributes(cfg.list("attributes.keep").toArray(String[]::new));
        b.createUsers(cfg.bool("users.create", true));
        b.updateUsers(cfg.bool("users.update", true));
        b.reactivateUsers(cfg.bool("users.reactivate", true));
        b.groupsFrom(cfg.list("groups.from").toArray(String[]::new));
        b.groupMode(cfg.enumValue("groups.mode", GroupMode.class, GroupMode.NONE));
        cfg.optional("groups.filter").ifPresent(regex -> {
            try {
                b.groupFilter(regex);
            } catch (ConfigException e) {
                throw new ConfigException("groups.filter", "is not a valid regular expression");
            }
        });
        java.util.TreeMap<Integer, String> rules = new java.util.TreeMap<>();
        for (String key : cfg.keys()) {
            if (key.startsWith("groups.rule.")) {
                int n;
                try {
                    n = Integer.parseInt(key.substring(12));
                } catch (NumberFormatException e) {
                    throw new ConfigException(key, "must end in a number giving the rule's order");
                }
                if (rules.put(n, key) != null) {
                    throw new ConfigException(key, "repeats the order number of another rule");
                }
            }
        }
        for (String key : rules.values()) {
            String rule = cfg.require(key);
            int arrow = rule.lastIndexOf("=>");
            if (arrow < 0) {
                throw new ConfigException(key, "must read 'claim value => group' or '~ regex => replacement'");
            }
            String left = rule.substring(0, arrow).trim();
            String right = rule.substring(arrow + 2).trim();
            if (left.isEmpty() || right.isEmpty()) {
                throw new ConfigException(key, "needs text on both sides of '=>'");
            }
            try {
                if (left.startsWith("~")) {
                    b.rewriteGroup(left.substring(1).trim(), right);
                } else {
                    b.mapGroup(left, right);
                }
                b.labelLastRule(key);
            } catch (ConfigException e) {
                throw new ConfigException(key, "is not a valid rule (a bad regex, or a replacement naming a group "
                        + "the regex lacks)");
            }
        }
        b.mappedGroupsOnly(cfg.bool("groups.mappedOnly", false));
        b.managedGroups(cfg.list("groups.managed").toArray(String[]::new));
        b.defaultGroups(cfg.list("groups.default").toArray(String[]::new));
        b.removeUnlisted(cfg.bool("groups.removeUnlisted", false));
        b.maxGroups(cfg.intValue("groups.max", 1000, 1, 100_000));
        // the builder's cross-checks, said with the configuration's key names
        GroupMode mode = b.groupMode;
        if (mode == GroupMode.MANAGED && b.managedGroups.isEmpty()) {
            throw new ConfigException("groups.managed", "needs at least one group when groups.mode is managed");
        }
        if (mode != GroupMode.MANAGED && !b.managedGroups.isEmpty()) {
            throw new ConfigException("groups.managed", "applies only when groups.mode is managed");
        }
        if (mode != GroupMode.NONE && b.groupClaims.isEmpty()) {
            throw new ConfigException("groups.from", "is required when groups.mode is " + mode.name()
                    .toLowerCase(java.util.Locale.ROOT) + " (the claim or attribute that lists groups)");
        }
        if (b.removeUnlisted && mode != GroupMode.AUTO_CREATE) {
            throw new ConfigException("groups.removeUnlisted", "applies only when groups.mode is auto_create");
        }
        return b.build();
    }

    public String sourceId() { return sourceId; }

    public String issuer() { return issuer; }

    public List<String> usernameFrom() { return usernameFrom; }

    /** Whether a source that links local users by name ({@code CollisionPolicy.LINK}) may do so with a username
     * taken from claims rather than the subject (see {@link Builder#linkLocalUsersByClaimedName()}). */
    public boolean linksLocalUsersByClaimedName() { return linksByClaimedName; }

    public boolean createsUsers() { return create; }

    public boolean updatesUsers() { return update; }

    public boolean reactivatesUsers() { return reactivate; }

    public GroupMode groupMode() { return groupMode; }

    public boolean removesUnlisted() { return removeUnlisted; }

    /** The source's external id of a group name: names compare ignoring case. */
    static String groupKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    List<String> fieldSources(String field) {
        return fields.get(field);
    }

    Set<String> keptAttributes() {
        return keptAttributes;
    }

    int maxGroups() {
        return maxGroups;
    }

    /** The claims or attributes that list the user's groups, in order (empty when groups are not taken). */
    public List<String> groupClaims() {
        return groupClaims;
    }

    /** Default groups, by key, with their configured names. */
    Map<String, String> defaultGroups() {
        return defaultGroups;
    }

    /** The names of the default groups, as configured: every user of this IdP is a member. */
    public List<String> defaultGroupNames() {
        return List.copyOf(defaultGroups.values());
    }

    /** The groups MANAGED mode adds and removes, as configured (empty in other modes). */
    public List<String> managedGroupNames() {
        return List.copyOf(managedGroups.values());
    }

    /** The most group values one login may name; the rest are ignored with a warning. */
    public int maxGroupValues() {
        return maxGroups;
    }

    /**
     * Why the login's groups lose a membership of a group of this source that the claim no longer lists: the
     * rule, in words, or null when such a membership is kept ({@link #mayRemove}).
     */
    public String removalRule(String groupName) {
        String key = groupKey(Objects.requireNonNull(groupName, "groupName"));
        if (!mayRemove(key)) {
            return null;
        }
        return groupMode == GroupMode.MANAGED ? "a managed group (groups.managed) the claim does not list"
                : "not listed in the claim, and groups.removeUnlisted is on";
    }

    /** Whether the group with this key may lose members because the claim no longer lists it. */
    boolean mayRemove(String groupKey) {
        if (defaultGroups.containsKey(groupKey)) {
            return false;
        }
        return switch (groupMode) {
            case MANAGED -> managedGroups.containsKey(groupKey);
            case AUTO_CREATE -> removeUnlisted;
            case NONE -> false;
        };
    }

    /**
     * The group name one claim value becomes, or null when it is dropped (filtered out, unmapped with
     * mapped-only, or not a managed group in MANAGED mode).
     */
    public String groupName(String claimValue) {
        return decide(claimValue, null);
    }

    /**
     * How one claim value becomes a group name, step by step: the same decision as {@link #groupName}, with each
     * rule that applied named (the filter, the mapping rule by its label, mapped-only, managed groups).
     */
    public GroupDecision explainGroupName(String claimValue) {
        List<String> steps = new ArrayList<>();
        String group = decide(claimValue, steps);
        return new GroupDecision(claimValue, group, steps);
    }

    /**
     * What one claim value became.
     *
     * @param claimValue the value as the login carried it (the IdP's text: escape it before showing it)
     * @param group      the group name it became, or null when it was dropped
     * @param steps      the rules that decided it, in order, in plain words (they quote the value)
     */
    public record GroupDecision(String claimValue, String group, List<String> steps) {
        public GroupDecision {
            steps = List.copyOf(steps);
        }
    }

    /** {@link #groupName}'s decision; notes each step when {@code steps} is not null (explain-login). */
    private String decide(String claimValue, List<String> steps) {
        if (claimValue == null || claimValue.isBlank()) {
            if (steps != null) {
                steps.add("dropped: the value is blank");
            }
            return null;
        }
        if (groupMode == GroupMode.NONE) {
            if (steps != null) {
                steps.add("dropped: groups.mode is none (groups are not taken from logins)");
            }
            return null;
        }
        String v = claimValue.trim();
        if (groupFilter != null && !groupFilter.matcher(v).matches()) {
            if (steps != null) {
                steps.add("dropped by groups.filter " + groupFilter.pattern() + " (the value does not match)");
            }
            return null;
        }
        if (groupFilter != null && steps != null) {
            steps.add("kept by groups.filter " + groupFilter.pattern());
        }
        String mapped = null;
        for (GroupRule r : groupRules) {
            mapped = r.apply(v);
            if (mapped != null) {
                if (steps != null) {
                    steps.add(r.describe() + " gives '" + mapped + "'");
                }
                break;
            }
        }
        if (mapped == null) {
            if (mappedGroupsOnly) {
                if (steps != null) {
                    steps.add("dropped: no mapping rule matches and groups.mappedOnly is on");
                }
                return null;
            }
            if (!groupRules.isEmpty() && steps != null) {
                steps.add("no mapping rule matches: the value is the group name");
            }
            mapped = v;
        }
        mapped = mapped.trim();
        if (mapped.isEmpty()) {
            if (steps != null) {
                steps.add("dropped: the group name is empty");
            }
            return null;
        }
        if (groupMode == GroupMode.MANAGED) {
            String managed = managedGroups.get(groupKey(mapped));
            if (steps != null) {
                steps.add(managed == null ? "dropped: '" + mapped + "' is not a managed group (groups.managed)"
                        : "a managed group (groups.managed): '" + managed + "'");
            }
            return managed;
        }
        if (steps != null) {
            steps.add("auto_create: group '" + mapped + "'");
        }
        return mapped;
    }

    /** One claim-value-to-group-name rule: exact (ignoring case) or a regex rewrite of the whole value. */
    private record GroupRule(String exact, Pattern pattern, String replacement, String label) {
        String describe() {
            return label + " (" + (exact != null ? "'" + exact + "' => '" + replacement + "'"
                    : "~ " + pattern.pattern() + " => " + replacement) + ")";
        }

        GroupRule labelled(String value) {
            return new GroupRule(exact, pattern, replacement, value);
        }

        String apply(String value) {
            if (exact != null) {
                return exact.equalsIgnoreCase(value) ? replacement : null;
            }
            Matcher m = pattern.matcher(value);
            return m.matches() ? m.replaceFirst(replacement) : null;
        }
    }

    /** Builds a {@link JitPolicy}; settings are checked when given. Not thread-safe. */
    public static final class Builder {
        private final String sourceId;
        private final String issuer;
        private final List<String> usernameFrom = new ArrayList<>();
        private boolean linksByClaimedName;
        private final Map<String, List<String>> fields = new LinkedHashMap<>();
        private final Set<String> keptAttributes = new LinkedHashSet<>();
        private boolean create = true;
        private boolean update = true;
        private boolean reactivate = true;
        private GroupMode groupMode = GroupMode.NONE;
        private final List<String> groupClaims = new ArrayList<>();
        private Pattern groupFilter;
        private final List<GroupRule> groupRules = new ArrayList<>();
        private boolean mappedGroupsOnly;
        private final Map<String, String> managedGroups = new LinkedHashMap<>();
        private final Map<String, String> defaultGroups = new LinkedHashMap<>();
        private boolean removeUnlisted;
        private int maxGroups = 1000;

        private Builder(String sourceId, String issuer) {
            this.sourceId = requireText(sourceId, "sourceId");
            this.issuer = requireText(issuer, "issuer");
        }

        /**
         * The attributes or claims tried in order for the login name handed to the source's pipeline (which
         * may transform it further); {@link #SUBJECT} is the login's subject. Default: {@link #SUBJECT}.
         */
        public Builder usernameFrom(String... names) {
            if (!usernameFrom.isEmpty()) {
                throw new ConfigException("usernameFrom", "is already set");
            }
            if (names.length == 0) {
                throw new ConfigException("usernameFrom", "needs at least one attribute or claim name");
            }
            for (String n : names) {
                usernameFrom.add(requireText(n, "usernameFrom"));
            }
            return this;
        }

        /**
         * Lets a source with {@code CollisionPolicy.LINK} link an existing local user whose name equals a username
         * taken from claims ({@link #usernameFrom}) rather than from the subject. Off by default, because whoever
         * can choose such a claim at the IdP ({@code preferred_username}, an unverified {@code email}) could claim a
         * local account's name and take it over at first login. Turn it on only when the IdP guarantees those
         * claims are unique and set by administrators.
         */
        public Builder linkLocalUsersByClaimedName() {
            this.linksByClaimedName = true;
            return this;
        }

        /**
         * Where a user field ({@code displayName}, {@code givenName}, {@code familyName}, {@code email}) is read,
         * the first name with a value winning. Replaces the default list for that field.
         */
        public Builder field(String field, String... attributes) {
            if (!DEFAULT_FIELDS.containsKey(field)) {
                throw new ConfigException("field", "'" + field + "' is not a user field; known: "
                        + new java.util.TreeSet<>(DEFAULT_FIELDS.keySet()));
            }
            if (attributes.length == 0) {
                throw new ConfigException("field." + field, "needs at least one attribute or claim name");
            }
            fields.put(field, List.of(attributes));
            return this;
        }

        /** Attributes or claims kept on the user as extra attributes (default: none, so volatile claims never churn). */
        public Builder keepAttributes(String... names) {
            for (String n : names) {
                keptAttributes.add(requireText(n, "keepAttributes"));
            }
            return this;
        }

        /** Create users that sign in for the first time (default true); off: only existing users may sign in. */
        public Builder createUsers(boolean value) {
            create = value;
            return this;
        }

        /** Update names, email and username from every login (default true). */
        public Builder updateUsers(boolean value) {
            update = value;
            return this;
        }

        /** Reactivate an inactive user who signs in (default true); off: the login is refused. */
        public Builder reactivateUsers(boolean value) {
            reactivate = value;
            return this;
        }

        /** The claim or attribute listing the user's groups (several allowed; values are merged). */
        public Builder groupsFrom(String... claims) {
            for (String c : claims) {
                groupClaims.add(requireText(c, "groupsFrom"));
            }
            return this;
        }

        public Builder groupMode(GroupMode value) {
            groupMode = Objects.requireNonNull(value, "groupMode");
            return this;
        }

        /** Only claim values matching this regex (whole value) are considered. */
        public Builder groupFilter(String regex) {
            if (groupFilter != null) {
                throw new ConfigException("groupFilter", "is already set");
            }
            groupFilter = compile(regex, "groupFilter");
            return this;
        }

        /** Maps one claim value (ignoring case) to a group name. Rules apply in the order added; the first wins. */
        public Builder mapGroup(String claimValue, String groupName) {
            groupRules.add(new GroupRule(requireText(claimValue, "mapGroup"), null, requireText(groupName, "mapGroup"),
                    "mapping rule " + (groupRules.size() + 1)));
            return this;
        }

        /** Rewrites claim values matching {@code regex} (whole value) to {@code replacement} ($1 for groups). */
        public Builder rewriteGroup(String regex, String replacement) {
            Pattern p = compile(regex, "rewriteGroup");
            Objects.requireNonNull(replacement, "replacement");
            if (p.matcher("").groupCount() < maxGroupRef(replacement)) {
                throw new ConfigException("rewriteGroup", "the replacement refers to a group the pattern lacks "
                        + "(escape a literal $ as \\$)");
            }
            groupRules.add(new GroupRule(null, p, replacement, "mapping rule " + (groupRules.size() + 1)));
            return this;
        }

        /** Names the rule added last by its configuration key (explanations then say {@code groups.rule.7}). */
        void labelLastRule(String key) {
            int last = groupRules.size() - 1;
            groupRules.set(last, groupRules.get(last).labelled(key));
        }

        /** Drop claim values that no mapping rule matches (default: keep them as they are). */
        public Builder mappedGroupsOnly(boolean value) {
            mappedGroupsOnly = value;
            return this;
        }

        /** The groups MANAGED mode adds and removes (names as they will be created). */
        public Builder managedGroups(String... names) {
            for (String n : names) {
                managedGroups.put(groupKey(requireText(n, "managedGroups")), n);
            }
            return this;
        }

        /** Groups every user of this IdP is in. */
        public Builder defaultGroups(String... names) {
            for (String n : names) {
                defaultGroups.put(groupKey(requireText(n, "defaultGroups")), n);
            }
            return this;
        }

        /** AUTO_CREATE: remove memberships of this source's groups that the claim no longer lists (default false). */
        public Builder removeUnlisted(boolean value) {
            removeUnlisted = value;
            return this;
        }

        /** The most groups one login may name (default 1000); more are ignored with a warning. */
        public Builder maxGroups(int value) {
            if (value < 1 || value > 100_000) {
                throw new ConfigException("maxGroups", "must be between 1 and 100000");
            }
            maxGroups = value;
            return this;
        }

        public JitPolicy build() {
            if (groupMode == GroupMode.MANAGED && managedGroups.isEmpty()) {
                throw new ConfigException("managedGroups", "MANAGED group mode needs at least one managed group");
            }
            if (groupMode != GroupMode.MANAGED && !managedGroups.isEmpty()) {
                throw new ConfigException("managedGroups", "only apply in MANAGED group mode; set groupMode(MANAGED)");
            }
            if (groupMode != GroupMode.NONE && groupClaims.isEmpty()) {
                throw new ConfigException("groupsFrom", "group mode " + groupMode + " needs the claim that lists "
                        + "groups, e.g. groupsFrom(\"groups\")");
            }
            if (removeUnlisted && groupMode != GroupMode.AUTO_CREATE) {
                throw new ConfigException("removeUnlisted", "applies to AUTO_CREATE group mode only (MANAGED always "
                        + "removes managed groups the claim does not list)");
            }
            return new JitPolicy(this);
        }

        private static int maxGroupRef(String replacement) {
            int max = 0;
            for (int i = 0; i < replacement.length(); i++) {
                char c = replacement.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '$' && i + 1 < replacement.length() && Character.isDigit(replacement.charAt(i + 1))) {
                    max = Math.max(max, replacement.charAt(i + 1) - '0');
                }
            }
            return max;
        }

        private static Pattern compile(String regex, String key) {
            Objects.requireNonNull(regex, key);
            try {
                return Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(key, "is not a valid regular expression (error at index " + e.getIndex() + ")");
            }
        }

        private static String requireText(String value, String key) {
            if (value == null || value.isBlank()) {
                throw new ConfigException(key, "must not be blank");
            }
            return value;
        }
    }

    @Override
    public String toString() {
        return "JitPolicy[source=" + sourceId + ", groups=" + groupMode + ", create=" + create + ", update=" + update
                + ", reactivate=" + reactivate + "]";
    }
}
