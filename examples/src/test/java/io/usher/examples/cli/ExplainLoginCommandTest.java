package io.usher.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.examples.jdbc.Database;
import io.usher.examples.jdbc.JdbcUserStore;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import io.usher.testkit.oidc.OidcProvider;
import io.usher.testkit.saml.SamlIdp;
import io.usher.testkit.saml.TestKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code usher explain-login} run in-process: a SAML Response signed by the testkit IdP and ID tokens from the
 * loopback OIDC provider, explained as text and as JSON; a refused login (exit 4), configuration errors naming the
 * key (exit 2), unreadable input files (exit 2); a public java-saml vector judged as the validator judges it.
 */
class ExplainLoginCommandTest {
    private static final String SP = "https://wiki.example.test/saml";
    private static final String ACS = "https://wiki.example.test/saml/acs";
    private static final String IDP = "https://idp.usher.test/saml";
    private static final Instant NOW = Instant.parse("2026-11-29T07:00:00Z");
    private static final TestKeys.KeyAndCertificate IDP_KEY = TestKeys.rsa("idp", 2048);

    @TempDir
    Path tmp;

    private final ManualClock clock = new ManualClock(NOW);
    private final InMemoryDirectory dir = InMemoryDirectory.create(3);
    private final DirectoryUser user;

    ExplainLoginCommandTest() {
        user = dir.addUser(DirectoryUser.builder("JDoe").displayName("Jane Doe").email("jane.doe@example.test")
                .build());
        dir.addMember(dir.addGroup("wiki-admins").id(), MemberKind.USER, user.id());
        dir.addMember(dir.addGroup("hr-all").id(), MemberKind.USER, user.id());
    }

    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = UsherCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path file(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private Path config(Map<String, String> m, String... extra) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(m);
        for (String e : extra) {
            int eq = e.indexOf('=');
            String v = e.substring(eq + 1).trim();
            if (v.isEmpty()) {
                all.remove(e.substring(0, eq).trim());
            } else {
                all.put(e.substring(0, eq).trim(), v);
            }
        }
        return file("usher-" + all.hashCode() + ".properties", all.entrySet().stream()
                .map(x -> x.getKey() + " = " + x.getValue().replace("\\", "\\\\")).collect(Collectors.joining("\n")));
    }

    private Map<String, String> samlKeys() throws IOException {
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(
                encoded()) + "\n-----END CERTIFICATE-----\n";
        Map<String, String> m = new LinkedHashMap<>();
        m.put("source.id", "corp-sso");
        m.put("pipeline.username.case", "lower");
        m.put("jit.username.from", "username");
        m.put("jit.groups.from", "groups");
        m.put("jit.groups.mode", "auto_create");
        m.put("jit.groups.filter", "(?i)wiki-.*");
        m.put("jit.groups.rule.1", "~ (?i)wiki-(.*) => $1");
        m.put("jit.groups.default", "sso-users");
        m.put("saml.spEntityId", SP);
        m.put("saml.acsUrl", ACS);
        m.put("saml.idpEntityId", IDP);
        file("idp.pem", pem);
        m.put("saml.trustedCertificates", "idp.pem"); // relative: read from the configuration file's folder
        return m;
    }

    private static byte[] encoded() {
        try {
            return IDP_KEY.certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path samlResponse() throws IOException {
        SamlIdp idp = SamlIdp.builder(dir).entityId(IDP).sp(SP, ACS).clock(clock).signingKey(IDP_KEY).build();
        return file("response.b64", idp.response("JDoe").inResponseTo("_req-1").build().base64());
    }

    @Test
    void explainsASamlResponseAsText() throws IOException {
        Result r = run("explain-login", "--config", config(samlKeys()).toString(), "--saml", samlResponse().toString(),
                "--request-id", "_req-1", "--at", NOW.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("login explanation (SAML, source 'corp-sso'): the login would be ACCEPTED")
                .contains("[passed]", "response-issuer", "assertion-signature", "audience", "replay")
                .contains("user: CREATE 'jdoe'")
                .contains("login name from 'username' (username.from): 'JDoe'", "case lower: 'jdoe'")
                .contains("+ add    'sso-users': a default group (groups.default)")
                .contains("+ add    'admins': claim 'groups' value 'wiki-admins': kept by groups.filter")
                .contains("groups.rule.1 (~ (?i)wiki-(.*) => $1) gives 'admins'")
                .contains("groups 'hr-all' -> dropped");
        assertThat(r.err()).contains("explaining against an empty store");
    }

    @Test
    void explainsASamlResponseAsJsonAndXmlInputIsAcceptedToo() throws Exception {
        Path b64 = samlResponse();
        Path xml = file("response.xml", new String(Base64.getDecoder().decode(Files.readString(b64)),
                StandardCharsets.UTF_8));
        Result r = run("explain-login", "-c", config(samlKeys()).toString(), "--saml", xml.toString(), "--request-id",
                "_req-1", "--at", NOW.toString(), "--format", "json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(json.get("protocol").asText()).isEqualTo("SAML");
        assertThat(json.at("/validation/checks")).hasSize(26);
        assertThat(json.at("/validation/checks/0/verdict").asText()).isEqualTo("PASSED");
        assertThat(json.at("/user/action").asText()).isEqualTo("CREATE");
        assertThat(json.at("/user/username").asText()).isEqualTo("jdoe");
        assertThat(json.get("groups").findValuesAsText("group")).containsExactly("sso-users", "admins");
    }

    @Test
    void aResponseForAnotherSpIsRefusedWithExit4AndTheReason() throws IOException {
        Result r = run("explain-login", "-c", config(samlKeys(), "saml.spEntityId=https://other.example.test/saml")
                .toString(), "--saml", samlResponse().toString(), "--request-id", "_req-1", "--at", NOW.toString());

        assertThat(r.code()).isEqualTo(ExitCode.PARTIAL);
        assertThat(r.out()).contains("REFUSED by validation: AUDIENCE_MISMATCH at audience")
                .containsPattern("\\[FAILED\\]\\s+audience\\s+AUDIENCE_MISMATCH")
                .containsPattern("\\[not reached\\]\\s+replay")
                .contains("user and groups: not reached");
    }

    @Test
    void withoutTheRequestIdInResponseToIsNotChecked() throws IOException {
        Result r = run("explain-login", "-c", config(samlKeys()).toString(), "--saml", samlResponse().toString(),
                "--at", NOW.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("\\[not checked\\]\\s+in-response-to\\s+no request ID was given");
    }

    @Test
    void explainsIdTokensGoodAndExpired() throws IOException {
        try (OidcProvider idp = OidcProvider.start(dir, clock)) {
            Path cfg = config(Map.of("source.id", "corp-sso", "jit.username.from", "preferred_username",
                    "jit.groups.from", "groups", "jit.groups.mode", "auto_create", "oidc.issuer", idp.issuer(),
                    "oidc.clientId", "wiki", "oidc.jwksUri", idp.jwksUri().toString()));
            Path good = file("good.jwt", idp.idToken(user.id()).audience("wiki").nonce("n-1").sign());
            Result text = run("explain-login", "-c", cfg.toString(), "--id-token", good.toString(), "--nonce", "n-1",
                    "--at", NOW.toString());
            assertThat(text.code()).as(text.err()).isZero();
            assertThat(text.out()).contains("(OIDC, source 'corp-sso'): the login would be ACCEPTED")
                    .containsPattern("\\[passed\\]\\s+signature").containsPattern("\\[passed\\]\\s+nonce")
                    .contains("user: CREATE 'JDoe'").contains("+ add    'wiki-admins'");

            Result json = run("explain-login", "-c", cfg.toString(), "--id-token", good.toString(), "--at",
                    NOW.toString(), "--format", "json");
            assertThat(json.code()).isZero();
            JsonNode n = new ObjectMapper().readTree(json.out());
            assertThat(n.at("/validation/checks").findValuesAsText("verdict")).contains("NOT_CHECKED");
            assertThat(n.at("/user/username").asText()).isEqualTo("JDoe");

            Path expired = file("expired.jwt", idp.idToken(user.id()).audience("wiki").nonce("n-1")
                    .issuedAt(NOW.minus(Duration.ofHours(3))).lifetime(Duration.ofMinutes(5)).sign());
            Result refused = run("explain-login", "-c", cfg.toString(), "--id-token", expired.toString(), "--nonce",
                    "n-1", "--at", NOW.toString(), "--format", "json");
            assertThat(refused.code()).isEqualTo(ExitCode.PARTIAL);
            JsonNode e = new ObjectMapper().readTree(refused.out());
            assertThat(e.get("outcome").asText()).isEqualTo("REFUSED_BY_VALIDATION");
            assertThat(e.at("/validation/reason").asText()).isEqualTo("EXPIRED");
            assertThat(refused.out()).doesNotContain(Files.readString(expired));
        }
    }

    @Test
    void againstAStateDirectoryTheLoginIsComparedWithWhatIsStoredAndNothingIsWritten() throws IOException {
        Path state = tmp.resolve("state");
        Files.createDirectories(state);
        String url = "jdbc:h2:file:" + state.toAbsolutePath().resolve("usher");
        try (Database db = Database.pooled(url, "sa", "", 2)) {
            JdbcUserStore store = JdbcUserStore.create(db).createSchema();
            User jane = store.createUser(User.builder("jane").origin(Origin.of("corp-sso", user.id()))
                    .displayName("Jane Doe").email("jane.doe@example.test").build());
            Group old = store.createGroup(new Group(null, Origin.of("corp-sso", "old"), "old", null));
            store.addMember(old.key(), MemberKind.USER, jane.key());
        }
        Result r = run("explain-login", "-c", config(samlKeys(), "jit.groups.removeUnlisted=true").toString(), "--saml",
                samlResponse().toString(), "--request-id", "_req-1", "--at", NOW.toString(), "--state",
                state.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("comparing with the state in jdbc:h2:file:");
        assertThat(r.out()).contains("user: RENAME 'jdoe' (was 'jane')")
                .contains("- remove 'old': not listed in the claim, and groups.removeUnlisted is on")
                .contains("+ add    'admins'");
        try (Database db = Database.pooled(url, "sa", "", 2)) {
            JdbcUserStore store = JdbcUserStore.create(db);
            User still = store.findUserByOrigin(Origin.of("corp-sso", user.id())).orElseThrow();
            assertThat(still.username()).isEqualTo("jane");
            assertThat(store.groupsOf(MemberKind.USER, still.key())).hasSize(1);
            assertThat(store.findGroupByName("admins")).isEmpty();
        }
    }

    @Test
    void aStateDirectoryWithoutADatabaseIsNotGivenOne() throws IOException {
        Path state = tmp.resolve("empty-state");
        Files.createDirectories(state);
        Result r = run("explain-login", "-c", config(samlKeys()).toString(), "--saml", samlResponse().toString(),
                "--request-id", "_req-1", "--at", NOW.toString(), "--state", state.toString());
        assertThat(r.code()).as(r.out()).isEqualTo(ExitCode.CONNECTION);
        assertThat(r.err()).contains("connection error");
        try (var files = Files.list(state)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void configurationErrorsExitWith2AndNameTheKeyNeverTheValue() throws IOException {
        Path response = samlResponse();
        Result missing = run("explain-login", "-c", config(samlKeys(), "saml.acsUrl=").toString(), "--saml",
                response.toString());
        assertThat(missing.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(missing.err()).contains("configuration key 'saml.acsUrl': is required");

        Result badMode = run("explain-login", "-c", config(samlKeys(), "jit.groups.mode=sometimes-secret")
                .toString(), "--saml", response.toString());
        assertThat(badMode.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(badMode.err()).contains("configuration key 'jit.groups.mode'").doesNotContain("sometimes-secret");

        Result unknown = run("explain-login", "-c", config(samlKeys(), "saml.spEntityID=x").toString(), "--saml",
                response.toString());
        assertThat(unknown.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(unknown.err()).contains("configuration key 'saml.spEntityID'");

        Result badCert = run("explain-login", "-c", config(samlKeys(), "saml.trustedCertificates="
                + file("not-a-cert.pem", "hunter2").toString()).toString(), "--saml", response.toString());
        assertThat(badCert.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(badCert.err()).contains("configuration key 'saml.trustedCertificates'").doesNotContain("hunter2");

        Result noOidc = run("explain-login", "-c", config(samlKeys()).toString(), "--id-token", response.toString());
        assertThat(noOidc.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(noOidc.err()).contains("'oidc.issuer'");

        Result notPush = run("explain-login", "-c", config(samlKeys(), "type=ldap").toString(), "--saml",
                response.toString());
        assertThat(notPush.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(notPush.err()).contains("configuration key 'type': must be push");

        Result badAt = run("explain-login", "-c", config(samlKeys()).toString(), "--saml", response.toString(),
                "--at", "yesterday");
        assertThat(badAt.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(badAt.err()).contains("'--at'");
    }

    @Test
    void anUnreadableInputFileExitsWith2NamingTheOption() throws IOException {
        Path cfg = config(samlKeys());
        Result absent = run("explain-login", "-c", cfg.toString(), "--saml", tmp.resolve("nope.b64").toString());
        assertThat(absent.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(absent.err()).contains("configuration key '--saml': names a file that does not exist");

        Result directory = run("explain-login", "-c", cfg.toString(), "--saml", tmp.toString());
        assertThat(directory.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(directory.err()).contains("'--saml': names a file that cannot be read");

        Result empty = run("explain-login", "-c", cfg.toString(), "--id-token", file("empty.jwt", "").toString());
        assertThat(empty.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(empty.err()).contains("'--id-token': names an empty file");

        Result neither = run("explain-login", "-c", cfg.toString());
        assertThat(neither.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(neither.err()).contains("--saml").contains("--id-token");
        assertThat(absent.out() + directory.out() + empty.out()).isEmpty();
    }

    @Test
    void helpDescribesTheCommandAndItsKeys() {
        Result r = run("explain-login", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--saml", "--id-token", "--request-id", "--nonce", "--at", "--format",
                "saml.spEntityId", "oidc.jwksUri", "jit.groups.mode");
        assertThat(run("--help").out()).contains("explain-login");
    }

    @Test
    void aPublicJavaSamlVectorIsJudgedAsTheValidatorJudgesIt() throws IOException {
        Optional<Path> vectors = vectors();
        if (vectors.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("shared/vectors/saml/java-saml not found; CI=true, so this is a failure");
            }
            Assumptions.abort("shared/vectors/saml/java-saml not found above the working directory; skipping");
        }
        Path d = vectors.get();
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("source.id", "sso");
        keys.put("jit.username.from", "uid");
        keys.put("saml.spEntityId", "http://localhost:8080/java-saml-jspsample/metadata.jsp");
        keys.put("saml.acsUrl", "http://localhost:8080/java-saml-jspsample/acs.jsp");
        keys.put("saml.idpEntityId", "https://pitbulk.no-ip.org/simplesaml/saml2/idp/metadata.php");
        keys.put("saml.trustedCertificates", d.resolve("idp-1.crt").toString());
        keys.put("saml.allowLegacyAlgorithms", "true");
        String[] common = {"--request-id", "ONELOGIN_5fe9d6e499b2f0913206aab3f7191729049bb807", "--at",
                "2014-02-19T01:37:30Z"};

        Result ok = run(concat(new String[] {"explain-login", "-c", config(keys).toString(), "--saml",
                d.resolve("valid_response.xml.base64").toString()}, common));
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("user: CREATE 'smartin'");

        Result strict = run(concat(new String[] {"explain-login", "-c", config(keys, "saml.allowLegacyAlgorithms=false")
                .toString(), "--saml", d.resolve("valid_response.xml.base64").toString()}, common));
        assertThat(strict.code()).isEqualTo(ExitCode.PARTIAL);
        assertThat(strict.out()).contains("REFUSED by validation: DISALLOWED_ALGORITHM");

        Result wrapped = run(concat(new String[] {"explain-login", "-c", config(keys).toString(), "--saml",
                d.resolve("signature_wrapping_attack.xml.base64").toString()}, common));
        assertThat(wrapped.code()).isEqualTo(ExitCode.PARTIAL);
        assertThat(wrapped.out()).contains("REFUSED by validation: DUPLICATE_ID at unique-ids");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** shared/vectors/saml/java-saml, found by walking up from the working directory. */
    private static Optional<Path> vectors() {
        for (Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("vectors").resolve("saml").resolve("java-saml");
            if (Files.isDirectory(c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
