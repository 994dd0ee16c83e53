package io.usher.jit;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.store.InMemoryUserStore;
import io.usher.jit.JitPolicy.GroupMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JitPolicyPropertiesTest {
    static final String ISS = "https://idp.example";

    static JitProvisioner provisioner(JitPolicy policy) {
        ProvisioningEngine engine = ProvisioningEngine.builder().store(new InMemoryUserStore())
                .source(Source.builder(policy.sourceId()).build()).build();
        return JitProvisioner.builder().engine(engine).policy(policy).build();
    }

    static VerifiedLogin login(List<String> groups) {
        return new VerifiedLogin(VerifiedLogin.Protocol.OIDC, ISS, "sub-1", "p", Instant.EPOCH, null,
                Map.of("groups", groups));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "app-editors                        | editors",
        "  app-editors                      | editors",
        "CN=Wiki Admins,OU=Groups,DC=corp   | wiki-admins",
        "cn=wiki admins,ou=groups,dc=corp   | wiki-admins",
        "app-                               | -",
        "other                              | -",
        "''                                 | -",
        "CN=Else,OU=Groups,DC=corp          | CN=Else,OU=Groups,DC=corp",
    })
    void groupNameTable(String claim, String expected) {
        JitPolicy p = JitPolicy.builder("sso", ISS).groupsFrom("groups").groupMode(GroupMode.AUTO_CREATE)
                .groupFilter("(?i)\\s*(app-.*|CN=.*)\\s*").mapGroup("CN=Wiki Admins,OU=Groups,DC=corp", "wiki-admins")
                .rewriteGroup("app-(.*)", "$1").build();
        assertThat(p.groupName(claim)).isEqualTo(expected);
    }

    @Property(tries = 300)
    void autoCreateKeysAreFoldedNamesWithoutBlanksOrDuplicates(@ForAll @Size(max = 30) List<String> claims) {
        JitPolicy p = JitPolicy.builder("sso", ISS).groupsFrom("groups").groupMode(GroupMode.AUTO_CREATE)
                .defaultGroups("Everyone").maxGroups(20).build();
        List<String> warnings = new ArrayList<>();
        Map<String, String> g = provisioner(p).groupsOf(login(claims), warnings);
        assertThat(g).containsEntry("everyone", "Everyone");
        g.forEach((key, name) -> {
            assertThat(key).isEqualTo(name.toLowerCase(Locale.ROOT));
            assertThat(name).isNotBlank().isEqualTo(name.trim());
        });
        assertThat(g.size()).isLessThanOrEqualTo(21);
        if (claims.size() > 20) {
            assertThat(warnings).anyMatch(w -> w.contains("more than 20"));
        }
        for (String w : warnings) {
            for (String c : claims) {
                if (c.length() > 6) {
                    assertThat(w).doesNotContain(c);
                }
            }
        }
    }

    @Property(tries = 300)
    void managedModeYieldsOnlyConfiguredNames(@ForAll @Size(max = 30) List<String> claims, @ForAll boolean addOps) {
        List<String> withOps = new ArrayList<>(claims);
        if (addOps) {
            withOps.add(" OPS ");
        }
        JitPolicy p = JitPolicy.builder("sso", ISS).groupsFrom("groups").groupMode(GroupMode.MANAGED)
                .managedGroups("Ops", "Audit").build();
        Map<String, String> g = provisioner(p).groupsOf(login(withOps), new ArrayList<>());
        assertThat(Set.copyOf(g.values())).isSubsetOf("Ops", "Audit");
        if (addOps) {
            assertThat(g).containsEntry("ops", "Ops");
        }
        assertThat(g.keySet()).allSatisfy(k -> assertThat(p.mayRemove(k)).isTrue());
    }
}
