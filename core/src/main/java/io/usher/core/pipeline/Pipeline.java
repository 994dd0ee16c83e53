package io.usher.core.pipeline;

import io.usher.core.ConfigException;
import io.usher.core.UsherException;
import io.usher.core.model.CredentialPolicy;
import io.usher.core.model.Group;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.spi.ConnectorConfig;
import io.usher.core.spi.SourceGroup;
import io.usher.core.spi.SourceUser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Filters and transformations for one source: which users and groups take part, and what they become
 * in the host. Pure functions of one record, so they can be tested alone and previewed.
 *
 * <p>Users: included when every include filter matches and no exclude filter does. Username: the first
 * non-empty value among the {@code usernameFrom} attributes (default {@code loginName}, then
 * {@code email}), then each step in order — regex rewrites (a rule applies only when its pattern finds a
 * match), the "name part" before '@' (or after '\' for DOMAIN\name), and finally the case rule. Field
 * mapping takes display, given and family name and email from other source attributes when asked.
 *
 * <p>The users it makes carry its {@link #credentials() credential policy} ({@link CredentialPolicy#HOST}
 * unless set with {@link #withCredentials}); a {@code Source} gives its pipeline the source's policy, so
 * every caller of {@code source.pipeline().toUser(...)} (the sync, SCIM, JIT) computes the same user.
 *
 * <p>Immutable and thread-safe.
 */
public final class Pipeline {

    /** The pipeline that includes everything and takes {@code loginName}, then {@code email}, as username. */
    public static final Pipeline DEFAULT = builder().build();

    private final List<UserFilter> includes;
    private final List<UserFilter> excludes;
    private final List<Pattern> groupIncludes;
    private final List<Pattern> groupExcludes;
    private final List<String> usernameFrom;
    private final List<Step> steps;
    private final CaseRule caseRule;
    private final Map<String, List<String>> fieldMapping;
    private final Set<String> keptAttributes;
    private final boolean keepAllAttributes;
    private final CredentialPolicy credentials;

    private Pipeline(Builder b) {
        this.includes = List.copyOf(b.includes);
        this.excludes = List.copyOf(b.excludes);
        this.groupIncludes = List.copyOf(b.groupIncludes);
        this.groupExcludes = List.copyOf(b.groupExcludes);
        this.usernameFrom = b.usernameFrom.isEmpty()
                ? List.of(SourceUser.LOGIN_NAME, SourceUser.EMAIL) : List.copyOf(b.usernameFrom);
        this.steps = List.copyOf(b.steps);
        this.caseRule = b.caseRule;
        this.fieldMapping = Map.copyOf(b.fieldMapping);
        this.keptAttributes = b.keptAttributes == null ? Set.of() : Set.copyOf(b.keptAttributes);
        this.keepAllAttributes = b.keptAttributes == null;
        this.credentials = CredentialPolicy.HOST;
    }

    private Pipeline(Pipeline p, CredentialPolicy credentials) {
        this.includes = p.includes;
        this.excludes = p.excludes;
        this.groupIncludes = p.groupIncludes;
        this.groupExcludes = p.groupExcludes;
        this.usernameFrom = p.usernameFrom;
        this.steps = p.steps;
        this.caseRule = p.caseRule;
        this.fieldMapping = p.fieldMapping;
        this.keptAttributes = p.keptAttributes;
        this.keepAllAttributes = p.keepAllAttributes;
        this.credentials = credentials;
    }

    /** The credential policy of the users this pipeline makes ({@link CredentialPolicy#HOST} unless set). */
    public CredentialPolicy credentials() {
        return credentials;
    }

    /**
     * This pipeline, making users with the given credential policy. Hosts set the policy on the source
     * ({@code Source.Builder.credentials}), which calls this; the rest of the pipeline is shared.
     */
    public Pipeline withCredentials(CredentialPolicy policy) {
        Objects.requireNonNull(policy, "credentials");
        return policy == credentials ? this : new Pipeline(this, policy);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Why the user is excluded, or {@code null} when it is included. */
    public String exclusionReason(SourceUser user) {
        for (UserFilter f : includes) {
            if (!f.test(user)) {
                return "not included: " + f.description();
            }
        }
        for (UserFilter f : excludes) {
            if (f.test(user)) {
                return "excluded by: " + f.description();
            }
        }
        return null;
    }

    public boolean includes(SourceUser user) {
        return exclusionReason(user) == null;
    }

    /** Why the group is excluded, or {@code null}. */
    public String exclusionReason(SourceGroup group) {
        if (!groupIncludes.isEmpty() && groupIncludes.stream().noneMatch(p -> p.matcher(group.name()).matches())) {
            return "group name matches no include pattern";
        }
        for (Pattern p : groupExcludes) {
            if (p.matcher(group.name()).matches()) {
                return "group name excluded by /" + p.pattern() + "/";
            }
        }
        return null;
    }

    public boolean includes(SourceGroup group) {
        return exclusionReason(group) == null;
    }

    /**
     * The user this record becomes (no store key), owned by {@code origin}'s source.
     *
     * @throws UsherException with code {@code INVALID} when no username can be derived
     */
    public User toUser(SourceUser source, Origin origin) {
        return transform(source, origin, null);
    }

    /** The group this record becomes (no store key), with the record's attributes. */
    public Group toGroup(SourceGroup source, Origin origin) {
        return new Group(null, origin, source.name(), source.description(), source.attributes());
    }

    /** What this pipeline makes of the record, with each step explained. Never throws for bad data. */
    public Preview preview(SourceUser source) {
        List<String> explain = new ArrayList<>();
        String reason = exclusionReason(source);
        if (reason != null) {
            explain.add(reason);
            return new Preview(false, reason, null, null, explain);
        }
        try {
            User u = transform(source, Origin.of("preview", source.externalId()), explain);
            return new Preview(true, null, u.username(), u, explain);
        } catch (UsherException | IllegalArgumentException e) {
            return new Preview(false, e.getMessage(), null, null, explain);
        }
    }

    private User transform(SourceUser source, Origin origin, List<String> explain) {
        String username = null;
        for (String attr : usernameFrom) {
            String v = source.firstValue(attr);
            if (v != null && !v.isBlank()) {
                username = v.trim();
                note(explain, "username from " + attr + ": '" + username + "'");
                break;
            }
            note(explain, attr + " is empty, trying the next attribute");
        }
        if (username == null) {
            throw new UsherException(UsherException.Code.INVALID,
                    "no username: none of " + usernameFrom + " has a value for external id " + source.externalId());
        }
        for (Step step : steps) {
            String before = username;
            username = step.apply(username);
            if (!before.equals(username)) {
                note(explain, step.describe() + ": '" + username + "'");
            } else {
                note(explain, step.describe() + ": no change");
            }
        }
        String cased = caseRule.apply(username);
        if (caseRule != CaseRule.PRESERVE) {
            note(explain, "case " + caseRule.name().toLowerCase(Locale.ROOT) + ": '" + cased + "'");
        }
        if (cased.isBlank()) {
            throw new UsherException(UsherException.Code.INVALID,
                    "username is empty after transformations for external id " + source.externalId());
        }
        List<String> mails = fieldMapping.containsKey("email") ? mappedAll(source, "email") : source.emails();
        Map<String, List<String>> attrs;
        if (keepAllAttributes) {
            attrs = source.attributes();
        } else {
            attrs = new TreeMap<>();
            for (Map.Entry<String, List<String>> e : source.attributes().entrySet()) {
                if (keptAttributes.contains(e.getKey())) {
                    attrs.put(e.getKey(), e.getValue());
                }
            }
        }
        // the canonical constructor validates and copies once; a builder would copy twice more
        return new User(null, origin, cased, mapped(source, "displayName", source.displayName()),
                mapped(source, "givenName", source.givenName()), mapped(source, "familyName", source.familyName()),
                mails, source.active(), attrs, origin == null ? CredentialPolicy.HOST : credentials);
    }

    private String mapped(SourceUser source, String field, String fallback) {
        List<String> from = fieldMapping.get(field);
        if (from == null) {
            return fallback;
        }
        for (String attr : from) {
            String v = source.firstValue(attr);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return fallback;
    }

    private List<String> mappedAll(SourceUser source, String field) {
        for (String attr : fieldMapping.get(field)) {
            List<String> v = source.attribute(attr);
            if (!v.isEmpty()) {
                return v;
            }
        }
        return source.emails();
    }

    private static void note(List<String> explain, String line) {
        if (explain != null) {
            explain.add(line);
        }
    }

    /** One username transformation step. */
    private interface Step {
        String apply(String s);

        String describe();
    }

    private static final class Rewrite implements Step {
        private final Pattern pattern;
        private final String replacement;

        Rewrite(Pattern pattern, String replacement) {
            this.pattern = pattern;
            this.replacement = replacement;
        }

        @Override
        public String apply(String s) {
            Matcher m = pattern.matcher(s);
            return m.find() ? m.replaceAll(replacement) : s;
        }

        @Override
        public String describe() {
            return "rewrite /" + pattern.pattern() + "/ -> '" + replacement + "'";
        }
    }

    private static final class NamePart implements Step {
        @Override
        public String apply(String s) {
            int at = s.indexOf('@');
            int back = s.lastIndexOf('\\', at < 0 ? s.length() - 1 : at - 1);
            if (back >= 0 && back < (at < 0 ? s.length() - 1 : at - 1)) {
                s = s.substring(back + 1);
                at = s.indexOf('@');
            }
            return at > 0 ? s.substring(0, at) : s;
        }

        @Override
        public String describe() {
            return "name part";
        }
    }

    /**
     * Builds a {@link Pipeline}; each setter validates at once (bad regexes, unknown fields).
     * Not thread-safe.
     */
    public static final class Builder {
        private final List<UserFilter> includes = new ArrayList<>();
        private final List<UserFilter> excludes = new ArrayList<>();
        private final List<Pattern> groupIncludes = new ArrayList<>();
        private final List<Pattern> groupExcludes = new ArrayList<>();
        private final List<String> usernameFrom = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();
        private CaseRule caseRule = CaseRule.PRESERVE;
        private boolean caseSet;
        private final Map<String, List<String>> fieldMapping = new LinkedHashMap<>();
        private Set<String> keptAttributes;

        private static final Set<String> MAPPABLE = Set.of("displayName", "givenName", "familyName", "email");

        private Builder() {}

        public Builder includeUsers(UserFilter filter) {
            includes.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        public Builder excludeUsers(UserFilter filter) {
            excludes.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /** Only groups whose name matches one of these regexes (whole name, case-insensitive) take part. */
        public Builder includeGroups(String nameRegex) {
            groupIncludes.add(compile(nameRegex, "includeGroups"));
            return this;
        }

        public Builder excludeGroups(String nameRegex) {
            groupExcludes.add(compile(nameRegex, "excludeGroups"));
            return this;
        }

        /** The attributes tried in order for the username; the first with a value wins. */
        public Builder usernameFrom(String... attributes) {
            if (!usernameFrom.isEmpty()) {
                throw new IllegalStateException("usernameFrom is already set to " + usernameFrom);
            }
            if (attributes.length == 0) {
                throw new IllegalArgumentException("usernameFrom needs at least one attribute");
            }
            usernameFrom.addAll(Arrays.asList(attributes));
            return this;
        }

        /** A regex rewrite applied (replaceAll) when the pattern finds a match; steps run in the order added. */
        public Builder rewriteUsername(String regex, String replacement) {
            Objects.requireNonNull(replacement, "replacement");
            Pattern p = compile(regex, "rewriteUsername");
            int groups = p.matcher("").groupCount();
            for (int i = 0; i < replacement.length(); i++) {
                char c = replacement.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '$') {
                    int j = i + 1;
                    while (j < replacement.length() && Character.isDigit(replacement.charAt(j))) {
                        j++;
                    }
                    if (j == i + 1 || Integer.parseInt(replacement.substring(i + 1, j)) > groups) {
                        throw new IllegalArgumentException("rewriteUsername: replacement refers to a group the "
                                + "pattern lacks at position " + i + " (escape a literal $ as \\$)");
                    }
                }
            }
            steps.add(new Rewrite(p, replacement));
            return this;
        }

        /** Keep the part of the username before '@' (and after '\' in DOMAIN\name). */
        public Builder namePart() {
            steps.add(new NamePart());
            return this;
        }

        public Builder usernameCase(CaseRule rule) {
            if (caseSet) {
                throw new IllegalStateException("usernameCase is already set to " + caseRule);
            }
            caseRule = Objects.requireNonNull(rule, "rule");
            caseSet = true;
            return this;
        }

        /**
         * Takes a user field from other source attributes, the first with a value winning; fields are
         * {@code displayName}, {@code givenName}, {@code familyName}, {@code email}.
         */
        public Builder mapField(String field, String... sourceAttributes) {
            if (!MAPPABLE.contains(field)) {
                throw new IllegalArgumentException("mapField: unknown field '" + field + "'; known: " + MAPPABLE);
            }
            if (sourceAttributes.length == 0) {
                throw new IllegalArgumentException("mapField: give at least one source attribute for " + field);
            }
            fieldMapping.put(field, List.of(sourceAttributes));
            return this;
        }

        /** Keep only these extra attributes on the user (default: all). */
        public Builder keepAttributes(String... names) {
            keptAttributes = new LinkedHashSet<>(Arrays.asList(names));
            return this;
        }

        public Pipeline build() {
            return new Pipeline(this);
        }

        private static Pattern compile(String regex, String what) {
            Objects.requireNonNull(regex, what);
            try {
                return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(what + ": invalid regex at index " + e.getIndex() + ": "
                        + e.getDescription());
            }
        }
    }

    /**
     * A pipeline from flat configuration (keys relative to the source, for instance {@code pipeline.}):
     * <pre>
     * username.from = userPrincipalName,email      # fallbacks in order
     * username.rewrite.1 = ^CORP\\\\(.*)$ =&gt; $1     # ordered by number: regex =&gt; replacement
     * username.namePart = true
     * username.case = lower | upper | preserve
     * users.include.attribute.NAME = regex         # all include filters must match
     * users.exclude.attribute.NAME = regex
     * users.include.memberOf = regex
     * users.exclude.memberOf = regex
     * users.exclude.kinds = guest,service
     * users.include.inactive = true                # false: only active users take part
     * groups.include = regex
     * groups.exclude = regex
     * map.displayName = cn                         # also givenName, familyName, email
     * attributes.keep = department,title           # default: all
     * </pre>
     * Errors are {@link ConfigException}s naming the key.
     */
    public static Pipeline fromConfig(ConnectorConfig config) {
        Builder b = builder();
        for (String key : config.keys()) {
            try {
                if (key.equals("username.from")) {
                    b.usernameFrom(config.list(key).toArray(String[]::new));
                } else if (key.startsWith("username.rewrite.")) {
                    continue; // ordered below
                } else if (key.equals("username.namePart")) {
                    continue; // after rewrites, below
                } else if (key.equals("username.case")) {
                    b.usernameCase(config.enumValue(key, CaseRule.class, CaseRule.PRESERVE));
                } else if (key.startsWith("users.include.attribute.")) {
                    b.includeUsers(UserFilter.attributeMatches(key.substring(24), config.require(key)));
                } else if (key.startsWith("users.exclude.attribute.")) {
                    b.excludeUsers(UserFilter.attributeMatches(key.substring(24), config.require(key)));
                } else if (key.equals("users.include.memberOf")) {
                    b.includeUsers(UserFilter.memberOf(config.require(key)));
                } else if (key.equals("users.exclude.memberOf")) {
                    b.excludeUsers(UserFilter.memberOf(config.require(key)));
                } else if (key.equals("users.exclude.kinds")) {
                    List<SourceUser.Kind> kinds = new ArrayList<>();
                    for (String k : config.list(key)) {
                        kinds.add(ConnectorConfig.of(Map.of(key, k)).enumValue(key, SourceUser.Kind.class, null));
                    }
                    if (!kinds.isEmpty()) {
                        b.excludeUsers(UserFilter.kind(kinds.toArray(SourceUser.Kind[]::new)));
                    }
                } else if (key.equals("users.include.inactive")) {
                    if (!config.bool(key, true)) {
                        b.includeUsers(UserFilter.active());
                    }
                } else if (key.equals("groups.include")) {
                    b.includeGroups(config.require(key));
                } else if (key.equals("groups.exclude")) {
                    b.excludeGroups(config.require(key));
                } else if (key.startsWith("map.")) {
                    b.mapField(key.substring(4), config.list(key).toArray(String[]::new));
                } else if (key.equals("attributes.keep")) {
                    b.keepAttributes(config.list(key).toArray(String[]::new));
                } else {
                    throw new ConfigException(key, "is not a pipeline key");
                }
            } catch (ConfigException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ConfigException(key, e.getMessage());
            }
        }
        TreeMap<Integer, String> rewrites = new TreeMap<>();
        for (String key : config.keys()) {
            if (key.startsWith("username.rewrite.")) {
                int n;
                try {
                    n = Integer.parseInt(key.substring(17));
                } catch (NumberFormatException e) {
                    throw new ConfigException(key, "must end in a number giving the rule's order");
                }
                rewrites.put(n, key);
            }
        }
        for (String key : rewrites.values()) {
            String rule = config.require(key);
            int arrow = rule.indexOf("=>");
            if (arrow < 0) {
                throw new ConfigException(key, "must read 'regex => replacement'");
            }
            try {
                b.rewriteUsername(rule.substring(0, arrow).trim(), rule.substring(arrow + 2).trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, e.getMessage());
            }
        }
        if (config.bool("username.namePart", false)) {
            b.namePart();
        }
        return b.build();
    }
}
