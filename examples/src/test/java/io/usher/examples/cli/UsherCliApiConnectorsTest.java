package io.usher.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usher.core.model.User;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code usher} CLI against each of testkit's fake API identity providers (Entra ID / Microsoft Graph,
 * Google Directory API, Okta), configured as an admin would: a properties file with the connector's keys and
 * the secret from the environment. test-connection, preview (table and JSON), a sync and a second sync that
 * applies exactly the directory's changes, explain; and no secret in anything printed.
 */
class UsherCliApiConnectorsTest {
    private static final int USERS = 40;

    @TempDir
    Path tmp;

    private CliHarness cli;
    private InMemoryDirectory dir;
    private ApiIdp idp;
    private final List<CliHarness.Result> printed = new ArrayList<>();

    private void start(String type) {
        cli = new CliHarness(tmp);
        dir = DirectoryGenerator.builder().seed(21).users(USERS).groups(5).guestFraction(0.1).build().generate();
        idp = ApiIdp.start(type, dir, tmp);
        cli.env.putAll(idp.env());
    }

    private CliHarness.Result run(String... args) {
        CliHarness.Result r = cli.run(args);
        printed.add(r);
        return r;
    }

    @AfterEach
    void stop() {
        if (idp != null) {
            for (CliHarness.Result r : printed) {
                for (String secret : idp.secrets()) {
                    assertThat(r.all()).as("no secret printed").doesNotContain(secret);
                }
            }
            idp.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"azure", "google", "okta"})
    void testConnectionAuthenticatesAndReadsALittle(String type) {
        start(type);

        CliHarness.Result r = run("test-connection", "-c", cli.config(idp.config()).toString());

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("configuration: ok", "source '" + idp.sourceId() + "', type " + type,
                "connection: ok");
        assertThat(r.out().lines().filter(l -> l.startsWith("  ")).count()).as("one line per step").isGreaterThan(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"azure", "google", "okta"})
    void previewAsTableAndJsonPlansTheWholeDirectoryAndWritesNothing(String type) throws Exception {
        start(type);
        Path cfg = cli.config(idp.config());
        Path state = tmp.resolve("state");

        CliHarness.Result table = run("preview", "-c", cfg.toString(), "--limit", "4", "--state", state.toString());
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).contains("plan of source '" + idp.sourceId() + "'", "USER_CREATED: " + USERS,
                "guard: would pass", "KIND", "WHY", "new in the source", "(4 of ");

        CliHarness.Result json = run("preview", "-c", cfg.toString(), "--format", "json", "--limit", "3",
                "--state", state.toString());
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode plan = new ObjectMapper().readTree(json.out());
        assertThat(plan.get("source").asText()).isEqualTo(idp.sourceId());
        assertThat(plan.get("complete").asBoolean()).isTrue();
        assertThat(plan.get("counts").get("USER_CREATED").asLong()).isEqualTo(USERS);
        assertThat(plan.get("counts").get("GROUP_CREATED").asLong()).isEqualTo(dir.groupCount());
        assertThat(plan.get("changes")).hasSize(3);
        assertThat(plan.get("guard").get("wouldRefuse").asBoolean()).isFalse();
        assertThat(state).as("a preview writes nothing").doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"azure", "google", "okta"})
    void syncThenASecondSyncThatAppliesExactlyTheDirectoryChanges(String type) {
        start(type);
        Path cfg = cli.config(idp.config());
        Path state = tmp.resolve("state");

        CliHarness.Result first = run("sync", "-c", cfg.toString(), "--state", state.toString());
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("(SNAPSHOT)", "USER_CREATED: " + USERS);
        assertThat(CliHarness.storedUsers(state, idp.sourceId())).hasSize(USERS);

        DirectoryUser renamed = dir.users().skip(5).findFirst().orElseThrow();
        dir.renameUser(renamed.id(), "renamed.by.cli");
        dir.addUser(DirectoryUser.builder("hired.by.cli").displayName("Hired By Cli").build());

        CliHarness.Result second = run("sync", "-c", cfg.toString(), "--state", state.toString());
        assertThat(second.code()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).contains("(" + idp.secondRunMode() + ")", "USER_RENAMED: 1", "USER_CREATED: 1")
                .doesNotContain("USER_DELETED", "USER_DEACTIVATED", "GROUP_DELETED");
        List<User> after = CliHarness.storedUsers(state, idp.sourceId());
        assertThat(after).hasSize(USERS + 1);
        assertThat(after).extracting(User::username).contains("renamed.by.cli", "hired.by.cli")
                .doesNotContain(renamed.loginName());

        CliHarness.Result third = run("preview", "-c", cfg.toString(), "--state", state.toString());
        assertThat(third.code()).as(third.err()).isZero();
        assertThat(third.out()).contains("0 changes planned", "no changes");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"azure", "google", "okta"})
    void explainFindsAUserByLoginNameAndShowsThePipeline(String type) {
        start(type);
        DirectoryUser u = dir.users().filter(x -> x.enabled()).skip(2).findFirst().orElseThrow();
        Path cfg = cli.config(idp.config(), "pipeline.username.case=upper");

        CliHarness.Result r = run("explain", "-c", cfg.toString(), "--user", u.loginName());

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("record as read:", "externalId:", "pipeline:", "case upper",
                "result: included as '" + u.loginName().toUpperCase(java.util.Locale.ROOT) + "'");
    }
}
