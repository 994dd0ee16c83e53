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
