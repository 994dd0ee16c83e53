package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class DnIndexTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void looksUpValueBytesIgnoringAsciiCase() {
        DnIndex ix = new DnIndex();
        ix.put("uid=jsmith,ou=people,dc=usher,dc=test", "id-1");
        ix.put("cn=montr\u00e9al,ou=groups,dc=usher,dc=test", "id-2");
        assertThat(ix.get(b("uid=jsmith,ou=people,dc=usher,dc=test"))).isEqualTo("id-1");
        assertThat(ix.get(b("UID=JSmith,OU=People,DC=usher,DC=test"))).isEqualTo("id-1");
        assertThat(ix.get(b("uid=jsmith,ou=people,dc=usher"))).isNull();
        assertThat(ix.get(b("uid=jsmith,ou=people,dc=usher,dc=tesT "))).isNull();
        // non-ASCII bytes as stored (only ASCII letters differ in case): found from the bytes
        assertThat(ix.get(b("cn=Montr\u00e9al,ou=groups,dc=usher,dc=test"))).isEqualTo("id-2");
        // a non-ASCII upper-case letter cannot be lowered byte by byte: the caller goes the string way
        assertThat(ix.get(b("cn=MONTR\u00c9AL,ou=groups,dc=usher,dc=test"))).isSameAs(DnIndex.NON_ASCII);
        assertThat(ix.get(b("cn=nowhere-\u00e9,ou=groups,dc=usher,dc=test"))).isSameAs(DnIndex.NON_ASCII);
        assertThat(ix.get("cn=montr\u00e9al,ou=groups,dc=usher,dc=test")).isEqualTo("id-2");
        assertThat(ix.get("cn=nobody")).isNull();
        assertThat(ix.size()).isEqualTo(2);
    }

    @Test
    void keysKeepTheServersCaseAndStillMatchAnyCase() {
        DnIndex ix = new DnIndex();
        ix.put("uid=JSmith,ou=People,dc=usher,dc=test", "id-1"); // as the server printed the entry's DN
        ix.put("cn=MONTR\u00c9AL,ou=Groups,dc=usher,dc=test", "id-2"); // non-ASCII: as given and lower-cased
        assertThat(ix.get(b("uid=JSmith,ou=People,dc=usher,dc=test"))).isEqualTo("id-1");
        assertThat(ix.get(b("uid=jsmith,ou=people,dc=usher,dc=test"))).isEqualTo("id-1");
        assertThat(ix.get(b("UID=JSMITH,OU=PEOPLE,DC=USHER,DC=TEST"))).isEqualTo("id-1");
        assertThat(ix.get("uid=jsmith,ou=people,dc=usher,dc=test")).isEqualTo("id-1");
        assertThat(ix.get(b("uid=JSmith,ou=People,dc=usher,dc=tes"))).isNull();
        assertThat(ix.get(b("cn=montr\u00e9al,ou=groups,dc=usher,dc=test"))).isEqualTo("id-2");
        assertThat(ix.get(b("cn=Montr\u00e9al,OU=Groups,dc=usher,dc=test"))).isEqualTo("id-2");
        assertThat(ix.get(b("cn=MONTR\u00c9AL,ou=Groups,dc=usher,dc=test"))).isEqualTo("id-2"); // as printed
        assertThat(ix.get(b("cn=MONTR\u00c9AL,OU=GROUPS,dc=usher,dc=test"))).isEqualTo("id-2");
        assertThat(ix.get(b("cn=Montr\u00c9al,ou=groups,dc=usher,dc=test"))).isEqualTo("id-2");
        // \u00c9 lower-cased is another byte sequence: not found by bytes, so the caller decodes and lowers it
        assertThat(ix.get(b("cn=montr\u00e9aL,ou=groups,dc=usher,dc=test"))).isEqualTo("id-2");
        assertThat(ix.get(b("cn=Montr\u00c9al-not,ou=groups,dc=usher,dc=test"))).isSameAs(DnIndex.NON_ASCII);
        assertThat(ix.get("cn=montr\u00e9al,ou=groups,dc=usher,dc=test")).isEqualTo("id-2");
        assertThat(ix.get("cn=MONTR\u00c9AL,ou=Groups,dc=usher,dc=test")).isEqualTo("id-2");
        assertThat(ix.size()).isEqualTo(3); // the non-ASCII key twice
        // the same key in another case is the same key
        ix.put("UID=JSMITH,OU=PEOPLE,DC=USHER,DC=TEST", "id-3");
        assertThat(ix.size()).isEqualTo(3);
        assertThat(ix.get(b("uid=JSmith,ou=People,dc=usher,dc=test"))).isEqualTo("id-3");
    }

    /** The batched lookup answers exactly as one lookup per value: hits in any case, misses, probe chains. */
    @Test
    void getAllAnswersAsGetDoes() {
        java.util.Random rnd = new java.util.Random(7);
        DnIndex ix = new DnIndex();
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String k = (i % 17 == 0 ? "cn=Gr\u00fcn " : "uid=User") + i + ",ou=People,dc=usher,dc=test";
            keys.add(k);
            ix.put(k, "id" + i);
        }
        List<byte[]> probes = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String k = keys.get(rnd.nextInt(keys.size()));
            switch (rnd.nextInt(5)) {
                case 0 -> probes.add(b(k));
                case 1 -> probes.add(b(k.toUpperCase(java.util.Locale.ROOT)));
                case 2 -> probes.add(b(k.toLowerCase(java.util.Locale.ROOT)));
                case 3 -> probes.add(b(k + "x"));
                default -> probes.add(b("uid=nobody" + i + (i % 2 == 0 ? "\u00e9" : "") + ",dc=test"));
            }
        }
        String[] out = new String[probes.size()];
        ix.getAll(probes, out);
        int hits = 0;
        for (int i = 0; i < probes.size(); i++) {
            String one = ix.get(probes.get(i));
            assertThat(out[i]).as("probe %s", new String(probes.get(i), java.nio.charset.StandardCharsets.UTF_8))
                    .isSameAs(one);
            hits += one != null && one != DnIndex.NON_ASCII ? 1 : 0;
        }
        assertThat(hits).isGreaterThan(8_000); // cases 0-2, less the upper-cased non-ASCII keys
        assertThat(out).contains(DnIndex.NON_ASCII);
    }

    @Test
    void aSecondPutOfAKeyReplacesItsId() {
        DnIndex ix = new DnIndex();
        ix.put("cn=a", "1");
        ix.put("cn=a", "2");
        assertThat(ix.get(b("CN=A"))).isEqualTo("2");
        assertThat(ix.size()).isEqualTo(1);
    }

    @Test
    void growsPastItsFirstArrays() {
        DnIndex ix = new DnIndex();
        for (int i = 0; i < 20_000; i++) {
            ix.put("uid=user" + i + ",ou=people,dc=usher,dc=test", "id" + i);
        }
        assertThat(ix.size()).isEqualTo(20_000);
        for (int i = 0; i < 20_000; i += 7) {
            assertThat(ix.get(b("uid=USER" + i + ",ou=people,dc=usher,dc=test"))).isEqualTo("id" + i);
        }
        assertThat(ix.get(b("uid=user20000,ou=people,dc=usher,dc=test"))).isNull();
    }

    /** Against a HashMap of lower-cased keys: the same answers for every ASCII probe. */
    @Property(tries = 300)
    void answersLikeAMapOfLowerCaseKeys(@ForAll @Size(max = 40) List<@StringLength(max = 12) String> keys,
                                        @ForAll @Size(max = 20) List<@StringLength(max = 12) String> probes) {
        DnIndex ix = new DnIndex();
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i).toLowerCase(Locale.ROOT);
            ix.put(k, "v" + i);
            map.put(k, "v" + i);
        }
        assertThat(ix.size()).isEqualTo(map.size());
        for (String k : map.keySet()) {
            assertThat(ix.get(k)).isEqualTo(map.get(k));
        }
        for (String p : probes) {
            byte[] raw = b(p);
            String got = ix.get(raw);
            boolean ascii = p.chars().allMatch(c -> c < 0x80);
            String asciiLowered = lowerAscii(p);
            if (ascii) {
                assertThat(got).isEqualTo(map.get(p.toLowerCase(Locale.ROOT)));
            } else if (map.containsKey(asciiLowered)) {
                assertThat(got).isEqualTo(map.get(asciiLowered)); // found without decoding
                assertThat(p.toLowerCase(Locale.ROOT)).isEqualTo(asciiLowered); // and rightly: the same DN
            } else {
                assertThat(got).isSameAs(DnIndex.NON_ASCII);
            }
        }
    }

    private static String lowerAscii(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.chars().forEach(c -> b.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c)));
        return b.toString();
    }
}
