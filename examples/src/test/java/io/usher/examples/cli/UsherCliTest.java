package io.usher.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usher.core.model.User;
import io.usher.core.spi.SourceUser;
import io.usher.core.store.JdbcSyncLock;
import io.usher.examples.jdbc.Database;
import io.usher.examples.jdbc.JdbcUserStore;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ldap.LdapDirectoryServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code usher} CLI run in-process against the testkit's LDAP server (Active-Directory flavour, a
 * generated organisation): every command, its output on stdout, progress on stderr, and every exit code.
 */
class UsherCliTest {
    private static final String PASSWORD_VAR = "LDAP_PASSWORD";
    private static final int USERS = 60;

    @TempDir
    Path tmp;

    private InMemoryDirectory dir;
    private LdapDirectoryServer server;
    private Map<String, String> env;

    record Result(int code, String out, String err) {}

    @BeforeEach
    void startDirectory() {
        dir = DirectoryGenerator.builder().seed(9).users(USERS).groups(6).guestFraction(0.1).build().generate();
        server = LdapDirectoryServer.start(dir, LdapDirectoryServer.Flavour.ACTIVE_DIRECTORY);
        env = new LinkedHashMap<>(Map.of(PASSWORD_VAR, server.bindPassword()));
    }

    @AfterEach
    void stopDirectory() {
        server.close();
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = UsherCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A configuration for the test server; each extra line is added (or, as "key=", removes the key). */
    private Path config(String... extra) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("source.id", "corp");
        m.put("type", "ldap");
        m.put("connector.url", server.url());
        m.put("connector.preset", "activeDirectory");
        m.put("connector.bindDn", server.bindDn());
        m.put("connector.bindPassword", "${env:" + PASSWORD_VAR + "}");
        m.put("connector.usersBase", server.usersBase());
        m.put("connector.groupsBase", server.groupsBase());
        for (String e : extra) {
            int eq = e.indexOf('=');
            String k = e.substring(0, eq).trim();
            String v = e.substring(eq + 1).trim();
            if (v.isEmpty()) {
                m.remove(k);
            } else {
                m.put(k, v);
            }
        }
        Path file = Files.createTempFile(tmp, "usher", ".properties");
        // properties escaping: a backslash must be doubled in the file
        Files.writeString(file, m.entrySet().stream().map(x -> x.getKey() + " = " + x.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n")) + "\n");
        return file;
    }

    private List<User> storedUsers(Path state) {
        try (Database db = Database.pooled("jdbc:h2:file:" + state.toAbsolutePath().resolve("usher"), "sa", "", 2);
             Stream<User> users = JdbcUserStore.create(db).usersOwnedBy("corp")) {
            return users.collect(Collectors.toList());
        }
    }

    // ------------------------------------------------------------------ help

    @Test
    void helpListsEveryCommandTheConfigurationAndTheExitCodes() {
        Result r = run("--help");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("test-connection", "preview", "sync", "explain", "${env:LDAP_PASSWORD}",
                "store.url", "Exit codes:", "1  changes refused by the mass-deletion guard", "2  configuration",
                "3  connection error");
        Result sub = run("preview", "--help");
        assertThat(sub.code()).isZero();
        assertThat(sub.out()).contains("--limit", "--format", "--state", "table or json", "Exit 0, 1 when the");
    }

    @Test
    void noCommandPrintsTheUsageOnStderrWithExitCode2() {
        Result r = run();

        assertThat(r.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("Usage: usher");
        assertThat(r.out()).isEmpty();
    }

    // ------------------------------------------------------------------ test-connection

    @Test
    void testConnectionReportsEachStepAndExit0() throws IOException {
        Result r = run("test-connection", "--config", config().toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("configuration: ok", "connected and bound as " + server.bindDn(),
                "Active Directory", "users base " + server.usersBase(), "connection: ok");
        assertThat(r.out() + r.err()).doesNotContain(server.bindPassword());
    }

    @Test
    void aRefusedPasswordIsAConnectionErrorWithExit3AndIsNeverPrinted() throws IOException {
        env.put(PASSWORD_VAR, "Wr0ng-Secret-Value");

        Result r = run("test-connection", "--config", config().toString());

        assertThat(r.code()).isEqualTo(ExitCode.CONNECTION);
        assertThat(r.out()).contains("failed:", "connection: FAILED");
        assertThat(r.out() + r.err()).doesNotContain("Wr0ng-Secret-Value");
    }

    @Test
    void anUnreachableServerIsExit3ForEveryCommandThatReads() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path cfg = config("connector.url=ldap://127.0.0.1:" + closedPort, "connector.connectTimeout=2s");

        assertThat(run("test-connection", "-c", cfg.toString()).code()).isEqualTo(ExitCode.CONNECTION);
        Result preview = run("preview", "-c", cfg.toString(), "--state", tmp.resolve("none").toString());
        assertThat(preview.code()).isEqualTo(ExitCode.CONNECTION);
        assertThat(preview.out()).contains("INCOMPLETE READ", "the plan below is partial").doesNotContain("would pass");
        Result explain = run("explain", "-c", cfg.toString(), "--user", "anyone");
        assertThat(explain.code()).isEqualTo(ExitCode.CONNECTION);
        assertThat(explain.err()).contains("connection error");
    }

    // ------------------------------------------------------------------ configuration errors

    @Test
    void configErrorsExit2NamingTheKeyNeverTheValue() throws IOException {
        Result missing = run("preview", "-c", config("connector.usersBase=").toString());
        assertThat(missing.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(missing.err()).contains("configuration error", "'connector.usersBase'");

        Result badValue = run("preview", "-c", config("connector.pageSize=s3cr3t-ish").toString());
        assertThat(badValue.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(badValue.err()).contains("'connector.pageSize'").doesNotContain("s3cr3t-ish");

        Result typo = run("sync", "-c", config("conector.url=ldap://x").toString(), "--state", tmp.resolve("s").toString());
        assertThat(typo.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(typo.err()).contains("'conector.url'", "is not a source key");
        assertThat(tmp.resolve("s")).as("a config error opens no state").doesNotExist();

        Result pipeline = run("explain", "-c", config("pipeline.username.case=sideways").toString(), "-u", "x");
        assertThat(pipeline.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(pipeline.err()).contains("'pipeline.username.case'", "preserve, lower, upper").doesNotContain("sideways");

        Result id = run("preview", "-c", config("source.id=not a valid id!").toString());
        assertThat(id.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(id.err()).contains("'source.id'", "letters, digits");

        Result guard = run("preview", "-c", config("guard.maxShare=5").toString());
        assertThat(guard.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(guard.err()).contains("'guard.maxShare'");
    }

    @Test
    void anUnsetEnvironmentVariableIsAConfigErrorNamingKeyAndVariable() throws IOException {
        env.remove(PASSWORD_VAR);

        Result r = run("test-connection", "-c", config().toString());

        assertThat(r.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("'connector.bindPassword'", "environment variable LDAP_PASSWORD", "not set");
    }

    @Test
    void aMissingFileAndABadOptionAreExit2() {
        Result file = run("preview", "-c", tmp.resolve("nope.properties").toString());
        assertThat(file.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(file.err()).contains("does not exist");

        Result option = run("preview", "-c", "x", "--format", "xml");
        assertThat(option.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(option.err()).contains("--format");
    }

    // ------------------------------------------------------------------ preview

    @Test
    void previewAsATableListsWhatWouldBeCreatedAndWhy() throws IOException {
        Result r = run("preview", "-c", config().toString(), "--limit", "5", "--state", tmp.resolve("fresh").toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("plan of source 'corp'", "USER_CREATED: " + USERS, "guard: would pass",
                "KIND", "WHY", "new in the source", "(5 of ");
        long rows = r.out().lines().filter(l -> l.startsWith("USER_CREATED ") || l.startsWith("GROUP_CREATED ")
                || l.startsWith("MEMBER_ADDED ")).count();
        assertThat(rows).isEqualTo(5);
        assertThat(r.err()).contains("no state yet", "records read");
        assertThat(tmp.resolve("fresh")).as("a preview writes nothing").doesNotExist();
    }

    @Test
    void previewAsJsonCarriesCountsChangesAndTheGuardVerdict() throws IOException {
        Result r = run("preview", "-c", config().toString(), "--format", "json", "--limit", "7",
                "--state", tmp.resolve("fresh").toString());

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("source").asText()).isEqualTo("corp");
        assertThat(json.get("complete").asBoolean()).isTrue();
        assertThat(json.get("counts").get("USER_CREATED").asLong()).isEqualTo(USERS);
        assertThat(json.get("counts").get("GROUP_CREATED").asLong()).isEqualTo(dir.groupCount());
        assertThat(json.get("changes")).hasSize(7);
        assertThat(json.get("changes").get(0).get("why").asText()).isNotBlank();
        assertThat(json.get("truncated").asBoolean()).isTrue();
        assertThat(json.get("guard").get("wouldRefuse").asBoolean()).isFalse();
    }

    // ------------------------------------------------------------------ sync

    @Test
    void syncThenAnIncrementalSyncThatAppliesExactlyTheDirectoryChanges() throws IOException {
        Path cfg = config();
        Path state = tmp.resolve("state");

        Result first = run("sync", "-c", cfg.toString(), "--state", state.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("(SNAPSHOT)", "USER_CREATED: " + USERS);
        assertThat(first.err()).contains("(full snapshot)", "records read");
        List<User> before = storedUsers(state);
        assertThat(before).hasSize(USERS);

        DirectoryUser renamed = dir.users().skip(3).findFirst().orElseThrow();
        String keyBefore = before.stream().filter(u -> u.origin().externalId().equalsIgnoreCase(renamed.id()))
                .findFirst().map(User::key).orElse(null);
        dir.renameUser(renamed.id(), "renamed.by.cli.test");
        dir.addUser(DirectoryUser.builder("new.hire").displayName("New Hire").build());

        Result second = run("sync", "-c", cfg.toString(), "--state", state.toString());
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.err()).contains("(incremental: a cursor is stored)");
        assertThat(second.out()).contains("(INCREMENTAL)", "USER_RENAMED: 1", "USER_CREATED: 1")
                .doesNotContain("USER_DELETED", "USER_DEACTIVATED");
        List<User> after = storedUsers(state);
        assertThat(after).hasSize(USERS + 1);
        assertThat(after).filteredOn(u -> u.username().equals("renamed.by.cli.test")).singleElement()
                .satisfies(u -> assertThat(u.key()).as("a rename keeps the key").isEqualTo(keyBefore));

        Result third = run("preview", "-c", cfg.toString(), "--state", state.toString());
        assertThat(third.code()).isZero();
        assertThat(third.out()).contains("0 changes planned", "no changes");
    }

    @Test
    void theGuardRefusesAMassDeletionWithExit1AndOverrideAppliesIt() throws IOException {
        Path cfg = config("deprovision=delete");
        Path state = tmp.resolve("state");
        assertThat(run("sync", "-c", cfg.toString(), "--state", state.toString()).code()).isZero();
        dir.users().limit(USERS / 2).map(DirectoryUser::id).collect(Collectors.toList()).forEach(dir::deleteUser);

        Result preview = run("preview", "-c", cfg.toString(), "--state", state.toString());
        assertThat(preview.code()).isEqualTo(ExitCode.GUARD);
        assertThat(preview.out()).contains("guard: WOULD REFUSE", "withheld by the guard", "USER_DELETED");

        Result refused = run("sync", "-c", cfg.toString(), "--state", state.toString());
        assertThat(refused.code()).isEqualTo(ExitCode.GUARD);
        assertThat(refused.out()).contains("GUARD TRIPPED", "--override-guard");
        assertThat(storedUsers(state)).as("nothing deleted").hasSize(USERS);

        Result confirmed = run("sync", "-c", cfg.toString(), "--state", state.toString(), "--override-guard");
        assertThat(confirmed.code()).as(confirmed.out()).isZero();
        assertThat(storedUsers(state)).hasSize(USERS - USERS / 2);
    }

    @Test
    void aSyncWhileAnotherRunHoldsTheLockDoesNothingWithExit5() throws IOException {
        Path cfg = config();
        Path state = tmp.resolve("state");
        assertThat(run("sync", "-c", cfg.toString(), "--state", state.toString()).code()).isZero();
        dir.addUser(DirectoryUser.builder("waits.for.lock").build());

        try (Database db = Database.pooled("jdbc:h2:file:" + state.toAbsolutePath().resolve("usher"), "sa", "", 2)) {
            JdbcSyncLock other = JdbcSyncLock.builder(db).nodeId("other-node").build();
            Optional<JdbcSyncLock.Lease> held = other.tryAcquire("corp");
            assertThat(held).isPresent();

            Result r = run("sync", "-c", cfg.toString(), "--state", state.toString());

            assertThat(r.code()).isEqualTo(ExitCode.BUSY);
            assertThat(r.err()).contains("another run holds the sync lock", "other-node");
            assertThat(storedUsers(state)).hasSize(USERS);
            held.get().close();
        }
        assertThat(run("sync", "-c", cfg.toString(), "--state", state.toString()).code()).isZero();
        assertThat(storedUsers(state)).hasSize(USERS + 1);
    }

    @Test
    void syncIntoTheHostsOwnPostgresDatabaseThroughStoreUrl() throws IOException {
        String url = io.usher.examples.jdbc.Postgres.freshSchema();
        try {
            Path cfg = config("store.url=" + url);

            Result first = run("sync", "-c", cfg.toString());
            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.err()).contains("into jdbc:postgresql://127.0.0.1");
            dir.addUser(DirectoryUser.builder("pg.hire").build());
            Result second = run("sync", "-c", cfg.toString());
            assertThat(second.code()).as(second.err()).isZero();
            assertThat(second.out()).contains("(INCREMENTAL)", "USER_CREATED: 1");

            try (Database db = Database.pooled(url, null, null, 2);
                 Stream<User> users = JdbcUserStore.create(db).usersOwnedBy("corp")) {
                assertThat(users.count()).isEqualTo(USERS + 1);
            }
            assertThat(Path.of(State.DEFAULT_DIR)).as("no state directory with store.url").doesNotExist();
        } finally {
            io.usher.examples.jdbc.Postgres.drop(url);
        }
    }

    @Test
    void aWrongStorePasswordIsAConnectionErrorThatNamesNoSecret() throws IOException {
        String url = io.usher.examples.jdbc.Postgres.url();
        env.put("DB_PASSWORD", "Db-S3cret-Value");
        // a user that does not exist: trust authentication still refuses it
        Path cfg = config("store.url=" + url.replace("user=postgres", "user=no_such_role"),
                "store.password=${env:DB_PASSWORD}");

        Result r = run("sync", "-c", cfg.toString());

        assertThat(r.code()).isEqualTo(ExitCode.CONNECTION);
        assertThat(r.err()).contains("connection error", "the state database");
        assertThat(r.out() + r.err()).doesNotContain("Db-S3cret-Value");
    }

    // ------------------------------------------------------------------ explain

    @Test
    void explainShowsTheRecordEachStepAndTheResult() throws IOException {
        DirectoryUser u = dir.users().filter(x -> x.kind() == SourceUser.Kind.MEMBER).findFirst().orElseThrow();
        Path cfg = config("pipeline.username.case=upper", "pipeline.username.rewrite.1=^(.*)$ => x-$1");

        Result r = run("explain", "-c", cfg.toString(), "--user", u.loginName());

        String expected = ("x-" + u.loginName()).toUpperCase(java.util.Locale.ROOT);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("matched by login name", "record as read:", u.loginName(), "pipeline:",
                "username from loginName", "rewrite /^(.*)$/", "case upper", "result: included as '" + expected + "'");
        Result byResult = run("explain", "-c", cfg.toString(), "--user", expected.toLowerCase(java.util.Locale.ROOT));
        assertThat(byResult.out()).contains("matched by resulting username");
        assertThat(r.out()).as("an LDAP source leaves credentials to the host")
                .contains("credentials:       host (the host decides how the user signs in)");
    }

    @Test
    void explainShowsTheCredentialPolicyASourceSettingGives() throws IOException {
        DirectoryUser u = dir.users().filter(x -> x.kind() == SourceUser.Kind.MEMBER).findFirst().orElseThrow();
        Result r = run("explain", "-c", config("credentials=sso-only").toString(), "--user", u.loginName());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("credentials:       sso-only (the host should refuse local password login and reset)");
    }

    @Test
    void explainSaysWhichFilterLeavesAUserOut() throws IOException {
        DirectoryUser guest = dir.users().filter(x -> x.kind() == SourceUser.Kind.GUEST).findFirst().orElseThrow();

        Result r = run("explain", "-c", config("pipeline.users.exclude.kinds=guest").toString(), "-u", guest.loginName());

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("result: NOT synced: excluded by: kind in [GUEST]");
    }

    @Test
    void explainOfAnUnknownUserIsExit4() throws IOException {
        Result r = run("explain", "-c", config().toString(), "-u", "nobody.at.all");

        assertThat(r.code()).isEqualTo(ExitCode.PARTIAL);
        assertThat(r.out()).contains("no user matching 'nobody.at.all' among the " + USERS + " users");
    }
}
