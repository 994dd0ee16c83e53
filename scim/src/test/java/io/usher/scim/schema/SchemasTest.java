package io.usher.scim.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemasTest {

    private static final ResourceType USERS = Schemas.USER_RESOURCE;

    @Test
    void resolvesCaseInsensitivelyWithAndWithoutUrn() {
        assertThat(USERS.resolve(null, "USERNAME", null)).hasValueSatisfying(r -> {
            assertThat(r.attribute().name()).isEqualTo("userName");
            assertThat(r.schema().id()).isEqualTo(Schemas.USER_URN);
            assertThat(r.target().caseExact()).isFalse();
            assertThat(r.target().uniqueness()).isEqualTo(Uniqueness.SERVER);
        });
        assertThat(USERS.resolve(Schemas.USER_URN.toUpperCase(), "name", "GIVENNAME"))
                .hasValueSatisfying(r -> assertThat(r.target().name()).isEqualTo("givenName"));
        assertThat(USERS.resolve(Schemas.ENTERPRISE_USER_URN, "manager", "value"))
                .hasValueSatisfying(r -> {
                    assertThat(r.schema()).isEqualTo(Schemas.ENTERPRISE_USER);
                    assertThat(r.attribute().name()).isEqualTo("manager");
                    assertThat(r.subAttribute().name()).isEqualTo("value");
                });
        // unqualified extension attributes are found after the core ones
        assertThat(USERS.resolve(null, "employeeNumber", null))
                .hasValueSatisfying(r -> assertThat(r.schema()).isEqualTo(Schemas.ENTERPRISE_USER));
        // but a core attribute is not found under the extension's URN
        assertThat(USERS.resolve(Schemas.ENTERPRISE_USER_URN, "userName", null)).isEmpty();
    }

    @Test
    void commonAttributesResolveUnderTheCoreSchemaOnly() {
        assertThat(USERS.resolve(null, "id", null)).hasValueSatisfying(r -> {
            assertThat(r.common()).isTrue();
            assertThat(r.target().mutability()).isEqualTo(Mutability.READ_ONLY);
            assertThat(r.target().caseExact()).isTrue();
        });
        assertThat(USERS.resolve(null, "meta", "lastModified"))
                .hasValueSatisfying(r -> assertThat(r.target().type()).isEqualTo(AttributeType.DATE_TIME));
        assertThat(Schemas.GROUP_RESOURCE.resolve(Schemas.GROUP_URN, "externalId", null))
                .hasValueSatisfying(r -> assertThat(r.target().caseExact()).isTrue());
        assertThat(USERS.resolve(Schemas.ENTERPRISE_USER_URN, "id", null)).isEmpty();
    }

    @Test
    void unknownNamesAndSubAttributesOfSimpleAttributesAreNotResolved() {
        assertThat(USERS.resolve(null, "shoeSize", null)).isEmpty();
        assertThat(USERS.resolve(null, "userName", "first")).isEmpty();
        assertThat(USERS.resolve("urn:example:other", "userName", null)).isEmpty();
        assertThat(Schemas.GROUP_RESOURCE.resolve(null, "employeeNumber", null)).isEmpty();
    }

    @Test
    void groupMembersAreMultiValuedWithImmutableValue() {
        AttributeDefinition members = Schemas.GROUP.attribute("members").orElseThrow();
        assertThat(members.multiValued()).isTrue();
        assertThat(members.subAttribute("value").orElseThrow().mutability()).isEqualTo(Mutability.IMMUTABLE);
        assertThat(members.subAttribute("TYPE").orElseThrow().canonicalValues()).containsExactly("User", "Group");
    }

    @Test
    void schemaJsonIsTruthful() {
        ObjectNode json = SchemaJson.schema(Schemas.USER, "https://h/scim/v2");
        assertThat(json.get("id").asText()).isEqualTo(Schemas.USER_URN);
        assertThat(json.at("/meta/location").asText()).isEqualTo("https://h/scim/v2/Schemas/" + Schemas.USER_URN);
        assertThat(json.at("/schemas/0").asText()).isEqualTo(Schemas.SCHEMA_URN);
        // every rendered attribute says exactly what the definition enforces
        for (JsonNode a : json.get("attributes")) {
            AttributeDefinition def = Schemas.USER.attribute(a.get("name").asText()).orElseThrow();
            assertSame(a, def);
        }
        assertThat(json.get("attributes")).hasSize(Schemas.USER.attributes().size());
        JsonNode password = find(json, "password");
        assertThat(password.get("mutability").asText()).isEqualTo("writeOnly");
        assertThat(password.get("returned").asText()).isEqualTo("never");
        JsonNode emails = find(json, "emails");
        assertThat(emails.get("multiValued").asBoolean()).isTrue();
        assertThat(names(emails.get("subAttributes"))).containsExactly("value", "display", "type", "primary");
    }

    @Test
    void enterpriseAndResourceTypeJson() {
        ObjectNode ent = SchemaJson.schema(Schemas.ENTERPRISE_USER, "https://h");
        assertThat(names(ent.get("attributes"))).containsExactly("employeeNumber", "costCenter", "organization",
                "division", "department", "manager");
        ObjectNode rt = SchemaJson.resourceType(Schemas.USER_RESOURCE, "https://h");
        assertThat(rt.get("endpoint").asText()).isEqualTo("/Users");
        assertThat(rt.at("/schemaExtensions/0/schema").asText()).isEqualTo(Schemas.ENTERPRISE_USER_URN);
        assertThat(rt.at("/schemaExtensions/0/required").asBoolean()).isFalse();
        assertThat(SchemaJson.resourceType(Schemas.GROUP_RESOURCE, "https://h").has("schemaExtensions")).isFalse();
    }

    @Test
    void definitionsAreValidatedEagerly() {
        assertThatThrownBy(() -> AttributeDefinition.builder("x", AttributeType.COMPLEX).build())
                .hasMessage("complex attribute 'x' needs sub-attributes");
        assertThatThrownBy(() -> AttributeDefinition.builder("1x", AttributeType.STRING).build())
                .hasMessage("not an attribute name: '1x'");
        assertThatThrownBy(() -> AttributeDefinition.builder("r", AttributeType.REFERENCE).build())
                .hasMessage("reference attribute 'r' needs referenceTypes");
        AttributeDefinition a = AttributeDefinition.builder("a", AttributeType.STRING).build();
        assertThatThrownBy(() -> new Schema("urn:x", "X", "", List.of(a, AttributeDefinition.builder("A",
                AttributeType.STRING).build()))).hasMessage("schema urn:x defines 'A' twice");
    }

    private static void assertSame(JsonNode a, AttributeDefinition def) {
        assertThat(a.get("type").asText()).isEqualTo(def.type().wire());
        assertThat(a.get("multiValued").asBoolean()).isEqualTo(def.multiValued());
        assertThat(a.get("required").asBoolean()).isEqualTo(def.required());
        assertThat(a.get("caseExact").asBoolean()).isEqualTo(def.caseExact());
        assertThat(a.get("mutability").asText()).isEqualTo(def.mutability().wire());
        assertThat(a.get("returned").asText()).isEqualTo(def.returned().wire());
        assertThat(a.get("uniqueness").asText()).isEqualTo(def.uniqueness().wire());
        if (a.has("subAttributes")) {
            for (JsonNode s : a.get("subAttributes")) {
                assertSame(s, def.subAttribute(s.get("name").asText()).orElseThrow());
            }
            assertThat(a.get("subAttributes")).hasSize(def.subAttributes().size());
        } else {
            assertThat(def.subAttributes()).isEmpty();
        }
    }

    private static JsonNode find(JsonNode schema, String name) {
        for (JsonNode a : schema.get("attributes")) {
            if (a.get("name").asText().equals(name)) {
                return a;
            }
        }
        throw new AssertionError("no attribute " + name);
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get("name").asText()));
        return out;
    }
}
