package io.usher.jit.explain;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.jit.ValidationTrace;
import io.usher.jit.ValidationTrace.Check;
import io.usher.jit.VerifiedLogin;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a login would do, and why, without doing it: each validation check with its verdict, then (when the login
 * passes) the user that would be created or updated with the steps that made the username, and the groups that
 * would be added or removed with the rule behind each. Made by {@link LoginExplainer}; rendered with
 * {@link #toText()} for people and {@link #toJson()} for programs. Values from the login (claims, NameID) are
 * escaped in both renderings and capped at 200 characters; validator messages name checks, never values.
 *
 * <p>Immutable and thread-safe.
 */
public final class LoginExplanation {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();

    /** What the login would lead to. */
    public enum Outcome {
        /** Every check passed (or could not be made, see {@link ValidationTrace#notChecked()}) and JIT would sign the user in. */
        ACCEPTED,
        /** A validation check refused the proof; nothing after it was looked at. */
        REFUSED_BY_VALIDATION,
        /** The proof is valid, but the JIT policy or the store would refuse the login (see {@link UserPlan#refusal()}). */
        REFUSED_BY_POLICY
    }

    /** What would happen to the user record. */
    public enum Action { CREATE, LINK, UPDATE, RENAME, REACTIVATE, UNCHANGED, REFUSED }

    /** What would happen to one membership. */
    public enum GroupChange {
        /** The user would be added (the group created first when it does not exist). */
        ADD,
        /** The user would be removed. */
        REMOVE,
        /** The user is a member already and stays one. */
        KEEP,
        /** The login names it, but it would be left alone (its name is held by a local group, ...: see the detail). */
        SKIP
    }

    /**
     * The user the login would create or update.
     *
     * @param action           what would happen
     * @param refusal          when refused, the {@code JitException} reason code, else null
     * @param refusalDetail    when refused, why (the provisioner's message), else null
     * @param username         the username after the login (null when refused before one was made)
     * @param previousUsername the username before a rename, else null
     * @param changedFields    for updates and renames, the names of the fields that would change
     * @param usernameSteps    how the username was made: the claim it came from, then each pipeline step
     * @param displayName      the display name the user would have (from the login), or null
     * @param email            the email the user would have (from the login), or null
     */
    public record UserPlan(Action action, String refusal, String refusalDetail, String username,
                           String previousUsername, Set<String> changedFields, List<String> usernameSteps,
                           String displayName, String email) {
        public UserPlan {
            Objects.requireNonNull(action, "action");
            changedFields = Set.copyOf(changedFields);
            usernameSteps = List.copyOf(usernameSteps);
        }
    }

    /**
     * One membership the login would change or confirm.
     *
     * @param group  the group's name
     * @param change what would happen
     * @param rule   the rule that caused it, in words ({@code groups.default}, a claim value and its mapping rule,
     *               {@code groups.removeUnlisted}, ...)
     * @param detail for {@link GroupChange#SKIP}, why; else null
     */
    public record GroupPlan(String group, GroupChange change, String rule, String detail) {
        public GroupPlan {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(change, "change");
            Objects.requireNonNull(rule, "rule");
        }
    }

    /**
     * One value of a group claim and what the policy made of it.
     *
     * @param claim the claim or attribute it came from
     * @param value the value as the login carried it
     * @param group the group name it became, or null when dropped
     * @param steps the policy's rules that decided it, in order
     */
    public record ClaimValue(String claim, String value, String group, List<String> steps) {
        public ClaimValue {
            steps = List.copyOf(steps);
        }
    }

    private final ValidationTrace validation;
    private final Outcome outcome;
    private final String sourceId;
    private final UserPlan user;
    private final List<ClaimValue> groupClaimValues;
    private final List<GroupPlan> groups;
    private final List<String> warnings;

    LoginExplanation(ValidationTrace validation, String sourceId, UserPlan user, List<ClaimValue> groupClaimValues,
                     List<GroupPlan> groups, List<String> warnings) {
        this.validation = Objects.requireNonNull(validation, "validation");
        this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
        this.user = user;
        this.groupClaimValues = List.copyOf(groupClaimValues);
        this.groups = List.copyOf(groups);
        this.warnings = List.copyOf(warnings);
        this.outcome = !validation.accepted() ? Outcome.REFUSED_BY_VALIDATION
                : user == null || user.action() == Action.REFUSED ? Outcome.REFUSED_BY_POLICY : Outcome.ACCEPTED;
    }

    /** Every validation check, with its verdict. */
    public ValidationTrace validation() {
        return validation;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The JIT source the login was explained for. */
    public String sourceId() {
        return sourceId;
    }

    /** The user the login would create or update; null when validation refused the login. */
    public UserPlan user() {
        return user;
    }

    /** Every value of the group claims, with what the policy made of it (empty when validation refused). */
    public List<ClaimValue> groupClaimValues() {
        return groupClaimValues;
    }

    /** The memberships the login would add, remove, keep or skip, each with its rule. */
    public List<GroupPlan> groups() {
        return groups;
    }

    /** What the provisioner would skip and why (too many groups, an invalid claim value, ...). */
    public List<String> warnings() {
        return warnings;
    }

    // ------------------------------------------------------------------------------------------- plain text

    /** The explanation for people, one fact per line; values from the login are escaped and quoted. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        VerifiedLogin login = validation.login();
        sb.append("login explanation (").append(validation.protocol()).append(", source '").append(sourceId)
                .append("'): ").append(summary()).append('\n');
        sb.append('\n').append("validation checks:\n");
        int width = validation.checks().stream().mapToInt(c -> c.id().length()).max().orElse(10);
        for (Check c : validation.checks()) {
            sb.append(String.format(Locale.ROOT, "  %-15s %-" + width + "s  ", "[" + verdict(c) + "]", c.id()));
            switch (c.verdict()) {
                case FAILED -> sb.append(c.reason()).append(": ").append(Escape.text(c.detail()));
                case NOT_APPLICABLE, NOT_CHECKED -> sb.append(Escape.text(c.detail()));
                default -> sb.append(c.description());
            }
            sb.append('\n');
        }
        if (login == null) {
            sb.append('\n').append("user and groups: not reached (the login is refused by the check above)\n");
            return sb.toString();
        }
        sb.append('\n').append("login:\n");
        line(sb, "issuer", quote(login.issuer()));
        line(sb, "subject", quote(login.subject()));
        line(sb, "proof id", quote(login.proofId()));
        line(sb, "authenticated", login.authenticatedAt().toString());
        line(sb, "attributes", String.join(", ", login.attributes().keySet().stream().sorted()
                .map(Escape::text).toList()));

        sb.append('\n').append("user: ").append(user.action());
        if (user.username() != null) {
            sb.append(' ').append(quote(user.username()));
        }
        if (user.previousUsername() != null) {
            sb.append(" (was ").append(quote(user.previousUsername())).append(')');
        }
        if (user.refusal() != null) {
            sb.append(": ").append(user.refusal()).append(": ").append(Escape.text(user.refusalDetail()));
        }
        sb.append('\n');
        if (!user.changedFields().isEmpty()) {
            line(sb, "fields changed", String.join(", ", user.changedFields().stream().sorted().toList()));
        }
        if (user.displayName() != null) {
            line(sb, "display name", quote(user.displayName()));
        }
        if (user.email() != null) {
            line(sb, "email", quote(user.email()));
        }
        sb.append("  username steps:\n");
        for (String s : user.usernameSteps()) {
            sb.append("    - ").append(Escape.text(s)).append('\n');
        }

        sb.append('\n').append("groups:");
        if (user.action() == Action.REFUSED) {
            sb.append(" none (the login is refused before groups are looked at)\n");
        } else if (groups.isEmpty()) {
            sb.append(" no membership changes\n");
        } else {
            sb.append('\n');
            for (GroupPlan g : groups) {
                sb.append("  ").append(switch (g.change()) {
                    case ADD -> "+ add   ";
                    case REMOVE -> "- remove";
                    case KEEP -> "= keep  ";
                    case SKIP -> "! skip  ";
                }).append(' ').append(quote(g.group())).append(": ").append(Escape.text(g.rule()));
                if (g.detail() != null) {
                    sb.append(" -- ").append(Escape.text(g.detail()));
                }
                sb.append('\n');
            }
        }
        if (!groupClaimValues.isEmpty()) {
            sb.append('\n').append("group claim values:\n");
            for (ClaimValue v : groupClaimValues) {
                sb.append("  ").append(Escape.text(v.claim())).append(' ').append(quote(v.value())).append(" -> ")
                        .append(v.group() == null ? "dropped" : quote(v.group())).append('\n');
                for (String s : v.steps()) {
                    sb.append("    - ").append(Escape.text(s)).append('\n');
                }
            }
        }
        if (!warnings.isEmpty()) {
            sb.append('\n').append("warnings:\n");
            for (String w : warnings) {
                sb.append("  - ").append(Escape.text(w)).append('\n');
            }
        }
        return sb.toString();
    }

    private String summary() {
        return switch (outcome) {
            case ACCEPTED -> "the login would be ACCEPTED" + (validation.notChecked().isEmpty() ? ""
                    : " (" + validation.notChecked().size() + " check(s) not made: see below)");
            case REFUSED_BY_VALIDATION -> "the login would be REFUSED by validation: "
                    + validation.failure().map(c -> c.reason() + " at " + c.id()).orElse("");
            case REFUSED_BY_POLICY -> "the login would be REFUSED by the JIT policy: " + user.refusal();
        };
    }

    private static String verdict(Check c) {
        return switch (c.verdict()) {
            case PASSED -> "passed";
            case FAILED -> "FAILED";
            case NOT_REACHED -> "not reached";
            case NOT_APPLICABLE -> "n/a";
            case NOT_CHECKED -> "not checked";
        };
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(String.format(Locale.ROOT, "  %-15s %s%n", label + ":", value));
    }

    private static String quote(String value) {
        return value == null ? "-" : "'" + Escape.text(value) + "'";
    }

    // ------------------------------------------------------------------------------------------------- JSON

    /** The explanation as one JSON object (pretty-printed; every non-ASCII character escaped). */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("protocol", validation.protocol().name());
        root.put("source", sourceId);
        root.put("outcome", outcome.name());
        ObjectNode v = root.putObject("validation");
        v.put("accepted", validation.accepted());
        validation.failure().ifPresent(f -> v.put("reason", f.reason()));
        ArrayNode checks = v.putArray("checks");
        for (Check c : validation.checks()) {
            ObjectNode n = checks.addObject();
            n.put("id", c.id());
            n.put("description", c.description());
            n.put("verdict", c.verdict().name());
            if (c.reason() != null) {
                n.put("reason", c.reason());
            }
            if (c.detail() != null) {
                n.put("detail", Escape.json(c.detail()));
            }
        }
        VerifiedLogin login = validation.login();
        if (login != null) {
            ObjectNode l = root.putObject("login");
            l.put("issuer", Escape.json(login.issuer()));
            l.put("subject", Escape.json(login.subject()));
            l.put("proofId", Escape.json(login.proofId()));
            l.put("authenticatedAt", login.authenticatedAt().toString());
            ArrayNode names = l.putArray("attributes");
            login.attributes().keySet().stream().sorted().map(Escape::json).forEach(names::add);
        }
        if (user != null) {
            ObjectNode u = root.putObject("user");
            u.put("action", user.action().name());
            putIf(u, "refusal", user.refusal());
            putIf(u, "refusalDetail", user.refusalDetail());
            putIf(u, "username", user.username());
            putIf(u, "previousUsername", user.previousUsername());
            putIf(u, "displayName", user.displayName());
            putIf(u, "email", user.email());
            ArrayNode fields = u.putArray("changedFields");
            user.changedFields().stream().sorted().forEach(fields::add);
            ArrayNode steps = u.putArray("usernameSteps");
            user.usernameSteps().forEach(s -> steps.add(Escape.json(s)));
        }
        ArrayNode gs = root.putArray("groups");
        for (GroupPlan g : groups) {
            ObjectNode n = gs.addObject();
            n.put("group", Escape.json(g.group()));
            n.put("change", g.change().name());
            n.put("rule", Escape.json(g.rule()));
            putIf(n, "detail", g.detail());
        }
        ArrayNode values = root.putArray("groupClaimValues");
        for (ClaimValue c : groupClaimValues) {
            ObjectNode n = values.addObject();
            n.put("claim", Escape.json(c.claim()));
            n.put("value", Escape.json(c.value()));
            putIf(n, "group", c.group());
            ArrayNode steps = n.putArray("steps");
            c.steps().forEach(s -> steps.add(Escape.json(s)));
        }
        ArrayNode w = root.putArray("warnings");
        warnings.forEach(s -> w.add(Escape.json(s)));
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the explanation could not be written as JSON", e);
        }
    }

    private static void putIf(ObjectNode n, String name, String value) {
        if (value != null) {
            n.put(name, Escape.json(value));
        }
    }

    @Override
    public String toString() {
        return "LoginExplanation[" + validation.protocol() + ", " + outcome + "]";
    }

    /** Builds the user plan's list of changed fields from a provisioning's changes (names only). */
    static Set<String> fields(List<io.usher.core.Change> changes) {
        List<String> out = new ArrayList<>();
        for (io.usher.core.Change c : changes) {
            if (c.kind() == io.usher.core.ChangeKind.USER_UPDATED || c.kind() == io.usher.core.ChangeKind.USER_RENAMED
                    || c.kind() == io.usher.core.ChangeKind.USER_REACTIVATED) {
                out.addAll(c.fields());
            }
        }
        return Set.copyOf(out);
    }
}
