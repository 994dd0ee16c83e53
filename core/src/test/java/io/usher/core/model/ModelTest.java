package io.usher.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTest {

    @Test
    void usersValidateAndNameTheFieldNotTheValue() {
        assertThatThrownBy(() -> User.builder(null).build()).hasMessage("user.username is required");
        assertThatThrownBy(() -> User.builder("  ").build()).hasMessage("user.username must not be blank");
        assertThatThrownBy(() -> User.builder("bad\u0000name").build())
                .hasMessage("user.username contains a control character at position 3");
        assertThatThrownBy(() -> User.builder("x".repeat(Values.MAX_TEXT + 1)).build())
                .hasMessageContaining("user.username is longer than");
        assertThatThrownBy(() -> User.builder("a").email(null).build()).hasMessage("user.emails contains a null value");
        assertThatThrownBy(() -> Origin.of("s", " ")).hasMessage("origin.externalId must not be blank");
        assertThatThrownBy(() -> Group.local(null)).hasMessage("group.name is required");
    }

    @Test
    void collectionsAreUnmodifiableCopies() {
        List<String> mails = new ArrayList<>(List.of("a@x", "a@x", "b@x"));
        User u = User.builder("a").emails(mails).attribute("dept", "eng").attributes(Map.of("t", List.of())).build();
        mails.add("c@x");
        assertThat(u.emails()).containsExactly("a@x", "b@x");
        assertThatThrownBy(() -> u.emails().add("z")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> u.attributes().put("k", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThat(u.attributes()).as("empty attributes dropped, so absent equals empty").isEmpty();
    }

    @Test
    void changedFieldsNamesEveryDifferenceAndIgnoresKeyAndOrigin() {
        User a = User.builder("jdoe").displayName("J").email("j@x").attribute("dept", "eng").build();
        User b = a.toBuilder().key("u1").origin(Origin.of("s", "1")).username("JDoe").active(false)
                .attribute("dept", "ops").attribute("title", "boss").build();
        assertThat(a.changedFields(b)).containsExactly("username", "active", "attributes.dept", "attributes.title");
        assertThat(a.changedFields(a.withKey("k").withOrigin(Origin.of("t", "2")))).isEmpty();
        assertThat(Group.local("g").changedFields(new Group("k", null, "G", "d"))).containsExactly("name", "description");
    }

    @Test
    void ownership() {
        User local = User.builder("a").build();
        User synced = local.withOrigin(Origin.of("corp", "1"));
        assertThat(local.isLocal()).isTrue();
        assertThat(synced.isOwnedBy("corp")).isTrue();
        assertThat(synced.isOwnedBy("other")).isFalse();
        assertThat(Origin.of("corp", "1")).hasToString("corp:1");
    }

    /** The copy helpers keep an immutable value that is already canonical, and still copy everything else. */
    @Test
    void copiesKeepWhatIsAlreadyImmutableAndCanonical() {
        List<String> one = List.of("a");
        Map<String, List<String>> attrs = Map.of("dn", one);
        assertThat(Values.copyList(one, "f")).isSameAs(one);
        assertThat(Values.copyAttributes(attrs)).isSameAs(attrs);
        java.util.Set<String> set = java.util.Set.of("x", "y", "z");
        assertThat(Values.copySet(set, "f")).isSameAs(set);
        // immutable but not canonical: duplicates dropped, empty values dropped, bad names refused
        assertThat(Values.copyList(List.of("a", "b", "a"), "f")).containsExactly("a", "b");
        assertThat(Values.copyAttributes(Map.of("t", List.of(), "u", one))).isEqualTo(Map.of("u", one));
        assertThatThrownBy(() -> Values.copyAttributes(Map.of(" ", one)))
                .hasMessage("attribute name must not be blank");
        // a mutable set is copied, so later changes do not show
        java.util.Set<String> mutable = new java.util.HashSet<>(List.of("p", "q"));
        java.util.Set<String> copy = Values.copySet(mutable, "f");
        mutable.add("r");
        assertThat(copy).containsExactlyInAnyOrder("p", "q");
        // a set with its own equality (identity) may hold equal strings twice: the copy holds one
        java.util.Set<String> identity = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        identity.add("m");
        identity.add(new String("m"));
        assertThat(Values.copySet(identity, "f")).containsExactly("m");
        java.util.Set<String> withNull = new java.util.HashSet<>(java.util.Arrays.asList("a", null));
        assertThatThrownBy(() -> Values.copySet(withNull, "members")).hasMessage("members contains a null value");
    }
}
