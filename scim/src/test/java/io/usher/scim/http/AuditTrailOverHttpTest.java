package io.usher.scim.http;

import static io.usher.scim.http.ScimHttpServer.j;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usher.core.ChangeKind;
import io.usher.core.CollisionPolicy;
import io.usher.core.DeprovisionPolicy;
import io.usher.core.audit.AuditEvent;
import io.usher.core.audit.AuditListener;
import io.usher.core.audit.AuditOutcome;
import io.usher.core.audit.AuditRoute;
import io.usher.core.audit.JsonLinesAuditWriter;
import io.usher.core.model.User;
import io.usher.scim.http.ScimHttpServer.Resp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SCIM write is audited over a real JAX-RS runtime: each change carries the authenticated client's token
 * id (never the token) and the request's id; the JSON lines written hold none of the test's secrets.
 */
class AuditTrailOverHttpTest {
    private static final String PASSWORD = "t1meMa$heen-Audit-Pw";
    private static final String NICKNAME = "nick-not-allow-listed-7731";

    @TempDir
    Path dir;

    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private JsonLinesAuditWriter writer;
    private ScimHttpServer s;

    @BeforeEach
    void start() {
        writer = JsonLinesAuditWriter.builder(dir).maxBytes(4096).keep(1000).build();
        AuditListener record = events::add;
        s = ScimHttpServer.start(new ScimHttpServer.Options().collisions(CollisionPolicy.LINK)
                .deprovision(DeprovisionPolicy.DELETE).audit(record).audit(writer)
                .tweak(b -> b.requestIds(() -> "req-" + requests.incrementAndGet())));
    }

    @AfterEach
    void stop() {
        s.close();
        writer.close();
    }

    private static String patch(String ops) {
        return j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[" + ops + "]}");
    }

    private List<AuditEvent> since(int mark) {
        return new ArrayList<>(events.subList(mark, events.size()));
    }

    @Test
    void everyKindOfScimWriteIsAuditedWithTokenIdAndRequestId() throws IOException {
        s.store.createUser(User.builder("linda").build()); // a local user LINK takes over
        int mark = events.size();
        Resp created = s.post("/Users", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],"
                + "'userName':'bjensen','displayName':'Babs','nickName':'" + NICKNAME + "','password':'" + PASSWORD
                + "'}"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.body().get("id").asText();
        List<AuditEvent> create = since(mark);
        assertThat(create).hasSize(1);
        AuditEvent c = create.get(0);
        assertThat(c.kind()).isEqualTo(ChangeKind.USER_CREATED);
        assertThat(c.outcome()).isEqualTo(AuditOutcome.APPLIED);
        assertThat(c.route()).isEqualTo(AuditRoute.SCIM);
        assertThat(c.context().detail("tokenId")).isEqualTo("current");
        assertThat(c.context().detail("requestId")).isEqualTo("req-" + requests.get());
        assertThat(c.externalId()).isEqualTo(id);
        assertThat(c.values()).containsEntry("username", "bjensen").containsEntry("displayName", "Babs");
        assertThat(c.fields()).contains("username", "displayName");

        // the previous token still works during a rotation, and its id is what is recorded
        mark = events.size();
        assertThat(s.put("/Users/" + id, j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],"
                + "'userName':'bjensen','displayName':'Barbara','password':'" + PASSWORD + "'}"),
                "Authorization", "Bearer " + ScimHttpServer.OLD_TOKEN).status()).isEqualTo(200);
        assertThat(since(mark)).isNotEmpty().allMatch(e -> e.context().detail("tokenId").equals("previous"))
                .anyMatch(e -> e.kind() == ChangeKind.USER_UPDATED && "Barbara".equals(e.values().get("displayName")));

        mark = events.size();
        s.clock.advance(java.time.Duration.ofMinutes(1));
        assertThat(s.patch("/Users/" + id, patch("{'op':'replace','path':'userName','value':'babs'}")).status())
                .isEqualTo(200);
        assertThat(since(mark)).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ChangeKind.USER_RENAMED);
            assertThat(e.previousName()).isEqualTo("bjensen");
            assertThat(e.name()).isEqualTo("babs");
            // as in the README's example line: the SCIM meta attributes change with every write, by name only
            assertThat(e.fields()).contains("username", "attributes.scim.meta.lastModified",
                    "attributes.scim.meta.version");
            assertThat(e.values()).containsOnly(java.util.Map.entry("username", "babs"));
        });

        mark = events.size();
        assertThat(s.patch("/Users/" + id, patch("{'op':'replace','path':'active','value':false}")).status())
                .isEqualTo(200);
        assertThat(s.patch("/Users/" + id, patch("{'op':'replace','path':'active','value':true}")).status())
                .isEqualTo(200);
        assertThat(since(mark)).extracting(AuditEvent::kind).containsExactly(ChangeKind.USER_DEACTIVATED,
                ChangeKind.USER_REACTIVATED);
        assertThat(since(mark).get(0).values()).containsEntry("active", false);

        Resp linked = s.post("/Users", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],"
                + "'userName':'linda'}"));
        assertThat(linked.status()).as(linked.raw()).isEqualTo(201);
        String lindaId = linked.body().get("id").asText();

        mark = events.size();
        Resp group = s.post("/Groups", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group'],"
                + "'displayName':'staff','members':[{'value':'" + id + "'}]}"));
        assertThat(group.status()).as(group.raw()).isEqualTo(201);
        String gid = group.body().get("id").asText();
        assertThat(s.patch("/Groups/" + gid, patch("{'op':'add','path':'members','value':[{'value':'" + lindaId
                + "'}]}")).status()).isEqualTo(204);
        assertThat(s.patch("/Groups/" + gid, patch("{'op':'remove','path':'members[value eq \\\"" + id + "\\\"]'}"))
                .status()).isEqualTo(204);
        assertThat(s.patch("/Groups/" + gid, patch("{'op':'replace','path':'displayName','value':'people'}"))
                .status()).isEqualTo(204);
        assertThat(s.delete("/Groups/" + gid).status()).isEqualTo(204);
        assertThat(s.delete("/Users/" + id).status()).isEqualTo(204);
        List<AuditEvent> groupEvents = since(mark);
        assertThat(groupEvents).filteredOn(e -> e.kind() == ChangeKind.MEMBER_ADDED)
                .extracting(AuditEvent::memberName).contains("babs", "linda");
        assertThat(groupEvents).filteredOn(e -> e.kind() == ChangeKind.MEMBER_REMOVED)
                .extracting(AuditEvent::memberName).contains("babs");
        assertThat(groupEvents).filteredOn(e -> e.kind() == ChangeKind.GROUP_UPDATED)
                .anyMatch(e -> "people".equals(e.values().get("name")));

        Set<ChangeKind> kinds = events.stream().filter(e -> e.outcome() == AuditOutcome.APPLIED)
                .map(AuditEvent::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(ChangeKind.class)));
        assertThat(kinds).containsExactlyInAnyOrder(ChangeKind.USER_CREATED, ChangeKind.USER_UPDATED,
                ChangeKind.USER_RENAMED, ChangeKind.USER_DEACTIVATED, ChangeKind.USER_REACTIVATED,
                ChangeKind.USER_LINKED, ChangeKind.GROUP_CREATED, ChangeKind.MEMBER_ADDED, ChangeKind.MEMBER_REMOVED,
                ChangeKind.GROUP_UPDATED, ChangeKind.GROUP_DELETED, ChangeKind.USER_DELETED);
        // one request id per request, none shared between requests
        assertThat(events).allMatch(e -> e.route() == AuditRoute.SCIM && e.context().detail("requestId") != null);
        assertThat(events.stream().map(e -> e.context().detail("requestId")).distinct().count())
                .isLessThanOrEqualTo(requests.get());

        assertNoSecretInTheFiles();
    }

    @Test
    void aBulkRequestsChangesShareItsRequestId() {
        Resp r = s.post("/Bulk", j("{'schemas':['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],"
                + "'Operations':["
                + "{'method':'POST','path':'/Users','bulkId':'a','data':{'userName':'alice','password':'" + PASSWORD
                + "'}},"
                + "{'method':'POST','path':'/Users','bulkId':'b','data':{'userName':'bob'}},"
                + "{'method':'POST','path':'/Groups','bulkId':'g','data':{'displayName':'team',"
                + "'members':[{'value':'bulkId:a'},{'value':'bulkId:b'}]}}]}"));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(events).hasSizeGreaterThanOrEqualTo(5)
                .allMatch(e -> e.context().detail("requestId").equals("req-1")
                        && e.context().detail("tokenId").equals("current"));
        assertThat(events).extracting(AuditEvent::kind).contains(ChangeKind.USER_CREATED, ChangeKind.GROUP_CREATED,
                ChangeKind.MEMBER_ADDED);
    }

    @Test
    void aWriteTheEngineRefusesIsAuditedAsRefused() throws IOException {
        // a user of another source holds the name: the collision rules refuse it (409), and the trail says so
        s.store.createUser(User.builder("dora").origin(io.usher.core.model.Origin.of("ldap", "x1")).build());
        Resp r = s.post("/Users", j("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],"
                + "'userName':'dora','password':'" + PASSWORD + "'}"));
        assertThat(r.status()).as(r.raw()).isEqualTo(409);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AuditOutcome.REFUSED);
            assertThat(e.code()).isEqualTo(io.usher.core.UsherException.Code.CONFLICT);
            assertThat(e.name()).isEqualTo("dora");
            assertThat(e.reason()).contains("a user of source 'ldap'");
            assertThat(e.context().detail("tokenId")).isEqualTo("current");
            assertThat(e.context().detail("requestId")).isEqualTo("req-1");
        });
        assertNoSecretInTheFiles();
    }

    /** Scans every written line for the test's secrets: the bearer tokens, the password, unlisted values. */
    private void assertNoSecretInTheFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.collect(Collectors.toList());
        }
        assertThat(files).isNotEmpty();
        int lines = 0;
        ObjectMapper json = new ObjectMapper();
        for (Path f : files) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                lines++;
                JsonNode n = json.readTree(line);
                assertThat(n.get("route").asText()).isEqualTo("SCIM");
                for (String secret : List.of(ScimHttpServer.TOKEN, ScimHttpServer.OLD_TOKEN, PASSWORD, NICKNAME,
                        "Bearer")) {
                    assertThat(line).as("audit line %s", n.get("eventId")).doesNotContain(secret);
                }
            }
        }
        assertThat(lines).isEqualTo(events.size());
    }
}
