package io.usher.testkit.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchScope;
import io.usher.testkit.DirectoryGenerator;
import io.usher.testkit.InMemoryDirectory;
import io.usher.testkit.ldap.LdapDirectoryServer.Flavour;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk load of generated directories. The 20k one runs always; the 100k one (100k users, 10k groups, 500k
 * memberships) runs with {@code -Dusher.bigTests=true}:
 * {@code mvn -B -o verify -pl testkit -Dtest=LdapLoadTest -Dusher.bigTests=true}.
 */
class LdapLoadTest {
    private static final Logger LOG = LoggerFactory.getLogger(LdapLoadTest.class);

    @Test
    void twentyThousandUsersLoadInBothFlavours() throws Exception {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(20).users(20_000).groups(2_000)
                .targetMemberships(100_000).build().generate();
        for (Flavour f : Flavour.values()) {
            loadAndCount(dir, f);   // asserts every user is served; the time is logged, not asserted (noisy machines)
        }
    }

    @Test
    @Tag("slow")
    @EnabledIfSystemProperty(named = "usher.bigTests", matches = "true")
    void hundredThousandUsersTenThousandGroupsHalfAMillionMembershipsAllServed() throws Exception {
        InMemoryDirectory dir = DirectoryGenerator.builder().seed(42).users(100_000).groups(10_000).nestingDepth(3)
                .targetMemberships(500_000).build().generate();
        assertThat(dir.membershipCount()).isGreaterThan(400_000);
        for (Flavour f : Flavour.values()) {
            loadAndCount(dir, f);
        }
    }

    /** Starts a server, checks the user count with one big-page search, returns the start time in ms. */
    private static long loadAndCount(InMemoryDirectory dir, Flavour f) throws Exception {
        long started = System.nanoTime();
        try (LdapDirectoryServer s = LdapDirectoryServer.start(dir, f)) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            try (LDAPConnection c = Ldap.connect(s)) {
                SearchRequest r = new SearchRequest(s.usersBase(), SearchScope.ONE,
                        Filter.createEqualityFilter("objectClass", f == Flavour.OPENLDAP ? "inetOrgPerson" : "user"), "1.1");
                assertThat(c.search(r).getEntryCount()).isEqualTo(dir.userCount());
            }
            String line = String.format("LDAP load %s: %,d users, %,d groups, %,d memberships in %,d ms", f,
                    dir.userCount(), dir.groupCount(), dir.membershipCount(), millis);
            LOG.warn(line); // warn: the test logger prints warn and above, so the figure shows in the build output
            return millis;
        }
    }
}
