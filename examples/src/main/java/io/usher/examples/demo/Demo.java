package io.usher.examples.demo;

import io.usher.azure.AzureConfig;
import io.usher.azure.AzureSourceConnector;
import io.usher.core.Change;
import io.usher.core.ChangeKind;
import io.usher.core.CollisionPolicy;
import io.usher.core.DeletionGuard;
import io.usher.core.DeprovisionPolicy;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.SyncListener;
import io.usher.core.SyncReport;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import io.usher.core.pipeline.CaseRule;
import io.usher.core.pipeline.Pipeline;
import io.usher.core.store.InMemoryUserStore;
import io.usher.examples.cli.ProgressLine;
import io.usher.jit.JitPolicy;
import io.usher.jit.JitPolicy.GroupMode;
import io.usher.jit.JitProvisioner;
import io.usher.jit.JitResult;
import io.usher.jit.VerifiedLogin;
import io.usher.jit.Websudo;
import io.usher.jit.WebsudoChallenge;
import io.usher.jit.WebsudoException;
import io.usher.jit.WebsudoGrant;
import io.usher.jit.oidc.AuthorizationRequest;
import io.usher.jit.oidc.OidcProviderMetadata;
import io.usher.jit.oidc.OidcValidator;
import io.usher.jit.saml.SamlAuthnRequest;
import io.usher.jit.saml.SamlConfig;
import io.usher.jit.saml.SamlMetadata;
import io.usher.jit.saml.SamlResponseValidator;
import io.usher.ldap.LdapConfig;
import io.usher.ldap.LdapSourceConnector;
import io.usher.ldap.Preset;
import io.usher.scim.BearerTokenAuthenticator;
import io.usher.scim.ScimServer;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryGroup;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.graph.GraphServer;
import io.usher.testkit.ldap.LdapDirectoryServer;
import io.usher.testkit.oidc.OidcProvider;
import io.usher.testkit.saml.SamlIdp;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * The README's first command ({@code ./demo.sh}): every route of Usher against a generated organisation, on
 * loopback, narrated step by step.
 *
 * <ol>
 *   <li>An organisation (default 20,000 users, 2,000 nested groups) is generated in testkit's in-memory directory
 *       and served over LDAP (Active Directory schema) and as a fake Entra ID tenant (Microsoft Graph).
 *   <li>"The wiki" previews its sync over LDAP (counts per change kind, sample rows), syncs with a progress line,
 *       and the same organisation is synced once more through the Entra ID connector into a second store.
 *   <li>The directory changes (a hire, a rename, a disabled account, a leaver, a move between groups); both
 *       routes sync incrementally and show exactly those changes.
 *   <li>30% of the users vanish by mistake: the mass-deletion guard refuses the removals and says why (on the
 *       Entra route: UnboundID's in-memory LDAP server takes minutes to apply thousands of deletions).
 *   <li>"The app", fed only by push routes: the SCIM server on a printed URL with a printed bearer token and
 *       {@code curl} lines; JIT logins with a signed SAML Response and an OIDC ID token; websudo with a fresh
 *       re-authentication accepted and a stale one (an IdP that ignores {@code prompt=login}) refused.
 * </ol>
 *
 * <p>Arguments: {@code [users] [groups] [--keep-serving]}. With {@code --keep-serving} the servers stay up (so the
 * printed {@code curl} lines keep working) until Ctrl-C. Narration goes to standard output, the progress line
 * to standard error. Not thread-safe: one demo runs on one thread; {@link #close()} stops its servers.
 */
public final class Demo implements AutoCloseable {
    static final String USAGE = "usage: ./demo.sh [users] [groups] [--keep-serving]   (default: 20000 2000; "
            + "at least 50 users and 10 groups)";
    static final String SAML_SP = "https://app.example.test/saml";
    static final String SAML_ACS = "https://app.example.test/saml/acs";
    static final String SAML_IDP = "https://idp.usher.test/saml";
    static final String OIDC_CLIENT = "app";
    static final String SSO_SOURCE = "sso";
    static final String SCIM_SOURCE = "scim";
    private static final String GRAPH_CLIENT = "6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";

    /** The command line. */
    record Options(int users, int groups, boolean keepServing) {
        static Options parse(String... args) {
            List<Integer> numbers = new ArrayList<>();
            boolean keep = false;
            for (String a : args) {
                if (a.equals("--keep-serving")) {
                    keep = true;
                } else if (a.matches("[0-9]{1,7}")) {
                    numbers.add(Integer.parseInt(a));
                } else {
                    throw new IllegalArgumentException("unknown argument '" + a + "'");
                }
            }
            if (numbers.size() > 2) {
                throw new IllegalArgumentException("at most two numbers: users and groups");
            }
            int users = numbers.isEmpty() ? 20_000 : numbers.get(0);
            int groups = numbers.size() < 2 ? Math.max(10, users / 10) : numbers.get(1);
            if (users < 50 || users > 1_000_000) {
                throw new IllegalArgumentException("users must be between 50 and 1000000");
            }
            if (groups < 10 || groups > users) {
                throw new IllegalArgumentException("groups must be between 10 and the number of users");
            }
            return new Options(users, groups, keep);
        }
    }

    /** The five changes made to the directory in step 4, by login and group name. */
    record DirectoryChanges(String hire, String hireGroup, String renamedFrom, String renamedTo, String disabled,
                            String leaver, String mover, String movedFrom, String movedTo) {}

    /** Held so the level set in {@link #main} survives garbage collection of JUL's weakly held loggers. */
    private static final java.util.logging.Logger JERSEY_LOG = java.util.logging.Logger.getLogger("org.glassfish");

    private final Options options;
    private final PrintStream out;
    private final ProgressLine progress;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Recorder recorder = new Recorder();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    // the organisation and its faces
    InMemoryDirectory directory;
    LdapDirectoryServer ldap;
    GraphServer graph;
    // the wiki (LDAP) and its Entra twin
    final InMemoryUserStore wiki = new InMemoryUserStore();
    final InMemoryUserStore entra = new InMemoryUserStore();
    ProvisioningEngine wikiEngine;
    ProvisioningEngine entraEngine;
    // the app (push routes), on a clock the demo moves forward for JIT and websudo
    final InMemoryUserStore app = new InMemoryUserStore();
    private ProvisioningEngine appEngine;
    private ManualClock clock;
    private OidcProvider oidc;
    private OidcProviderMetadata oidcMetadata;
    private OidcValidator oidcValidator;
    private DirectoryUser oidcPerson;
    /** Directory users the demo already picked for a role. */
    private final Set<String> used = new HashSet<>();

    // what happened, as narrated (read by the tests)
    final Map<ChangeKind, Long> previewCounts = new EnumMap<>(ChangeKind.class);
    SyncReport initial;
    SyncReport entraInitial;
    DirectoryChanges changes;
    SyncReport incremental;
    List<Change> incrementalChanges = List.of();
    SyncReport entraDelta;
    List<Change> entraDeltaChanges = List.of();
    SyncReport guarded;
    long usersRemovedFromDirectory;
    long activeBeforeGuard;
    long activeAfterGuard;
    String scimBaseUrl;
    String scimToken;
    int scimCreateStatus;
    List<String> curlLines = List.of();
    JitResult samlLogin;
    JitResult oidcLogin;
    JitResult oidcLoginOfSamlUser;
    WebsudoGrant websudoGrant;
    WebsudoException staleRefusal;

    private Demo(Options options, PrintStream out, PrintWriter progressOut, boolean terminal) {
        this.options = options;
        this.out = out;
        this.progress = new ProgressLine(progressOut, terminal);
    }

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        JERSEY_LOG.setLevel(java.util.logging.Level.SEVERE); // start-up notes about optional features
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Demo demo = run(options, System.out, new PrintWriter(System.err, true), System.console() != null);
        if (options.keepServing()) {
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                demo.close();
                System.out.println("Stopped.");
                stopped.countDown();
            }, "demo-shutdown"));
            demo.say("%nServing until Ctrl-C (the curl lines above work until then).");
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        demo.close();
        System.exit(0);
    }

    /**
     * Runs every step and returns with the servers still up (the caller closes the demo). On a failure the
     * servers are closed and the exception propagates.
     */
    static Demo run(Options options, PrintStream out, PrintWriter progressOut, boolean terminal) {
        Demo demo = new Demo(options, out, progressOut, terminal);
        try {
            long started = System.nanoTime();
            demo.organisation();
            demo.preview();
            demo.initialSync();
            demo.entraRoute();
            demo.changeAndSyncIncrementally();
            demo.guard();
            demo.scim();
            demo.jit();
            demo.websudo();
            demo.say("%nDone in %.1f s: every result above came from the real connectors, servers and validators.",
                    (System.nanoTime() - started) / 1e9);
            return demo;
        } catch (RuntimeException | Error e) {
            demo.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ 1. the organisation

    private void organisation() {
        section(1, "An organisation in the in-memory directory, served over LDAP and as an Entra ID tenant");
        long t = System.nanoTime();
        directory = DirectoryGenerator.builder().seed(2026).users(options.users()).groups(options.groups())
                .nestingDepth(3).targetMemberships(options.users() * 3L).build().generate();
        say("   generated %,d users, %,d groups (nested 3 deep), %,d memberships in %s", directory.userCount(),
                directory.groupCount(), directory.membershipCount(), since(t));
        t = System.nanoTime();
        ldap = open(LdapDirectoryServer.start(directory, LdapDirectoryServer.Flavour.ACTIVE_DIRECTORY));
        say("   LDAP (Active Directory schema): %s  bind %s / %s  users %s  (loaded in %s)", ldap.url(),
                ldap.bindDn(), ldap.bindPassword(), ldap.usersBase(), since(t));
        String secret = randomToken(24);
        graph = open(GraphServer.builder(directory)
                .clientSecret(GRAPH_CLIENT, secret, GraphServer.CONNECTOR_PERMISSIONS).start());
        say("   Entra ID tenant %s (fake Microsoft Graph): %s  token endpoint %s", graph.tenant(), graph.graphUri(),
                graph.tokenUri());

        // the wiki reads the directory over LDAP, as it would read Active Directory
        LdapSourceConnector ldapConnector = open(new LdapSourceConnector(LdapConfig.builder().url(ldap.url())
                .preset(Preset.ACTIVE_DIRECTORY).bind(ldap.bindDn(), ldap.bindPassword())
                .usersBase(ldap.usersBase()).groupsBase(ldap.groupsBase())
                // UnboundID's in-memory server re-runs the whole search for every page: large pages keep it fast
                .pageSize(10_000).build()));
        wikiEngine = ProvisioningEngine.builder().store(wiki)
                .source(Source.builder("corp").connector(ldapConnector)
                        .pipeline(Pipeline.builder().usernameCase(CaseRule.LOWER).build())
                        .deprovision(DeprovisionPolicy.DEACTIVATE)
                        .guard(DeletionGuard.maxShare(0.10))
                        .build())
                .listener(progress).listener(recorder).build();
        // and a twin of the wiki reads the same people from the Entra ID tenant, through Microsoft Graph
        AzureSourceConnector azure = open(new AzureSourceConnector(AzureConfig.builder().tenantId(graph.tenant())
                .clientId(GRAPH_CLIENT).clientSecret(secret).loginBaseUrl(graph.loginUri())
                .graphBaseUrl(graph.graphUri()).pageSize(999).maxConcurrency(4).build()));
        entraEngine = ProvisioningEngine.builder().store(entra)
                .source(Source.builder("entra").connector(azure)
                        .pipeline(Pipeline.builder().namePart().usernameCase(CaseRule.LOWER).build())
                        .deprovision(DeprovisionPolicy.DEACTIVATE)
                        .guard(DeletionGuard.maxShare(0.10))
                        .build())
                .listener(progress).listener(recorder).build();
    }

    // ------------------------------------------------------------------ 2. preview and sync

    private void preview() {
        section(2, "Preview the wiki's sync over LDAP (a dry run: nothing is written)");
        Map<ChangeKind, List<Change>> samples = new EnumMap<>(ChangeKind.class);
        long t = System.nanoTime();
        SyncReport plan = wikiEngine.plan("corp", c -> {
            List<Change> s = samples.computeIfAbsent(c.kind(), k -> new ArrayList<>());
            if (s.size() < 2) {
                s.add(c);
            }
        });
        previewCounts.putAll(plan.counts());
        say("   %,d records read in %s; %,d changes would be made:", plan.recordsRead(), since(t),
                plan.totalChanges());
        plan.counts().forEach((kind, n) -> say("     %-16s %,9d", words(kind), n));
        say("   for example:");
        samples.values().forEach(list -> list.forEach(c -> say("     %s", c)));
        say("   guard: %s", plan.guardTripped() ? "would refuse: " + plan.guardReason() : "would allow it");
    }

    private void initialSync() {
        section(3, "Sync the wiki over LDAP into its (in-memory) store");
        initial = wikiEngine.synchronize("corp");
        report(initial);
        say("   the wiki's store now holds %,d users and %,d groups", wiki.userCount(), wiki.groupCount());
    }

    private void entraRoute() {
        say("%n   The same people read as an Entra ID tenant, through the Entra ID connector (Microsoft Graph):");
        long requests = graph.graphRequests();
        entraInitial = entraEngine.synchronize("entra");
        report(entraInitial);
        say("   %,d Graph requests; the Entra twin holds %,d users and %,d groups", graph.graphRequests() - requests,
                entra.userCount(), entra.groupCount());
    }

    // ------------------------------------------------------------------ 3. changes, incrementally

    private void changeAndSyncIncrementally() {
        section(4, "The directory changes: a hire, a rename, a disabled account, a leaver, a move between groups");
        List<DirectoryUser> people = ordinaryPeople(5, Set.of());
        List<String> groupIds = directory.groups().map(DirectoryGroup::id).sorted().collect(Collectors.toList());
        String hireGroup = groupIds.get(3);
        DirectoryUser hire = directory.addUser(DirectoryUser.builder("new.hire").displayName("New Hire")
                .givenName("New").familyName("Hire").email("new.hire@corp.example").build());
        directory.addMember(hireGroup, MemberKind.USER, hire.id());
        DirectoryUser renamed = people.get(0);
        String newName = renamed.loginName() + ".married";
        directory.renameUser(renamed.id(), newName);
        DirectoryUser disabled = people.get(1);
        directory.disableUser(disabled.id());
        DirectoryUser leaver = people.get(2);
        directory.deleteUser(leaver.id());
        DirectoryUser mover = people.get(3);
        String from = new TreeSet<>(directory.groupsOf(MemberKind.USER, mover.id())).first();
        String to = groupIds.stream().filter(g -> !directory.groupsOf(MemberKind.USER, mover.id()).contains(g))
                .filter(g -> !g.equals(hireGroup)).findFirst().orElseThrow();
        directory.moveUser(mover.id(), from, to);
        changes = new DirectoryChanges(hire.loginName(), groupName(hireGroup), renamed.loginName(), newName,
                disabled.loginName(), leaver.loginName(), mover.loginName(), groupName(from), groupName(to));
        say("   hired %s (into %s); renamed %s to %s; disabled %s; %s left; %s moved from %s to %s",
                changes.hire(), changes.hireGroup(), changes.renamedFrom(), changes.renamedTo(), changes.disabled(),
                changes.leaver(), changes.mover(), changes.movedFrom(), changes.movedTo());
        String renamedKey = wiki.findUserByUsername(changes.renamedFrom().toLowerCase(Locale.ROOT)).orElseThrow()
                .key();

        say("%n   The wiki syncs again over LDAP: only what changed is read (uSNChanged), and applied:");
        recorder.start();
        incremental = wikiEngine.synchronize("corp");
        incrementalChanges = recorder.stop();
        report(incremental);
        incrementalChanges.forEach(c -> say("     %s", c));
        User after = wiki.findUser(renamedKey).orElseThrow();
        say("   %s is now %s under the same store key %s: a rename, not a delete and a create",
                changes.renamedFrom().toLowerCase(Locale.ROOT), after.username(), after.key());

        say("%n   The Entra twin syncs again through Graph delta queries:");
        long requests = graph.graphRequests();
        recorder.start();
        entraDelta = entraEngine.synchronize("entra");
        entraDeltaChanges = recorder.stop();
        report(entraDelta);
        entraDeltaChanges.forEach(c -> say("     %s", c));
        say("   %,d Graph requests", graph.graphRequests() - requests);
    }

    // ------------------------------------------------------------------ 4. the guard

    private void guard() {
        section(5, "A mistake in the tenant: 30% of the users are deleted at once (a bad script, a wrong rule)");
        activeBeforeGuard = activeUsers(entra);
        List<String> ids = directory.users().map(DirectoryUser::id).sorted().collect(Collectors.toList());
        List<String> doomed = List.copyOf(ids.subList(ids.size() - ids.size() * 3 / 10, ids.size()));
        doomed.forEach(directory::deleteUser);
        usersRemovedFromDirectory = doomed.size();
        say("   %,d users deleted; the Entra twin syncs (every source has the same guard, here at most 10%%):",
                usersRemovedFromDirectory);
        guarded = entraEngine.synchronize("entra");
        report(guarded);
        activeAfterGuard = activeUsers(entra);
        if (guarded.guardTripped()) {
            say("   REFUSED by the mass-deletion guard: %s", guarded.guardReason());
        } else {
            say("   not refused?! %s", guarded.complete() ? "the guard allowed it" : guarded.incompleteReason());
        }
        say("   %,d removals withheld for inspection (e.g. %s); active users in the Entra twin: %,d before, %,d "
                + "after", guarded.withheld().size(), guarded.withheld().isEmpty() ? "-" : guarded.withheld().get(0),
                activeBeforeGuard, activeAfterGuard);
        say("   (an admin who means it confirms with SyncOptions.withOverrideGuard(), or `usher sync "
                + "--override-guard`)");
    }

    // ------------------------------------------------------------------ 5. SCIM

    private void scim() {
        section(6, "The app: no directory access, identities are pushed to it. First SCIM 2.0, on Jersey");
        clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        appEngine = ProvisioningEngine.builder().store(app).clock(clock)
                .source(Source.builder(SCIM_SOURCE).collisions(CollisionPolicy.LINK).build())
                .source(Source.builder(SSO_SOURCE).pipeline(Pipeline.builder().usernameCase(CaseRule.LOWER).build())
                        .build())
                .build();
        scimToken = randomToken(24);
        ScimServer scim = ScimServer.builder(appEngine, SCIM_SOURCE)
                .authenticator(BearerTokenAuthenticator.builder().token("demo-idp", scimToken).build()).build();
        ScimEndpoint endpoint = open(ScimEndpoint.start(scim));
        scimBaseUrl = endpoint.baseUrl();
        say("   SCIM base URL: %s", scimBaseUrl);
        say("   bearer token:  %s", scimToken);
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(scimBaseUrl + "/Users"))
                .header("Authorization", "Bearer " + scimToken).header("Content-Type", "application/scim+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:"
                        + "User\"],\"userName\":\"ada.lovelace\",\"externalId\":\"ada-1815\",\"name\":{\"givenName"
                        + "\":\"Ada\",\"familyName\":\"Lovelace\"},\"emails\":[{\"value\":\"ada@corp.example\","
                        + "\"primary\":true}]}")).build());
        scimCreateStatus = created.statusCode();
        say("   POST %s/Users (ada.lovelace) -> %d; the app's store: %s", scimBaseUrl, scimCreateStatus,
                app.findUserByUsername("ada.lovelace").map(u -> "user " + u.username() + ", key " + u.key()
                        + ", source " + u.origin().sourceId()).orElse("no such user"));
        HttpResponse<String> unauthorised = send(HttpRequest.newBuilder(URI.create(scimBaseUrl + "/Users"))
                .header("Authorization", "Bearer not-the-token-0123456789").GET().build());
        say("   GET /Users with a wrong token -> %d", unauthorised.statusCode());
        String auth = "-H 'Authorization: Bearer " + scimToken + "'";
        curlLines = List.of(
                "curl -s " + auth + " '" + scimBaseUrl + "/Users?filter=userName%20eq%20%22ada.lovelace%22'",
                "curl -s " + auth + " -H 'Content-Type: application/scim+json' -d '{\"schemas\":[\"urn:ietf:params:"
                        + "scim:schemas:core:2.0:User\"],\"userName\":\"grace.hopper\",\"displayName\":\"Grace Hopper"
                        + "\"}' '" + scimBaseUrl + "/Users'",
                "curl -s " + auth + " '" + scimBaseUrl + "/Users?count=10&sortBy=userName'",
                "curl -s " + auth + " '" + scimBaseUrl + "/ServiceProviderConfig'");
        say("   try it (while the demo runs; add --keep-serving to keep the servers up):");
        curlLines.forEach(l -> say("     %s", l));
    }

    // ------------------------------------------------------------------ 6. JIT

    private void jit() {
        section(7, "Just-in-time: people sign in to the app with SAML or OpenID Connect, and become users");
        List<DirectoryUser> two = ordinaryPeople(2, Set.of());
        DirectoryUser samlPerson = two.get(0);
        oidcPerson = two.get(1);

        SamlIdp samlIdp = SamlIdp.builder(directory).entityId(SAML_IDP).ssoUrl(SAML_IDP + "/sso").sp(SAML_SP, SAML_ACS)
                .clock(clock).build();
        SamlMetadata.IdpMetadata idp = SamlMetadata.parseIdp(samlIdp.metadata(), null);
        SamlConfig samlConfig = SamlConfig.builder().spEntityId(SAML_SP).acsUrl(SAML_ACS).idp(idp).clock(clock).build();
        SamlResponseValidator samlValidator = SamlResponseValidator.create(samlConfig);
        oidc = open(OidcProvider.start(directory, clock));
        oidcMetadata = OidcProviderMetadata.discover(http, oidc.issuer(), Duration.ofSeconds(10));
        oidcValidator = OidcValidator.builder().metadata(oidcMetadata).clientId(OIDC_CLIENT).clock(clock).build();
        say("   SAML IdP %s (metadata read, RSA-2048 signing certificate trusted)", idp.entityId());
        say("   OIDC provider %s (discovery and JWKS read over HTTP)", oidcMetadata.issuer());
        // both IdPs name a person by the directory's immutable id, so both feed one JIT source
        JitProvisioner samlJit = JitProvisioner.builder().engine(appEngine).clock(clock)
                .policy(JitPolicy.builder(SSO_SOURCE, idp.entityId()).usernameFrom("username").groupsFrom("groups")
                        .groupMode(GroupMode.AUTO_CREATE).removeUnlisted(true).build())
                .build();
        JitProvisioner oidcJit = JitProvisioner.builder().engine(appEngine).clock(clock)
                .policy(JitPolicy.builder(SSO_SOURCE, oidcMetadata.issuer()).usernameFrom("preferred_username")
                        .groupsFrom("groups").groupMode(GroupMode.AUTO_CREATE).removeUnlisted(true).build())
                .build();

        SamlAuthnRequest request = SamlAuthnRequest.builder(samlConfig, idp.ssoRedirectUrl()).build();
        String response = samlIdp.answer(request.redirectUrl(), samlPerson.loginName()).build().base64();
        VerifiedLogin saml = samlValidator.validate(response, request.id());
        say("%n   SAML: AuthnRequest %s; the IdP's signed Response (%,d base64 characters) validated: NameID %s",
                request.id(), response.length(), saml.subject());
        samlLogin = samlJit.provision(saml);
        jitResult(samlLogin);

        AuthorizationRequest authz = AuthorizationRequest.builder(oidcMetadata.authorizationEndpoint(), OIDC_CLIENT,
                URI.create("https://app.example.test/login/callback")).scope("openid profile email groups").build();
        String idToken = oidc.answer(authz.uri(), oidcPerson.id()).sign();
        VerifiedLogin login = oidcValidator.validate(idToken, authz.expectations());
        say("%n   OIDC: authorization request with state, nonce and PKCE; the ID token (RS256, %,d characters) "
                + "validated: sub %s", idToken.length(), login.subject());
        oidcLogin = oidcJit.provision(login);
        jitResult(oidcLogin);

        // a day later the SAML person has a new surname and a new group, and signs in through OIDC: same account
        clock.advance(Duration.ofDays(1));
        String newGroup = directory.groups().map(DirectoryGroup::id).sorted()
                .filter(g -> !directory.groupsOf(MemberKind.USER, samlPerson.id()).contains(g)).findFirst()
                .orElseThrow();
        directory.addMember(newGroup, MemberKind.USER, samlPerson.id());
        String given = samlPerson.givenName() == null ? "Sam" : samlPerson.givenName();
        directory.updateUser(directory.user(samlPerson.id()).orElseThrow().toBuilder().familyName("Okonkwo-Berg")
                .displayName(given + " Okonkwo-Berg").build());
        AuthorizationRequest again = AuthorizationRequest.builder(oidcMetadata.authorizationEndpoint(), OIDC_CLIENT,
                URI.create("https://app.example.test/login/callback")).scope("openid profile email groups").build();
        say("%n   A day later %s is now %s Okonkwo-Berg, joins %s in the directory, and signs in with OIDC instead:",
                samlPerson.loginName(), given, groupName(newGroup));
        oidcLoginOfSamlUser = oidcJit.provision(oidcValidator.validate(
                oidc.answer(again.uri(), samlPerson.id()).sign(), again.expectations()));
        jitResult(oidcLoginOfSamlUser);
        say("   the app now holds %,d users: %s", app.userCount(), app.allUsers().stream()
                .map(u -> u.username() + " (" + u.origin().sourceId() + ")").sorted()
                .collect(Collectors.joining(", ")));
    }

    private void jitResult(JitResult r) {
        String fields = r.changes().stream().filter(c -> c.kind() == ChangeKind.USER_UPDATED)
                .flatMap(c -> c.fields().stream()).sorted().collect(Collectors.joining(", "));
        say("   %s %s (key %s)%s; groups added %s, removed %s; now in %s", r.action(), r.username(), r.userKey(),
                fields.isEmpty() ? "" : " [" + fields + "]", r.groupsAdded(), r.groupsRemoved(),
                groupsOf(app, r.userKey()));
        r.warnings().forEach(w -> say("   warning: %s", w));
    }

    // ------------------------------------------------------------------ 7. websudo

    private void websudo() {
        section(8, "Websudo: " + oidcLogin.username() + " opens the app's admin page and must sign in again at the "
                + "IdP");
        Websudo websudo = Websudo.builder().store(app).trust(SSO_SOURCE, oidcMetadata.issuer()).clock(clock).build();
        String session = "session-" + randomToken(6);
        clock.advance(Duration.ofMinutes(40));
        WebsudoChallenge challenge = websudo.begin(session, oidcLogin.userKey());
        AuthorizationRequest sudo = websudo.oidcRedirect(challenge, AuthorizationRequest.builder(
                oidcMetadata.authorizationEndpoint(), OIDC_CLIENT, URI.create("https://app.example.test/sudo")));
        say("   40 minutes after the login: redirect to the IdP with %s", queryParams(sudo.uri(), "prompt",
                "max_age"));
        clock.advance(Duration.ofSeconds(20));
        websudoGrant = websudo.completeOidc(session, oidcLogin.userKey(), sudo.state(),
                oidc.answer(sudo.uri(), oidcPerson.id()).sign(), oidcValidator);
        say("   the IdP asked for the password again (auth_time %s): websudo open until %s",
                websudoGrant.authenticatedAt(), websudoGrant.expiresAt());
        websudo.drop(session);
        say("   the admin drops websudo; %s", websudo.isActive(session, oidcLogin.userKey()) ? "still open?!" : "closed");

        oidc.ignorePromptLogin(true);
        clock.advance(Duration.ofMinutes(40));
        WebsudoChallenge second = websudo.begin(session, oidcLogin.userKey());
        AuthorizationRequest sudo2 = websudo.oidcRedirect(second, AuthorizationRequest.builder(
                oidcMetadata.authorizationEndpoint(), OIDC_CLIENT, URI.create("https://app.example.test/sudo")));
        String lazy = oidc.answer(sudo2.uri(), oidcPerson.id()).sign();
        say("%n   40 minutes later, again; this time the IdP ignores prompt=login and reuses its session:");
        try {
            websudo.completeOidc(session, oidcLogin.userKey(), sudo2.state(), lazy, oidcValidator);
            say("   accepted?! (this should not happen)");
        } catch (WebsudoException e) {
            staleRefusal = e;
            say("   REFUSED: %s", e.getMessage());
        }
        say("   websudo open: %s", websudo.isActive(session, oidcLogin.userKey()));
    }

    // ------------------------------------------------------------------ helpers

    /** Enabled members (not guests or service accounts) with at least one group, not named in {@code except}. */
    private List<DirectoryUser> ordinaryPeople(int n, Set<String> except) {
        List<DirectoryUser> out = directory.users()
                .filter(u -> u.enabled() && u.kind() == io.usher.core.spi.SourceUser.Kind.MEMBER)
                .filter(u -> !except.contains(u.id()) && !used.contains(u.id()))
                .filter(u -> directory.groupsOf(MemberKind.USER, u.id()).size() >= 1)
                .filter(u -> wiki.findUserByUsername(u.loginName()).map(User::active).orElse(true))
                .sorted(java.util.Comparator.comparing(DirectoryUser::id))
                .limit(n).collect(Collectors.toList());
        if (out.size() < n) {
            throw new IllegalStateException("the organisation is too small for the demo's changes");
        }
        out.forEach(u -> used.add(u.id()));
        return out;
    }

    private String groupName(String groupId) {
        return directory.group(groupId).map(DirectoryGroup::name).orElse(groupId);
    }

    private static List<String> groupsOf(InMemoryUserStore store, String userKey) {
        return store.groupsOf(MemberKind.USER, userKey).stream().map(k -> store.findGroup(k).map(Group::name)
                .orElse(k)).sorted().collect(Collectors.toList());
    }

    private static long activeUsers(InMemoryUserStore store) {
        return store.allUsers().stream().filter(User::active).count();
    }

    private void report(SyncReport r) {
        say("   %s read %,d records in %s: %s%s%s", r.mode().name().toLowerCase(Locale.ROOT), r.recordsRead(),
                seconds(r.duration()), r.counts().isEmpty() ? "no changes" : r.counts().entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(),
                                e.getValue() == 1 ? words(e.getKey()).replaceFirst("s ", " ") : words(e.getKey())))
                        .collect(Collectors.joining(", ")),
                r.failureCount() > 0 ? String.format(Locale.ROOT, "; %,d failed", r.failureCount()) : "",
                r.warningCount() > 0 ? String.format(Locale.ROOT, "; %,d warnings", r.warningCount()) : "");
        r.failures().stream().limit(3).forEach(f -> say("   failed: %s", f));
        r.warnings().stream().limit(3).forEach(w -> say("   warning: %s", w));
    }

    /** {@code USER_CREATED} as "users created". */
    static String words(ChangeKind kind) {
        String[] parts = kind.name().toLowerCase(Locale.ROOT).split("_");
        String noun = parts[0].equals("member") ? "memberships" : parts[0] + "s";
        return noun + " " + parts[1];
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("the demo's own request to " + request.uri().getPath() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private <T extends AutoCloseable> T open(T resource) {
        resources.add(resource);
        return resource;
    }

    private void section(int n, String title) {
        say("%n%d. %s", n, title);
    }

    void say(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
        out.flush();
    }

    private static String since(long startNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Stops every server the demo started, newest first. */
    @Override
    public void close() {
        List<AutoCloseable> open = new ArrayList<>(resources);
        resources.clear();
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                // a server that fails to stop is not worth failing the demo for
                out.println("   (could not stop " + c.getClass().getSimpleName() + ": " + e.getClass().getSimpleName()
                        + ")");
            }
        }
    }

    /** Collects the changes of the runs it is armed for (a bounded list: the demo's runs are small). */
    private static final class Recorder implements SyncListener {
        private final List<Change> changes = new ArrayList<>();
        private boolean on;

        synchronized void start() {
            changes.clear();
            on = true;
        }

        synchronized List<Change> stop() {
            on = false;
            return List.copyOf(changes);
        }

        @Override
        public synchronized void onChange(String runId, Change change) {
            if (on && changes.size() < 10_000) {
                changes.add(change);
            }
        }
    }

    /** Some query parameters of a URI, for the narration. */
    private static String queryParams(URI uri, String... names) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String kv : uri.getRawQuery().split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                q.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add(n + "=" + q.get(n));
        }
        return String.join(" ", out);
    }
}
