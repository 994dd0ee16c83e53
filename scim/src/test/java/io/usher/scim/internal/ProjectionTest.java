package io.usher.scim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.scim.ScimException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** attributes / excludedAttributes paths: a table of good and bad inputs. */
class ProjectionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "userName | - | userName | -",
        "name.givenName | - | name | givenName",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName | - | userName | -",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department | urn:ietf:params:scim:schemas:extension:enterprise:2.0:User | department | -",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value | urn:ietf:params:scim:schemas:extension:enterprise:2.0:User | manager | value",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User | - | urn:ietf:params:scim:schemas:extension:enterprise:2.0:User | -",
        "$ref | - | $ref | -",
        "members.$ref | - | members | $ref",
    })
    void goodPaths(String text, String urn, String attr, String sub) {
        Projection.Path p = Projection.parse(text);
        assertThat(p.urn()).isEqualTo(urn);
        assertThat(p.attr()).isEqualTo(attr);
        assertThat(p.sub()).isEqualTo(sub);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "name..givenName", "name.given.name", "1abc", "emails[type eq \"work\"]", ".x", "x.",
        "urn:x:y:", "na*me"})
    void badPathsAre400InvalidPath(String text) {
        assertThatThrownBy(() -> Projection.parse(text)).isInstanceOfSatisfying(ScimException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.scimType()).isEqualTo(ScimException.ScimType.invalidPath);
        });
    }

    @org.junit.jupiter.api.Test
    void bothParametersAtOnceIs400() {
        assertThatThrownBy(() -> Projection.of("userName", "emails")).isInstanceOf(ScimException.class);
        assertThat(Projection.of(" , ", null).isAll()).isTrue();
        assertThat(Projection.of(null, "members").includes("members")).isFalse();
        assertThat(Projection.of(null, "members.value").includes("members")).isTrue();
        assertThat(Projection.of("displayName", null).includes("members")).isFalse();
    }
}
