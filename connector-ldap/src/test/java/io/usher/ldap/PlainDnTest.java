package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The snapshot's DN resolver skips normalizing a DN it calls plain, so "plain" must imply "already its own
 * normalized form"; otherwise a member value written differently from its entry's DN would stop resolving.
 */
class PlainDnTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "uid=jsmith,ou=people,dc=usher,dc=test | true",
        "cn=dept-0014.x_y@z,ou=groups,dc=usher,dc=test | true",
        "2.5.4.3=abc,dc=test | true",
        "cn=dept-0014 lagos,ou=groups,dc=usher,dc=test | false",
        "uid=jsmith, ou=people,dc=test | false",
        "cn=montr\u00e9al,dc=test | false",
        "cn=a\\,b,dc=test | false",
        "cn=a+uid=b,dc=test | false",
        "cn=a=b,dc=test | false",
        "cn=,dc=test | false",
        "=a,dc=test | false",
        "cn=a,,dc=test | false",
        "cn=a, | false",
        "cn | false",
        "cn=#41,dc=test | false",
        "cn=\"a\",dc=test | false",
    })
    void table(String dn, boolean plain) {
        assertThat(MemberResolver.plain(dn)).isEqualTo(plain);
    }

    @Property(tries = 2000)
    void aPlainDnIsItsOwnNormalizedForm(@ForAll("dnLike") String dn) {
        if (MemberResolver.plain(dn)) {
            assertThat(LdapSourceConnector.normalize(dn)).isEqualTo(dn);
        }
    }

    @Provide
    Arbitrary<String> dnLike() {
        Arbitrary<String> anything = Arbitraries.strings().withChars("az09.-_@=, #+\\\"AZ\u00e9").ofMinLength(1)
                .ofMaxLength(30);
        Arbitrary<String> rdn = Arbitraries.strings().withChars("az09.-_@").ofMinLength(1).ofMaxLength(8).list()
                .ofSize(2).map(p -> p.get(0) + "=" + p.get(1));
        Arbitrary<String> plainish = rdn.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(",", l));
        return Arbitraries.oneOf(anything, plainish);
    }
}
