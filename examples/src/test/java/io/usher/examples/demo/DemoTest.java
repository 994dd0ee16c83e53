package io.usher.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usher.core.Change;
import io.usher.core.ChangeKind;
import io.usher.core.model.Group;
import io.usher.core.model.MemberKind;
import io.usher.core.model.User;
import io.usher.jit.JitResult;
import io.usher.jit.WebsudoException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The demo end to end on a small organisation (500 users, 50 groups), in-process: every step's narrated result
 * is checked against the stores, and the printed SCIM URL, token and curl lines are used over HTTP while the
 * demo's servers are still up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Demo demo;
    private String output;
    private String progress;

    @BeforeAll
    void runTheDemo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        demo = Demo.run(new Demo.Options(500, 50, false), new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new PrintWriter(err, true), false);
        output = bytes.toString(StandardCharsets.UTF_8);
        progress = err.toString();
    }

    @AfterAll
    void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void previewAndInitialSyncsCreateTheWholeOrganisationThroughLdapAndEntra() {
        assertThat(demo.previewCounts).containsEntry(ChangeKind.USER_CREATED, 500L)
                .containsEntry(ChangeKind.GROUP_CREATED, 50L);
        assertThat(output).contains("users created", "for example:", "USER_CREATED ", "guard: would allow it");
        assertThat(demo.wiki.userCount()).isEqualTo(500 + 1);      // + the hire of step 4
        assertThat(demo.initial.count(ChangeKind.USER_CREATED)).isEqualTo(500);
        assertThat(demo.initial.count(ChangeKind.GROUP_CREATED)).isEqualTo(50);
        assertThat(demo.initial.count(ChangeKind.MEMBER_ADDED)).isEqualTo(demo.previewCounts.get(ChangeKind.MEMBER_ADDED));
        assertThat(demo.initial.failureCount()).isZero();
        assertThat(demo.entraInitial.counts()).isEqualTo(demo.initial.counts());
        assertThat(output).contains(String.format(Locale.ROOT, "snapshot read %,d records",
                demo.initial.recordsRead())).contains("500 users created, 50 groups created");
        assertThat(progress).contains("[corp] done:", "[entra] done:");
    }

    @Test
    void theIncrementalSyncsShowExactlyTheFiveDirectoryChanges() {
        Demo.DirectoryChanges c = demo.changes;
        String renamedFrom = c.renamedFrom().toLowerCase(Locale.ROOT);
        String renamedTo = c.renamedTo().toLowerCase(Locale.ROOT);
        assertThat(demo.incremental.mode()).isEqualTo(io.usher.core.SyncMode.INCREMENTAL);
        List<String> ldap = lines(demo.incrementalChanges);
        assertThat(ldap).contains("USER_CREATED " + c.hire(),
                "USER_RENAMED " + renamedTo + " (was " + renamedFrom + ")",
                "USER_DEACTIVATED " + c.disabled().toLowerCase(Locale.ROOT),
                "USER_DEACTIVATED " + c.leaver().toLowerCase(Locale.ROOT),
                "MEMBER_ADDED " + c.hireGroup() + " <- " + c.hire(),
                "MEMBER_ADDED " + c.movedTo() + " <- " + c.mover().toLowerCase(Locale.ROOT),
                "MEMBER_REMOVED " + c.movedFrom() + " <- " + c.mover().toLowerCase(Locale.ROOT));
        // nothing else: every change names one of the five people
        Set<String> people = Set.of(c.hire(), renamedTo, c.disabled().toLowerCase(Locale.ROOT),
                c.leaver().toLowerCase(Locale.ROOT), c.mover().toLowerCase(Locale.ROOT));
        for (Change change : demo.incrementalChanges) {
            String who = change.memberName() != null ? change.memberName() : change.name();
            assertThat(people).as(change.toString()).contains(who);
        }
        assertThat(demo.incrementalChanges.stream().filter(ch -> ch.kind() == ChangeKind.MEMBER_REMOVED)
                .map(Change::memberName).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(c.mover().toLowerCase(Locale.ROOT), c.leaver().toLowerCase(Locale.ROOT));
        // the Entra route sees the same changes through Graph delta queries
        assertThat(lines(demo.entraDeltaChanges).stream().sorted().toList())
                .isEqualTo(ldap.stream().sorted().toList());
        // and the narration lists them
        for (Change change : demo.incrementalChanges) {
            assertThat(output).contains("     " + change);
        }
        User renamed = demo.wiki.findUserByUsername(renamedTo).orElseThrow();
        assertThat(output).contains(renamedFrom + " is now " + renamedTo + " under the same store key " + renamed.key());
    }

    @Test
    void theGuardRefusesTheMassDeletionAndNothingIsDeactivated() {
        assertThat(demo.usersRemovedFromDirectory).isEqualTo((500 + 1 - 1) * 3 / 10);
        assertThat(demo.guarded.guardTripped()).isTrue();
        assertThat(demo.guarded.guardReason()).contains("more than the allowed 10.0%");
        assertThat(demo.guarded.totalChanges()).isZero();
        assertThat(demo.guarded.withheld()).isNotEmpty()
                .allMatch(ch -> ch.kind() == ChangeKind.USER_DEACTIVATED);
        assertThat(demo.activeAfterGuard).isEqualTo(demo.activeBeforeGuard);
        assertThat(demo.entra.allUsers().stream().filter(User::active).count()).isEqualTo(demo.activeBeforeGuard);
        assertThat(output).contains("REFUSED by the mass-deletion guard: " + demo.guarded.guardReason());
    }

    @Test
    void thePrintedScimUrlTokenAndCurlLinesWorkWhileTheDemoRuns() throws Exception {
        String base = match("SCIM base URL: (\\S+)");
        String token = match("bearer token:  (\\S+)");
        assertThat(base).startsWith("http://127.0.0.1:").endsWith("/scim/v2");
        assertThat(demo.scimCreateStatus).isEqualTo(201);
        assertThat(output).contains("GET /Users with a wrong token -> 401");

        List<String> curls = output.lines().map(String::strip).filter(l -> l.startsWith("curl ")).toList();
        assertThat(curls).hasSize(4).allMatch(l -> l.contains("Bearer " + token) && l.contains(base));
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> filtered = http.send(curl(curls.get(0)), HttpResponse.BodyHandlers.ofString());
        assertThat(filtered.statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(filtered.body());
        assertThat(list.path("totalResults").asInt()).isEqualTo(1);
        assertThat(list.path("Resources").get(0).path("userName").asText()).isEqualTo("ada.lovelace");

        HttpResponse<String> created = http.send(curl(curls.get(1)), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(demo.app.findUserByUsername("grace.hopper")).get()
                .satisfies(u -> assertThat(u.origin().sourceId()).isEqualTo(Demo.SCIM_SOURCE));

        HttpResponse<String> all = http.send(curl(curls.get(2)), HttpResponse.BodyHandlers.ofString());
        assertThat(all.statusCode()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        JSON.readTree(all.body()).path("Resources").forEach(r -> names.add(r.path("userName").asText()));
        assertThat(names).containsExactly("ada.lovelace", "grace.hopper"); // SCIM sees only what SCIM owns

        assertThat(http.send(curl(curls.get(3)), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/Users")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void jitLoginsCreateAndUpdateUsersWithTheirDirectoryGroups() {
        JitResult saml = demo.samlLogin;
        JitResult oidc = demo.oidcLogin;
        JitResult again = demo.oidcLoginOfSamlUser;
        assertThat(saml.action()).isEqualTo(JitResult.Action.CREATED);
        assertThat(oidc.action()).isEqualTo(JitResult.Action.CREATED);
        assertThat(saml.userKey()).isNotEqualTo(oidc.userKey());
        // the SAML person signs in again with OIDC: the same account, updated, with the new group
        assertThat(again.userKey()).isEqualTo(saml.userKey());
        assertThat(again.action()).isEqualTo(JitResult.Action.UPDATED);
        assertThat(again.groupsAdded()).hasSize(1);
        User updated = demo.app.findUser(saml.userKey()).orElseThrow();
        assertThat(updated.familyName()).isEqualTo("Okonkwo-Berg");
        assertThat(updated.origin().sourceId()).isEqualTo(Demo.SSO_SOURCE);
        // groups in the app are the person's directory groups
        String directoryId = updated.origin().externalId();
        Set<String> directoryGroups = demo.directory.groupsOf(MemberKind.USER, directoryId).stream()
                .map(g -> demo.directory.group(g).orElseThrow().name()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> appGroups = demo.app.groupsOf(MemberKind.USER, updated.key()).stream()
                .map(k -> demo.app.findGroup(k).map(Group::name).orElseThrow())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(appGroups).isEqualTo(directoryGroups).containsAll(again.groupsAdded());
        assertThat(demo.app.findUser(oidc.userKey())).get().extracting(User::active).isEqualTo(true);
        assertThat(output).contains("CREATED " + saml.username() + " (key " + saml.userKey() + ")")
                .contains("CREATED " + oidc.username()).contains("UPDATED " + saml.username());
    }

    @Test
    void websudoOpensOnAFreshReauthenticationAndRefusesAStaleOne() {
        assertThat(demo.websudoGrant).isNotNull();
        assertThat(demo.websudoGrant.userKey()).isEqualTo(demo.oidcLogin.userKey());
        assertThat(demo.staleRefusal).isNotNull();
        assertThat(demo.staleRefusal.reason()).isEqualTo(WebsudoException.Reason.STALE_AUTHENTICATION);
        assertThat(output).contains("REFUSED: " + demo.staleRefusal.getMessage()).contains("websudo open: false");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                          | 20000 | 2000 | false",
            "500                         | 500   | 50   | false",
            "1000 80 --keep-serving      | 1000  | 80   | true",
            "--keep-serving 300          | 300   | 30   | true"})
    void optionsParse(String args, int users, int groups, boolean keep) {
        Demo.Options o = Demo.Options.parse(args.isBlank() ? new String[0] : args.split(" "));
        assertThat(o).isEqualTo(new Demo.Options(users, groups, keep));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10            | users must be between 50",
            "500 5         | groups must be between 10",
            "500 600       | groups must be between 10 and the number of users",
            "1 2 3         | at most two numbers",
            "--keep        | unknown argument '--keep'",
            "-5            | unknown argument '-5'"})
    void badOptionsAreRefusedByName(String args, String message) {
        assertThatThrownBy(() -> Demo.Options.parse(args.split(" "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    // ------------------------------------------------------------------ helpers

    /** Each change as its narrated line without the changed fields or the reason. */
    private static List<String> lines(List<Change> changes) {
        return changes.stream().map(ch -> {
            String s = ch.toString();
            int bracket = s.indexOf(" [");
            return bracket < 0 ? s.replaceAll(":.*$", "") : s.substring(0, bracket);
        }).toList();
    }

    private String match(String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        assertThat(m.find()).as("the output has " + regex).isTrue();
        return m.group(1);
    }

    /** The request a printed {@code curl} line makes: {@code -s}, {@code -H 'k: v'}, {@code -d '...'}, the URL. */
    static HttpRequest curl(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (ch == '\'') {
                quoted = !quoted;
                if (word == null) {
                    word = new StringBuilder();
                }
            } else if (ch == ' ' && !quoted) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(ch);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        assertThat(quoted).as("balanced quotes in " + line).isFalse();
        assertThat(words.get(0)).isEqualTo("curl");
        HttpRequest.Builder b = null;
        List<String[]> headers = new ArrayList<>();
        String body = null;
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            switch (w) {
                case "-s" -> { }
                case "-H" -> {
                    String h = words.get(++i);
                    int colon = h.indexOf(':');
                    headers.add(new String[] {h.substring(0, colon).strip(), h.substring(colon + 1).strip()});
                }
                case "-d" -> body = words.get(++i);
                default -> {
                    assertThat(w).as("an option the test does not know, in " + line).startsWith("http");
                    b = HttpRequest.newBuilder(URI.create(w));
                }
            }
        }
        assertThat(b).as("a URL in " + line).isNotNull();
        for (String[] h : headers) {
            b.header(h[0], h[1]);
        }
        if (body != null) {
            if (headers.stream().noneMatch(h -> h[0].equalsIgnoreCase("Content-Type"))) {
                b.header("Content-Type", "application/x-www-form-urlencoded"); // what curl -d sends
            }
            b.POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.GET();
        }
        return b.build();
    }
}
