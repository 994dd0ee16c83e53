package io.usher.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.model.User;
import io.usher.core.spi.SourceUser;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.graph.GraphServer;
import io.usher.testkit.graph.SelfSignedCertificate;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code usher} CLI against testkit's fake Entra tenant ({@link GraphServer}: Microsoft Graph and the token
 * endpoint on loopback), configured as an admin would with the client secret in an environment variable: the
 * Entra-specific paths the cross-vendor {@link UsherCliApiConnectorsTest} does not cover (delta with soft
 * deletes and disabled accounts, guest filters, a certificate instead of a secret), and every way it fails:
 * configuration errors (exit 2) and connection errors (exit 3), none of them printing a secret.
 */
class UsherCliEntraTest {
    private static final int USERS = 50;
    private static final String CERT_CLIENT = "99999999-aaaa-4bbb-8ccc-dddddddddddd";
    private static SelfSignedCertificate certificate;

    @TempDir
    Path tmp;

    private CliHarness cli;
    private InMemoryDirectory dir;
    private ApiIdp.Entra entra;
    private final List<CliHarness.Result> printed = new ArrayList<>();

    @BeforeEach
    void start() {
        cli = new CliHarness(tmp);
        dir = DirectoryGenerator.builder().seed(33).users(USERS).groups(6).guestFraction(0.2).build().generate();
        entra = new ApiIdp.Entra(dir, b -> b.clientCertificate(CERT_CLIENT, certificate().certificate(),
                GraphServer.CONNECTOR_PERMISSIONS));
        cli.env.putAll(entra.env());
    }

    private static synchronized SelfSignedCertificate certificate() {
        if (certificate == null) {
            certificate = SelfSignedCertificate.create("usher-cli-test");
        }
        return certificate;
    }

    @AfterEach
    void noSecretWasPrintedAndStop() {
        for (CliHarness.Result r : printed) {
            assertThat(r.all()).as("no secret printed").doesNotContain(ApiIdp.ENTRA_SECRET, "Wr0ng~Entra~Secret",
                    "PRIVATE KEY", base64Stretch());
        }
        entra.close();
    }

    private static String base64Stretch() {
        return java.util.Base64.getEncoder().encodeToString(certificate().keyPair().getPrivate().getEncoded())
                .substring(200, 260);
    }

    private CliHarness.Result run(String... args) {
        CliHarness.Result r = cli.run(args);
        printed.add(r);
        return r;
    }

    private Path config(String... extra) {
        return cli.config(entra.config(), extra);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    // ------------------------------------------------------------------ sync

    @Test
    void deltaSyncAppliesSoftDeletesDisabledAccountsAndHardDeletesReadingOnlyTheChanges() {
        Path cfg = config("deprovision=delete");
        Path state = tmp.resolve("state");
        assertThat(run("sync", "-c", cfg.toString(), "--state", state.toString()).code()).isZero();
        Map<String, User> before = CliHarness.storedUsers(state, entra.sourceId()).stream()
                .collect(Collectors.toMap(u -> u.origin().externalId(), Function.identity()));
        assertThat(before).hasSize(USERS);

        List<DirectoryUser> members = dir.users().filter(u -> u.enabled() && u.kind() == SourceUser.Kind.MEMBER)
                .limit(3).collect(Collectors.toList());
        dir.softDeleteUser(members.get(0).id());   // to the recycle bin: deactivated, whatever the policy
        dir.disableUser(members.get(1).id());       // accountEnabled=false: deactivated
        dir.deleteUser(members.get(2).id());        // gone for good: the deprovision policy (delete)
        long servedBefore = entra.server.recordsServed();

        CliHarness.Result second = run("sync", "-c", cfg.toString(), "--state", state.toString());

        assertThat(second.code()).as(second.out() + second.err()).isZero();
        assertThat(second.err()).contains("(incremental: a cursor is stored)");
        assertThat(second.out()).contains("(INCREMENTAL)", "USER_DEACTIVATED: 2", "USER_DELETED: 1")
                .doesNotContain("USER_CREATED");
        assertThat(entra.server.recordsServed() - servedBefore).as("a delta round, not the tenant again")
                .isLessThan(USERS / 2);
        Map<String, User> after = CliHarness.storedUsers(state, entra.sourceId()).stream()
                .collect(Collectors.toMap(u -> u.origin().externalId(), Function.identity()));
        assertThat(after).hasSize(USERS - 1).doesNotContainKey(members.get(2).id());
        assertThat(after.get(members.get(0).id()).active()).isFalse();
        assertThat(after.get(members.get(1).id()).active()).isFalse();
    }

    @Test
    void aCertificateFromAPemFileWorksInsteadOfTheSecret() throws IOException {
        Path pem = Files.writeString(tmp.resolve("app.pem"), certificate().certificatePem() + certificate().privateKeyPem());

        CliHarness.Result r = run("test-connection", "-c", config("connector.clientId=" + CERT_CLIENT,
                "connector.clientSecret=", "connector.certificatePath=" + pem, "connector.signingAlgorithm=PS256")
                .toString());

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("acquired a token for client " + CERT_CLIENT, "connection: ok");
    }

    // ------------------------------------------------------------------ explain and filters

    @Test
    void explainShowsAGuestLeftOutByTheFilterAndConnectorKeysNarrowTheRead() {
        DirectoryUser guest = dir.users().filter(u -> u.kind() == SourceUser.Kind.GUEST).findFirst().orElseThrow();

        CliHarness.Result excluded = run("explain", "-c", config("pipeline.users.exclude.kinds=guest").toString(),
                "--user", guest.loginName());
        assertThat(excluded.code()).as(excluded.err()).isZero();
        assertThat(excluded.out()).contains("matched by login name", "kind:", "guest",
                "result: NOT synced: excluded by: kind in [GUEST]");

        CliHarness.Result membersOnly = run("explain", "-c", config("connector.userTypes=member").toString(),
                "--user", guest.loginName());
        assertThat(membersOnly.code()).isEqualTo(ExitCode.PARTIAL);
        assertThat(membersOnly.out()).contains("no user matching '" + guest.loginName() + "'");

        DirectoryUser member = dir.users().filter(u -> u.kind() == SourceUser.Kind.MEMBER).findFirst().orElseThrow();
        CliHarness.Result byId = run("explain", "-c", config("pipeline.username.rewrite.1=^([^.]+)\\.(.*)$ => $2_$1")
                .toString(), "--user", member.id().toUpperCase(Locale.ROOT));
        assertThat(byId.code()).as(byId.err()).isZero();
        assertThat(byId.out()).contains("matched by immutable id", "rewrite /^([^.]+)\\.(.*)$/", "result: included as");
    }

    // ------------------------------------------------------------------ configuration errors: exit 2

    @Test
    void configurationErrorsExit2NamingTheKeyNeverTheValue() {
        CliHarness.Result missing = run("preview", "-c", config("connector.tenantId=").toString());
        assertThat(missing.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(missing.err()).contains("configuration error", "'connector.tenantId'");

        CliHarness.Result unknownCloud = run("preview", "-c", config("connector.cloud=mars-cloud").toString());
        assertThat(unknownCloud.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(unknownCloud.err()).contains("'connector.cloud'").doesNotContain("mars-cloud");

        CliHarness.Result plainHttp = run("sync", "-c", config("connector.graphBaseUrl=http://graph.example.org/v1.0/")
                .toString(), "--state", tmp.resolve("never").toString());
        assertThat(plainHttp.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(plainHttp.err()).contains("'connector.graphBaseUrl'");
        assertThat(tmp.resolve("never")).as("a configuration error opens no state").doesNotExist();

        CliHarness.Result typo = run("test-connection", "-c", config("connector.clientSecrt=${env:"
                + ApiIdp.ENTRA_SECRET_VAR + "}").toString());
        assertThat(typo.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(typo.err()).contains("'connector.clientSecrt'");

        CliHarness.Result both = run("explain", "-c", config("connector.certificatePath=" + tmp.resolve("app.pem"))
                .toString(), "-u", "x");
        assertThat(both.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(both.err()).contains("configuration error", "connector.");

        CliHarness.Result secretInFile = run("preview", "-c", config("connector.clientSecret=" + ApiIdp.ENTRA_SECRET,
                "connector.pageSize=2000").toString());
        assertThat(secretInFile.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(secretInFile.err()).contains("'connector.pageSize'");
    }

    @Test
    void anUnsetSecretVariableIsExit2NamingTheKeyAndTheVariable() {
        cli.env.remove(ApiIdp.ENTRA_SECRET_VAR);

        CliHarness.Result r = run("sync", "-c", config().toString(), "--state", tmp.resolve("s").toString());

        assertThat(r.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("'connector.clientSecret'", "environment variable " + ApiIdp.ENTRA_SECRET_VAR,
                "not set");
    }

    // ------------------------------------------------------------------ connection errors: exit 3

    @Test
    void aWrongClientSecretIsExit3ForEveryCommandAndNothingIsSynced() {
        cli.env.put(ApiIdp.ENTRA_SECRET_VAR, "Wr0ng~Entra~Secret");
        Path cfg = config("connector.maxAttempts=1");
        Path state = tmp.resolve("state");

        CliHarness.Result test = run("test-connection", "-c", cfg.toString());
        assertThat(test.code()).isEqualTo(ExitCode.CONNECTION);
        assertThat(test.out()).contains("could not acquire a token", "connection: FAILED");

        CliHarness.Result preview = run("preview", "-c", cfg.toString(), "--state", tmp.resolve("none").toString());
        assertThat(preview.code()).isEqualTo(ExitCode.CONNECTION);
        assertThat(preview.out()).contains("INCOMPLETE READ").doesNotContain("would pass");

        CliHarness.Result sync = run("sync", "-c", cfg.toString(), "--state", state.toString());
        assertThat(sync.code()).isEqualTo(ExitCode.CONNECTION);
        assertThat(CliHarness.storedUsers(state, entra.sourceId())).isEmpty();

        CliHarness.Result explain = run("explain", "-c", cfg.toString(), "-u", "anyone");
        assertThat(explain.code()).isEqualTo(ExitCode.CONNECTION);
        assertThat(explain.err()).contains("connection error");
    }

    @Test
    void aTokenEndpointThatIsNotThereIsExit3() throws IOException {
        Path cfg = config("connector.loginBaseUrl=http://127.0.0.1:" + closedPort() + "/", "connector.maxAttempts=1");

        CliHarness.Result test = run("test-connection", "-c", cfg.toString());
        assertThat(test.code()).isEqualTo(ExitCode.CONNECTION);
        assertThat(test.out()).contains("could not acquire a token", "connection: FAILED");
        assertThat(run("preview", "-c", cfg.toString(), "--state", tmp.resolve("none").toString()).code())
                .isEqualTo(ExitCode.CONNECTION);
        assertThat(run("explain", "-c", cfg.toString(), "-u", "anyone").code()).isEqualTo(ExitCode.CONNECTION);
    }

    @Test
    void aTenantThatGoesDownAfterTheFirstSyncIsExit3AndDeletesNothing() {
        Path cfg = config("connector.maxAttempts=1", "deprovision=delete");
        Path state = tmp.resolve("state");
        assertThat(run("sync", "-c", cfg.toString(), "--state", state.toString()).code()).isZero();
        List<User> before = CliHarness.storedUsers(state, entra.sourceId());
        entra.close();

        CliHarness.Result full = run("sync", "-c", cfg.toString(), "--state", state.toString(), "--full");
        assertThat(full.code()).isEqualTo(ExitCode.CONNECTION);
        assertThat(full.out()).contains("INCOMPLETE");
        CliHarness.Result delta = run("sync", "-c", cfg.toString(), "--state", state.toString());
        assertThat(delta.code()).isEqualTo(ExitCode.CONNECTION);
        CliHarness.Result test = run("test-connection", "-c", cfg.toString());
        assertThat(test.code()).isEqualTo(ExitCode.CONNECTION);

        List<User> stored = CliHarness.storedUsers(state, entra.sourceId());
        assertThat(stored).as("nothing deleted or deactivated").hasSize(USERS).containsExactlyInAnyOrderElementsOf(before);
    }

    // ------------------------------------------------------------------ a real process

    /**
     * The CLI as an admin runs it: its own JVM, the secret in its environment, {@code --verbose} so the
     * connectors' and the engine's INFO logs (slf4j-simple, on the real stderr) are printed too. Neither a
     * successful sync nor a refused secret prints the secret.
     */
    @Test
    void inItsOwnProcessWithVerboseLoggingNoSecretIsPrintedOnSuccessOrFailure() throws Exception {
        Path cfg = config("connector.maxAttempts=1");
        Path state = tmp.resolve("state");

        Process ok = launch("ok", ApiIdp.ENTRA_SECRET, "--verbose", "sync", "-c", cfg.toString(), "--state", state.toString());
        assertThat(ok.exitValue()).as(output("ok")).isZero();
        assertThat(output("ok")).contains("(SNAPSHOT)", "USER_CREATED: " + USERS, "INFO io.usher.");

        Process refused = launch("refused", "Wr0ng~Entra~Secret", "--verbose", "sync", "-c", cfg.toString(), "--state",
                state.toString(), "--full");
        assertThat(refused.exitValue()).as(output("refused")).isEqualTo(ExitCode.CONNECTION);
        assertThat(output("refused")).contains("SOURCE_AUTH", "invalid_client", "nothing will be deleted");

        for (String run : List.of("ok", "refused")) {
            assertThat(output(run)).doesNotContain(ApiIdp.ENTRA_SECRET, "Wr0ng~Entra~Secret");
        }
    }

    /** Runs {@code usher args} in a new JVM with the secret in its environment; output in tmp/NAME.out, .err. */
    private Process launch(String name, String secret, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), UsherCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve(name + ".out").toFile())
                .redirectError(tmp.resolve(name + ".err").toFile());
        pb.environment().put(ApiIdp.ENTRA_SECRET_VAR, secret);
        Process p = pb.start();
        if (!p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the usher process did not finish");
        }
        return p;
    }

    private String output(String run) throws IOException {
        return Files.readString(tmp.resolve(run + ".out")) + Files.readString(tmp.resolve(run + ".err"));
    }
}
