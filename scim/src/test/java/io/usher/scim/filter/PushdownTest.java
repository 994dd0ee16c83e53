package io.usher.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.scim.filter.Pushdown.Term;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PushdownTest {

    @Test
    void singleEqualityIsFullyPushed() {
        Pushdown p = Pushdown.split(Filter.parse("USERNAME eq \"Bjensen\""));
        assertThat(p.terms()).containsExactly(new Term("userName", "Bjensen", false));
        assertThat(p.remainder()).isEmpty();
        assertThat(p.fullyPushed()).isTrue();
    }

    @Test
    void topLevelAndIsSplitIntoTermsAndRemainder() {
        Pushdown p = Pushdown.split(Filter.parse("externalId eq \"e1\" and active eq true and id eq \"7\" and title pr"));
        assertThat(p.terms()).containsExactly(new Term("externalId", "e1", true), new Term("id", "7", true));
        assertThat(p.remainder()).contains(Filter.parse("active eq true and title pr"));
        assertThat(p.fullyPushed()).isFalse();
        assertThat(p.termsFor("ID")).containsExactly(new Term("id", "7", true));
    }

    @Test
    void coreSchemaPrefixIsPushedButExtensionsAndSubAttributesAreNot() {
        assertThat(Pushdown.split(Filter.parse(
                "urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq \"Admins\"")).terms())
                .containsExactly(new Term("displayName", "Admins", false));
        Pushdown p = Pushdown.split(Filter.parse(
                "urn:ietf:params:scim:schemas:extension:x:2.0:User:userName eq \"a\" and name.userName eq \"b\""));
        assertThat(p.terms()).isEmpty();
        assertThat(p.remainder()).isPresent();
    }

    @Test
    void orNotOtherOperatorsAndNonStringsAreNeverPushed() {
        for (String f : new String[] {"userName eq \"a\" or userName eq \"b\"", "not (userName eq \"a\")",
                "userName ne \"a\"", "userName sw \"a\"", "id eq 7", "emails[value eq \"a\"]",
                "emails[type eq \"work\"].value eq \"a@b.c\""}) {
            Filter filter = Filter.parse(f);
            Pushdown p = Pushdown.split(filter);
            assertThat(p.terms()).as(f).isEmpty();
            assertThat(p.remainder()).as(f).isEqualTo(Optional.of(filter));
        }
    }

    @Test
    void customAttributeSet() {
        Pushdown p = Pushdown.split(Filter.parse("userName eq \"a\" and displayName eq \"b\""), Set.of("displayName"));
        assertThat(p.terms()).containsExactly(new Term("displayName", "b", false));
        assertThat(p.remainder()).contains(Filter.parse("userName eq \"a\""));
    }
}
