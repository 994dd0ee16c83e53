package io.usher.jit.explain;

import io.usher.core.Change;
import io.usher.core.ChangeKind;
import io.usher.core.ConfigException;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.UsherException;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.core.model.Values;
import io.usher.core.pipeline.Preview;
import io.usher.core.spi.SourceUser;
import io.usher.core.spi.UserStore;
import io.usher.core.store.InMemoryUserStore;
import io.usher.jit.InMemoryLastLoginStore;
import io.usher.jit.JitException;
import io.usher.jit.JitPolicy;
import io.usher.jit.JitProvisioner;
import io.usher.jit.JitResult;
import io.usher.jit.ValidationTrace;
import io.usher.jit.VerifiedLogin;
import io.usher.jit.explain.LoginExplanation.Action;
import io.usher.jit.explain.LoginExplanation.ClaimValue;
import io.usher.jit.explain.LoginExplanation.GroupChange;
import io.usher.jit.explain.LoginExplanation.GroupPlan;
import io.usher.jit.explain.LoginExplanation.UserPlan;
import io.usher.jit.oidc.IdTokenExpectations;
import io.usher.jit.oidc.OidcValidator;
import io.usher.jit.saml.SamlResponseValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Explains a login without changing anything: what each validation check says about a SAML Response or an ID
 * token, and — when it passes — what JIT provisioning would do with it: the user it would create, update, rename,
 * reactivate or refuse (with the steps that made the username) and the memberships it would add or remove (with
 * the rule behind each). Administrators use it when group claims are hard to get right at the IdP.
 *
 * <pre>{@code
 * LoginExplainer explainer = LoginExplainer.builder().engine(engine).policy(policy).saml(samlValidator).build();
 * LoginExplanation e = explainer.explainSaml(form.get("SAMLResponse"), requestId);   // null: request not known
 * System.out.println(e.toText());
 * }</pre>
 *
 * <p>How it stays side-effect free: the checks come from the validators' own dry runs
 * ({@link SamlResponseValidator#trace}, {@link OidcValidator#trace}), which look at the replay caches without
 * recording, so the login can still be used afterwards. The host's store is read through a read-only view; the
 * provisioner then runs for real against a scratch in-memory copy of just the records this login touches (its
 * user, a user holding the username it would get, its groups and the groups it names), with a scratch last-login
 * store and no listeners, so the answer is what {@link JitProvisioner} would do, and nothing reaches the host.
 *
 * <p>Thread-safe: explanations may run concurrently.
 */
public final class LoginExplainer {
    private final UserStore store;
    private final Source source;
    private final JitPolicy policy;
    private final SamlResponseValidator saml;
    private final OidcValidator oidc;

    private LoginExplainer(Builder b) {
        this.store = new ReadOnlyStore(b.store);
        this.source = b.source;
        this.policy = b.policy;
        this.saml = b.saml;
        this.oidc = b.oidc;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Explains a SAML Response (the {@code SAMLResponse} form value, base64) that answers the request with ID
     * {@code requestId}; with {@code requestId} null the request is not known and InResponseTo is reported as not
     * checked. To explain a Response the host expects to be unsolicited, use {@link #explainUnsolicitedSaml}.
     */
    public LoginExplanation explainSaml(String samlResponse, String requestId) {
        Objects.requireNonNull(samlResponse, "samlResponse");
        return explain(requestId == null ? saml().traceWithoutRequest(samlResponse)
                : saml().trace(samlResponse, requestId));
    }

    /** Explains a SAML Response judged as unsolicited (IdP-initiated): InResponseTo must be absent. */
    public LoginExplanation explainUnsolicitedSaml(String samlResponse) {
        return explain(saml().trace(Objects.requireNonNull(samlResponse, "samlResponse"), null));
    }

    /**
     * Explains an ID token; {@code expect} is what the login sent (nonce, max_age, acr, access token), or null when
     * that is not known (those checks are then reported as not checked).
     */
    public LoginExplanation explainIdToken(String idToken, IdTokenExpectations expect) {
        if (oidc == null) {
            throw new IllegalStateException("no OIDC validator was given to this explainer (Builder.oidc)");
        }
        return explain(oidc.trace(Objects.requireNonNull(idToken, "idToken"), expect));
    }

    private SamlResponseValidator saml() {
        if (saml == null) {
            throw new IllegalStateException("no SAML validator was given to this explainer (Builder.saml)");
        }
        return saml;
    }

    /** Explains what JIT would do with a login whose validation this trace records. */
    public LoginExplanation explain(ValidationTrace validation) {
        Objects.requireNonNull(validation, "validation");
        if (!validation.accepted()) {
            return new LoginExplanation(validation, policy.sourceId(), null, List.of(), List.of(), List.of());
        }
        VerifiedLogin login = validation.login();

        // what the policy makes of each group claim value, and which rule puts the user in each wanted group
        List<ClaimValue> values = new ArrayList<>();
        Map<String, String> wanted = new LinkedHashMap<>();
        Map<String, String> ruleOf = new HashMap<>();
        for (String name : policy.defaultGroupNames()) {
            wanted.put(key(name), name);
            ruleOf.put(key(name), "a default group (groups.default): every user of this IdP is a member");
        }
        int seen = 0;
        claims:
        for (String claim : policy.groupClaims()) {
            for (String value : login.attributes().getOrDefault(claim, List.of())) {
                if (++seen > policy.maxGroupValues()) {
                    break claims; // the provisioner warns about it
                }
                JitPolicy.GroupDecision d = policy.explainGroupName(value);
                if (d.group() != null && !validGroupName(d.group())) {
                    List<String> steps = new ArrayList<>(d.steps());
                    steps.add("dropped: not a valid group name (control characters or too long)");
                    values.add(new ClaimValue(claim, value, null, steps));
                    continue;
                }
                values.add(new ClaimValue(claim, value, d.group(), d.steps()));
                if (d.group() != null) {
                    wanted.putIfAbsent(key(d.group()), d.group());
                    ruleOf.putIfAbsent(key(d.group()), "claim '" + claim + "' value '" + value + "': "
                            + String.join("; ", d.steps()));
                }
            }
        }

        Optional<User> existing = store.findUserByOrigin(Origin.of(policy.sourceId(), login.subject()));
        Set<String> memberOf = new LinkedHashSet<>();
        existing.ifPresent(u -> {
            for (String gk : store.groupsOf(MemberKind.USER, u.key())) {
                store.findGroup(gk).ifPresent(g -> memberOf.add(key(g.name())));
            }
        });

        Scratch scratch = new Scratch();
        List<String> steps = new ArrayList<>();
        Preview preview = null;
        try {
            SourceUser su = scratch.provisioner.sourceUserOf(login);
            steps.addAll(loginNameSteps(login));
            preview = source.pipeline().preview(su);
            steps.addAll(preview.steps());
        } catch (IllegalArgumentException | UsherException e) {
            steps.add("the login cannot become a source record: " + e.getMessage());
        }
        scratch.copyFor(login, existing, preview, wanted);

        String displayName = preview != null && preview.user() != null ? preview.user().displayName() : null;
        String email = preview != null && preview.user() != null && !preview.user().emails().isEmpty()
                ? preview.user().emails().get(0) : null;
        JitResult result;
        try {
            result = scratch.provisioner.provision(forScratch(login));
        } catch (JitException e) {
            String prefix = e.reason() + ": ";
            String message = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length())
                    : e.getMessage();
            UserPlan refused = new UserPlan(Action.REFUSED, e.reason().name(), message,
                    preview == null ? null : preview.username(), null, Set.of(), steps, displayName, email);
            return new LoginExplanation(validation, policy.sourceId(), refused, values, List.of(), List.of());
        }

        String previous = null;
        for (Change c : result.changes()) {
            if (c.kind() == ChangeKind.USER_RENAMED) {
                previous = c.previousName();
            }
        }
        UserPlan user = new UserPlan(action(result.action()), null, null, result.username(), previous,
                LoginExplanation.fields(result.changes()), steps, displayName, email);

        List<GroupPlan> groups = new ArrayList<>();
        Set<String> added = new LinkedHashSet<>();
        result.groupsAdded().forEach(n -> added.add(key(n)));
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            String k = e.getKey();
            if (added.contains(k)) {
                groups.add(new GroupPlan(e.getValue(), GroupChange.ADD, ruleOf.get(k), null));
            } else if (memberOf.contains(k)) {
                groups.add(new GroupPlan(e.getValue(), GroupChange.KEEP, ruleOf.get(k), null));
            } else {
                String why = result.warnings().stream().filter(w -> w.startsWith("group '" + e.getValue() + "'"))
                        .findFirst().orElse("the provisioner would not join it");
                groups.add(new GroupPlan(e.getValue(), GroupChange.SKIP, ruleOf.get(k), why));
            }
        }
        for (String name : result.groupsRemoved()) {
            String rule = policy.removalRule(name);
            groups.add(new GroupPlan(name, GroupChange.REMOVE, rule != null ? rule : "not listed in the claim", null));
        }
        return new LoginExplanation(validation, policy.sourceId(), user, values, groups, result.warnings());
    }

    /**
     * The trace's login without its dry-run mark, for the scratch provisioner only (which refuses a marked one, as
     * the host's does): its writes land in the scratch copy, never in the host's store.
     */
    private static VerifiedLogin forScratch(VerifiedLogin login) {
        return new VerifiedLogin(login.protocol(), login.issuer(), login.subject(), login.proofId(),
                login.authenticatedAt(), login.inResponseTo(), login.attributes(), false);
    }

    /** Which attribute or claim gave the login name, as the provisioner picks it (the first with a value). */
    private List<String> loginNameSteps(VerifiedLogin login) {
        List<String> out = new ArrayList<>();
        for (String name : policy.usernameFrom()) {
            String v = JitPolicy.SUBJECT.equals(name) ? login.subject() : login.first(name);
            String label = JitPolicy.SUBJECT.equals(name) ? "the subject (NameID / sub)" : "'" + name + "'";
            if (v != null && !v.isBlank()) {
                out.add("login name from " + label + " (username.from): '" + v.trim() + "'");
                return out;
            }
            out.add(label + " has no value, trying the next name in username.from");
        }
        out.add("no name in username.from has a value");
        return out;
    }

    private static Action action(JitResult.Action a) {
        return switch (a) {
            case CREATED -> Action.CREATE;
            case LINKED -> Action.LINK;
            case UPDATED -> Action.UPDATE;
            case RENAMED -> Action.RENAME;
            case REACTIVATED -> Action.REACTIVATE;
            case UNCHANGED -> Action.UNCHANGED;
        };
    }

    /** The provisioner's own test of a group name (it skips invalid ones with a warning). */
    private static boolean validGroupName(String name) {
        try {
            Values.optionalText(name, "group name");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String key(String groupName) {
        return groupName.toLowerCase(Locale.ROOT);
    }

    /**
     * A scratch in-memory store holding copies of the records one login touches, and a provisioner over it with
     * the host's source and policy: where the provisioner's writes land instead of the host's store.
     */
    private final class Scratch {
        final InMemoryUserStore copy = new InMemoryUserStore();
        final JitProvisioner provisioner = JitProvisioner.builder()
                .engine(ProvisioningEngine.builder().store(copy).source(source).build())
                .policy(policy).lastLogins(new InMemoryLastLoginStore()).build();
        private final Map<String, String> users = new HashMap<>();
        private final Map<String, String> groups = new HashMap<>();

        void copyFor(VerifiedLogin login, Optional<User> existing, Preview preview, Map<String, String> wanted) {
            existing.ifPresent(u -> {
                String mine = user(u);
                for (String gk : store.groupsOf(MemberKind.USER, u.key())) {
                    store.findGroup(gk).ifPresent(g -> copy.addMember(group(g), MemberKind.USER, mine));
                }
            });
            if (preview != null && preview.username() != null) {
                store.findUserByUsername(preview.username()).ifPresent(this::user);
            }
            for (Map.Entry<String, String> e : wanted.entrySet()) {
                store.findGroupByOrigin(Origin.of(policy.sourceId(), e.getKey())).ifPresent(this::group);
                store.findGroupByName(e.getValue()).ifPresent(this::group);
            }
        }

        private String user(User u) {
            return users.computeIfAbsent(u.key(), k -> copy.createUser(u.withKey(null)).key());
        }

        private String group(Group g) {
            return groups.computeIfAbsent(g.key(), k -> copy.createGroup(g.withKey(null)).key());
        }
    }

    /**
     * Builds a {@link LoginExplainer}. Required: the store and the JIT source (or an engine holding both), the
     * policy, and at least one validator. Not thread-safe.
     */
    public static final class Builder {
        private UserStore store;
        private Source source;
        private ProvisioningEngine engine;
        private JitPolicy policy;
        private SamlResponseValidator saml;
        private OidcValidator oidc;

        private Builder() {
        }

        /** The host's engine: its store (only ever read) and the policy's source. */
        public Builder engine(ProvisioningEngine value) {
            engine = Objects.requireNonNull(value, "engine");
            store = value.store();
            return this;
        }

        /** The host's store; only ever read. */
        public Builder store(UserStore value) {
            store = Objects.requireNonNull(value, "store");
            return this;
        }

        /** The JIT source (push-only, the policy's {@code sourceId}): its filters, pipeline and collision policy. */
        public Builder source(Source value) {
            source = Objects.requireNonNull(value, "source");
            return this;
        }

        public Builder policy(JitPolicy value) {
            policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /** The SAML validator whose checks are explained. */
        public Builder saml(SamlResponseValidator value) {
            saml = Objects.requireNonNull(value, "saml");
            return this;
        }

        /** The OIDC validator whose checks are explained. */
        public Builder oidc(OidcValidator value) {
            oidc = Objects.requireNonNull(value, "oidc");
            return this;
        }

        /** The explainer; refuses a missing part or a source the provisioner would refuse, naming it. */
        public LoginExplainer build() {
            if (policy == null) {
                throw new ConfigException("policy", "is required");
            }
            if (source == null && engine != null) {
                try {
                    source = engine.source(policy.sourceId());
                } catch (UsherException e) {
                    throw new ConfigException("policy.sourceId", "names no source of the engine");
                }
            }
            if (store == null) {
                throw new ConfigException("store", "is required (or give the engine)");
            }
            if (source == null) {
                throw new ConfigException("source", "is required (or give the engine)");
            }
            if (!source.id().equals(policy.sourceId())) {
                throw new ConfigException("source", "is '" + source.id() + "' but the policy is for source '"
                        + policy.sourceId() + "'");
            }
            if (saml == null && oidc == null) {
                throw new ConfigException("saml", "a SAML or an OIDC validator is required");
            }
            LoginExplainer explainer = new LoginExplainer(this);
            explainer.new Scratch(); // the provisioner's own checks of source and policy, said now
            return explainer;
        }
    }
}
