package io.usher.scim.http;

import static io.usher.scim.http.ScimHttpServer.j;
import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.CollisionPolicy;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import io.usher.scim.http.ScimHttpServer.Resp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Linking local users on create, and concurrent writes to one resource. */
class LinkingAndConcurrencyTest {

    @Test
    void withLinkAPostForALocalUsersNameLinksThatUser() {
        try (ScimHttpServer s = ScimHttpServer.start(new ScimHttpServer.Options().collisions(CollisionPolicy.LINK))) {
            User local = s.store.createUser(User.builder("jdoe").displayName("Local John").build());
            Resp r = s.post("/Users", j("{'userName':'jdoe','displayName':'John Doe'}"));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
            String id = r.body().get("id").asText();
            User linked = s.store.findUserByOrigin(Origin.of("scim", id)).orElseThrow();
            assertThat(linked.key()).isEqualTo(local.key());
            assertThat(linked.displayName()).isEqualTo("John Doe");
            assertThat(s.store.userCount()).isEqualTo(1);
        }
    }

    @Test
    void withoutLinkAPostForALocalUsersNameIs409AndTheLocalUserIsUntouched() {
        try (ScimHttpServer s = ScimHttpServer.start()) {
            User local = s.store.createUser(User.builder("jdoe").displayName("Local John").build());
            Resp r = s.post("/Users", j("{'userName':'jdoe','displayName':'John Doe'}"));
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.body().get("scimType").asText()).isEqualTo("uniqueness");
            assertThat(s.store.findUser(local.key()).orElseThrow()).isEqualTo(local);
            // local users are invisible to SCIM
            assertThat(s.get("/Users?filter=" + ListAndFilterTest.q("userName eq \"jdoe\"")).body()
                    .get("totalResults").asInt()).isZero();
        }
    }

    @Test
    void concurrentPutsOnOneUserEndAsOneOfThemWhole() throws Exception {
        try (ScimHttpServer s = ScimHttpServer.start()) {
            String id = s.createUser("racer");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Resp>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                Callable<Resp> put = () -> s.put("/Users/" + id, j("{'userName':'racer','displayName':'D" + n
                        + "','title':'T" + n + "','name':{'givenName':'G" + n + "','familyName':'F" + n + "'}}"));
                results.add(pool.submit(put));
            }
            for (Future<Resp> f : results) {
                assertThat(f.get().status()).isEqualTo(200);
            }
            pool.shutdown();
            User u = s.store.findUserByOrigin(Origin.of("scim", id)).orElseThrow();
            String n = u.displayName().substring(1);
            assertThat(u.givenName()).isEqualTo("G" + n);
            assertThat(u.familyName()).isEqualTo("F" + n);
            assertThat(u.attributes().get("scim.title")).containsExactly("T" + n);
            assertThat(s.get("/Users/" + id).header("ETag")).isEqualTo("W/\"41\"");
        }
    }

    @Test
    void concurrentPutsWithIfMatchLetExactlyOneWinPerVersion() throws Exception {
        try (ScimHttpServer s = ScimHttpServer.start()) {
            String id = s.createUser("etag-racer");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Resp>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                results.add(pool.submit(() -> s.put("/Users/" + id, j("{'userName':'etag-racer','displayName':'D" + n
                        + "'}"), "If-Match", "W/\"1\"")));
            }
            int ok = 0;
            int refused = 0;
            for (Future<Resp> f : results) {
                int status = f.get().status();
                ok += status == 200 ? 1 : 0;
                refused += status == 412 ? 1 : 0;
            }
            pool.shutdown();
            assertThat(ok).isEqualTo(1);
            assertThat(refused).isEqualTo(15);
        }
    }
}
