package io.usher.testkit.okta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.usher.testkit.DirectoryUser;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake Okta as a client sees it: paging, filters, errors, rate limits and the System Log. */
class OktaServerTest {
    private static final String TOKEN = "00test-token";
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T07:00:10Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private InMemoryDirectory dir;
    private OktaServer server;

    @BeforeEach
    void start() {
        dir = InMemoryDirectory.create(7);
        for (int i = 0; i < 25; i++) {
            dir.addUser(DirectoryUser.builder("user" + i + "@corp.example").enabled(i % 5 != 0).build());
        }
        server = OktaServer.builder(dir).clock(clock).apiToken(TOKEN).rateLimit(30).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String pathOrUrl, String auth) {
        URI uri = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : server.orgUri().resolve(pathOrUrl);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (auth != null) {
            b.header("Authorization", auth);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path) {
        return get(path, "SSWS " + TOKEN);
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return OktaServer.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String next(HttpResponse<String> r) {
        for (String v : r.headers().allValues("Link")) {
            Matcher m = NEXT.matcher(v);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void usersPageByLinkHeaderAndLeaveOutDeprovisionedUnlessFiltered() {
        Set<String> seen = new HashSet<>();
        String url = "api/v1/users?limit=7";
        int pages = 0;
        while (url != null) {
            HttpResponse<String> r = get(url);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().allValues("Link")).anyMatch(l -> l.endsWith("rel=\"self\""));
            json(r).forEach(u -> {
                assertThat(u.path("status").asText()).isEqualTo("ACTIVE");
                seen.add(u.path("id").asText());
            });
            url = next(r);
            pages++;
        }
        assertThat(seen).hasSize(20);
        assertThat(pages).isEqualTo(3);

        HttpResponse<String> gone = get("api/v1/users?filter=" + enc("status eq \"DEPROVISIONED\""));
        assertThat(json(gone)).hasSize(5).allSatisfy(u -> assertThat(u.path("status").asText()).isEqualTo("DEPROVISIONED"));
        assertThat(next(gone)).isNull();
    }

    @Test
    void aTamperedCursorOrABadLimitIsA400InOktasShape() {
        HttpResponse<String> r = get("api/v1/users?limit=7");
        String tampered = next(r).replaceAll("after=[^&]+", "after=" + enc("not-a-cursor"));
        HttpResponse<String> bad = get(tampered);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("errorCode").asText()).isEqualTo("E0000001");
        assertThat(json(bad).path("errorSummary").asText()).contains("after");
        assertThat(json(bad).path("errorId").asText()).isNotBlank();

        assertThat(get("api/v1/users?limit=201").statusCode()).isEqualTo(400);
        HttpResponse<String> badFilter = get("api/v1/users?filter=" + enc("status eq ACTIVE"));
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(json(badFilter).path("errorCode").asText()).isEqualTo("E0000031");
    }

    @Test
    void aWrongTokenIsE0000011() {
        HttpResponse<String> r = get("api/v1/users", "SSWS wrong");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).path("errorCode").asText()).isEqualTo("E0000011");
        assertThat(get("api/v1/users", null).statusCode()).isEqualTo(401);
    }

    @Test
    void rateLimitHeadersCountDownAndPastTheLimitComesA429UntilTheReset() {
        HttpResponse<String> first = get("api/v1/users?limit=1");
        assertThat(first.headers().firstValue("X-Rate-Limit-Limit")).contains("30");
        assertThat(first.headers().firstValue("X-Rate-Limit-Remaining")).contains("29");
        assertThat(first.headers().firstValue("X-Rate-Limit-Reset"))
                .contains(Long.toString(Instant.parse("2026-11-29T07:01:00Z").getEpochSecond()));
        for (int i = 0; i < 29; i++) {
            assertThat(get("api/v1/users?limit=1").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> over = get("api/v1/users?limit=1");
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(json(over).path("errorCode").asText()).isEqualTo("E0000047");
        assertThat(over.headers().firstValue("X-Rate-Limit-Remaining")).contains("0");
        assertThat(get("api/v1/groups").statusCode()).as("another bucket").isEqualTo(200);

        clock.advance(Duration.ofSeconds(50));
        assertThat(get("api/v1/users?limit=1").statusCode()).isEqualTo(200);
        assertThat(server.maxRequestsInAWindow("users")).isEqualTo(31);
    }

    @Test
    void theSystemLogShowsChangesAndAPollingRequestAlwaysHasANextLink() {
        String since = clock.instant().toString();
        clock.advance(Duration.ofSeconds(1));
        DirectoryUser u = dir.users().findFirst().orElseThrow();
        var g = dir.addGroup("team");
        dir.addMember(g.id(), io.usher.core.model.MemberKind.USER, u.id());
        dir.deleteUser(dir.users().skip(3).findFirst().orElseThrow().id());

        HttpResponse<String> r = get("api/v1/logs?since=" + enc(since) + "&filter="
                + enc("eventType eq \"group.user_membership.add\" or eventType eq \"user.lifecycle.delete.completed\""));

        assertThat(r.statusCode()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        json(r).forEach(e -> types.add(e.path("eventType").asText()));
        assertThat(types).containsExactly("group.user_membership.add", "user.lifecycle.delete.completed");
        JsonNode add = json(r).get(0);
        assertThat(add.path("target")).extracting(t -> t.path("type").asText()).containsExactly("User", "UserGroup");
        String next = next(r);
        assertThat(next).isNotNull();
        HttpResponse<String> caughtUp = get(next);
        assertThat(json(caughtUp)).isEmpty();
        assertThat(next(caughtUp)).as("polling: next even when empty").isNotNull();

        HttpResponse<String> tooOld = get("api/v1/logs?since=" + enc("2026-01-01T00:00:00Z"));
        assertThat(tooOld.statusCode()).isEqualTo(400);
        assertThat(json(tooOld).path("errorCauses").get(0).path("errorSummary").asText()).contains("since");
    }

    @Test
    void lastUpdatedMovesOnlyForWhatChanged() {
        List<String> before = new ArrayList<>();
        json(get("api/v1/users")).forEach(u -> before.add(u.path("lastUpdated").asText()));
        String mark = before.get(0);
        clock.advance(Duration.ofSeconds(1));
        DirectoryUser u = dir.users().filter(DirectoryUser::enabled).findFirst().orElseThrow();
        dir.renameUser(u.id(), "renamed@corp.example");

        JsonNode changed = json(get("api/v1/users?filter=" + enc("lastUpdated gt \"" + mark + "\"")));

        assertThat(changed).hasSize(1);
        assertThat(changed.get(0).path("profile").path("login").asText()).isEqualTo("renamed@corp.example");
    }
}
