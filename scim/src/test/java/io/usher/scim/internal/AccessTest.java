package io.usher.scim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.scim.ScimCaller;
import io.usher.scim.ScimException;
import io.usher.scim.ScimScope;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scope table of {@link ScimScope}, one row per endpoint and scope set. */
class AccessTest {

    @ParameterizedTest(name = "{0} /{1} needs {2}")
    @CsvSource(delimiter = '|', value = {
            "GET    | Users                    | READ_USERS",
            "POST   | Users                    | WRITE_USERS",
            "POST   | Users/.search            | READ_USERS",
            "GET    | Users/2819c223           | READ_USERS",
            "PUT    | Users/2819c223           | WRITE_USERS",
            "PATCH  | Users/2819c223           | WRITE_USERS",
            "DELETE | Users/2819c223           | WRITE_USERS",
            "GET    | Groups                   | READ_GROUPS",
            "POST   | Groups                   | WRITE_GROUPS",
            "POST   | Groups/.search           | READ_GROUPS",
            "GET    | Groups/g1                | READ_GROUPS",
            "PUT    | Groups/g1                | WRITE_GROUPS",
            "PATCH  | Groups/g1                | WRITE_GROUPS",
            "DELETE | Groups/g1                | WRITE_GROUPS",
            "POST   | .search                  | READ_ALL",
            "POST   | Bulk                     | BULK",
            "GET    | ServiceProviderConfig    | ANY",
            "GET    | ResourceTypes            | ANY",
            "GET    | ResourceTypes/User       | ANY",
            "GET    | Schemas                  | ANY",
            "GET    | Schemas/urn:x            | ANY",
            "GET    | Nope                     | ANY",
            "GET    | Bulk                     | ANY",
            "POST   | Bulk/x                   | ANY",
            "GET    | .search                  | ANY",
            "get    | users                    | READ_USERS",
            // failing closed: no endpoint, but below /Users or /Groups a write needs the write scope
            "DELETE | Users                    | WRITE_USERS",
            "POST   | Users/a/b                | WRITE_USERS",
            "DELETE | Users/a/b                | WRITE_USERS",
            "GET    | Users/a/b                | READ_USERS",
            "POST   | Groups/.search/x         | WRITE_GROUPS",
            "PATCH  | Groups;v=1/g1            | WRITE_GROUPS",
            "DELETE | Users;x=y                | WRITE_USERS",
    })
    void needs(String method, String path, Access.Need need) {
        assertThat(Access.of(method.trim(), path.trim())).isEqualTo(need);
    }

    @ParameterizedTest(name = "{0} with {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "READ_USERS   | read          | true",
            "READ_USERS   | users         | true",
            "READ_USERS   | groups        | false",
            "WRITE_USERS  | read          | false",
            "WRITE_USERS  | users         | true",
            "WRITE_USERS  | groups        | false",
            "READ_GROUPS  | read          | true",
            "READ_GROUPS  | users         | false",
            "READ_GROUPS  | groups        | true",
            "WRITE_GROUPS | read          | false",
            "WRITE_GROUPS | users         | false",
            "WRITE_GROUPS | groups        | true",
            "READ_ALL     | read          | true",
            "READ_ALL     | users         | false",
            "READ_ALL     | groups        | false",
            "READ_ALL     | users,groups  | true",
            "BULK         | read          | false",
            "BULK         | users         | true",
            "BULK         | groups        | true",
            "ANY          | read          | true",
            "ANY          | users         | true",
            "ANY          | groups        | true",
    })
    void allowed(Access.Need need, String scopes, boolean allowed) {
        ScimCaller caller = ScimCaller.of("c", ScimScope.parseList(scopes));
        if (allowed) {
            assertThatCode(() -> Access.check(need, caller, "X", "p")).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> Access.check(need, caller, "X", "p")).isInstanceOfSatisfying(ScimException.class,
                    e -> assertThat(e.status()).isEqualTo(403)).hasMessageContaining("it needs the");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Users;x=y/1        | Users;x=y/1     | matrix parameters",
            "Users;/1           | Users;/1        | matrix parameters",
            "Groups/../Users/1  | Groups/../Users/1 | dot segments",
            "Groups/%2E%2E/Users/1 | Groups/../Users/1 | dot segments",
            "./Users            | ./Users         | dot segments",
    })
    void pathsThatJaxRsAndTheScopeCheckCouldReadDifferentlyAre404(String raw, String decoded, String message) {
        assertThatThrownBy(() -> Access.checkShape(raw, decoded)).isInstanceOfSatisfying(ScimException.class,
                e -> assertThat(e.status()).isEqualTo(404)).hasMessageContaining(message);
    }

    @Test
    void ordinaryPathsHaveTheRightShape() {
        for (String p : new String[] {"Users", "Users/.search", ".search", "Users/a%3Bb", "Schemas/urn:x:y", ""}) {
            assertThatCode(() -> Access.checkShape(p, p.replace("%3B", ";"))).doesNotThrowAnyException();
        }
    }

    private static ObjectNode bulk(String... paths) {
        ObjectNode body = Json.object();
        var ops = body.putArray("Operations");
        for (String p : paths) {
            ObjectNode op = ops.addObject().put("method", "POST").put("bulkId", "b");
            if (p != null) {
                op.put("path", p);
            }
        }
        return body;
    }

    @Test
    void everyBulkOperationMustBeAllowed() {
        ScimCaller users = ScimCaller.of("u", Set.of(ScimScope.USERS));
        ScimCaller both = ScimCaller.of("b", Set.of(ScimScope.USERS, ScimScope.GROUPS));
        assertThatCode(() -> Access.checkBulk(users, bulk("/Users", "/Users/bulkId:b", "users/x"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Access.checkBulk(users, bulk("/Users", "/Groups")))
                .hasMessageContaining("Bulk operation 2").hasMessageContaining("groups scope")
                .hasMessageContaining("no operation was run");
        // a path naming neither resource type needs both write scopes (it fails in Bulk anyway)
        assertThatThrownBy(() -> Access.checkBulk(users, bulk("/Users", "/Users/a/b"))).hasMessageContaining("operation 2");
        assertThatThrownBy(() -> Access.checkBulk(users, bulk((String) null))).hasMessageContaining("operation 1");
        assertThatCode(() -> Access.checkBulk(both, bulk("/Users", "/Groups", "/Elsewhere", null))).doesNotThrowAnyException();
        // no Operations array: Bulk answers 400 itself
        assertThatCode(() -> Access.checkBulk(users, Json.object())).doesNotThrowAnyException();
    }
}
