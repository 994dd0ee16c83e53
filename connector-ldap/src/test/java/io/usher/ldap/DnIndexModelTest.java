package io.usher.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link DnIndex} against a reference model of what the connector's resolver needs from it: a DN matches a key
 * when the two are equal once lower-cased as strings ({@link Locale#ROOT}). Keys are stored as the server
 * printed them (mixed case, non-ASCII, escapes, spaces, every length around the hash's 8-byte steps); probes
 * are those DNs rewritten in other ASCII case, other non-ASCII case, and near misses. The resolver's way of
 * asking is modelled exactly: by bytes first, and for {@link DnIndex#NON_ASCII} again lower-cased as a string.
 */
class DnIndexModelTest {

    /** Pieces DN values are built of: ASCII of both cases, DN syntax, and non-ASCII with case pairs. */
    private static final String[] PIECES = {"a", "B", "c", "D", "x", "Y", "z", "0", "7", "=", ",", " ", "\\,",
        "\\ ", "+", "-", ".", "@", "`", "[", "{", "\u00c4", "\u00e4", "\u00c9", "\u00e9", "\u00df", "\u0130", "\u0131",
        "\u212a", "\u03a3", "\u03c3", "\u03c2", "\u20ac", "\ud83d\ude00", "\u00ff", "\u0178"};

    private static String randomDn(Random rnd) {
        StringBuilder b = new StringBuilder(rnd.nextBoolean() ? "uid=" : "CN=");
        int n = rnd.nextInt(40); // 4..~60 bytes: every remainder of the 8-byte hash steps
        for (int i = 0; i < n; i++) {
            b.append(PIECES[rnd.nextInt(PIECES.length)]);
        }
        if (rnd.nextInt(3) == 0) {
            b.append(",ou=People,dc=usher,dc=test");
        }
        return b.toString();
    }

    /** The same DN under the model, written in other ASCII case (what every directory may do). */
    private static String flipAsciiCase(String s, Random rnd) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80 && Character.isLetter(c) && rnd.nextBoolean()) {
                c = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Other case for non-ASCII letters too (which may or may not be the same DN under the model). */
    private static String flipAnyCase(String s, Random rnd) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (rnd.nextBoolean() && Character.isLetter(c)) {
                int u = Character.toUpperCase(c);
                int l = Character.toLowerCase(c);
                c = c == u ? l : u;
            }
            b.appendCodePoint(c);
        });
        return b.toString();
    }

    private static String model(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** As the resolver asks: the value's bytes, then, for a non-ASCII value found by no bytes, lower-cased. */
    private static String resolve(DnIndex ix, String probe) {
        String r = ix.get(probe.getBytes(StandardCharsets.UTF_8));
        if (r == DnIndex.NON_ASCII) {
            assertThat(probe.chars().anyMatch(c -> c >= 0x80)).as("NON_ASCII for an ASCII probe").isTrue();
            return ix.get(probe.toLowerCase(Locale.ROOT));
        }
        return r;
    }

    /**
     * Also for a {@link DnIndex#deferred()} index, which only appends until its first look-up — made at a random
     * point among the puts, after which puts go to the table at once.
     */
    @Property(tries = 300)
    void getAndGetAllAnswerAsTheModel(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int keyCount,
                                      @ForAll boolean deferred, @ForAll @IntRange(min = 0, max = 320) int firstLookUp) {
        Random rnd = new Random(seed);
        DnIndex ix = deferred ? DnIndex.deferred() : new DnIndex();
        Map<String, String> expected = new LinkedHashMap<>(); // model key → id
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            String dn = randomDn(rnd);
            String id = "id" + i;
            String existing = null;
            for (String s : stored) {
                if (model(s).equals(model(dn))) {
                    existing = s;
                }
            }
            if (existing != null) {
                // one directory never holds two entries whose DNs are equal under the model; the same entry put
                // again (in another ASCII case) replaces its id
                dn = flipAsciiCase(existing, rnd);
            } else {
                stored.add(dn);
            }
            if (i == firstLookUp) {
                assertThat(ix.get(stored.get(0))).isEqualTo(expected.get(model(stored.get(0))));
            }
            ix.put(dn, id);
            expected.put(model(dn), id);
        }
        List<String> probes = new ArrayList<>();
        for (String s : stored) {
            probes.add(s);
            probes.add(flipAsciiCase(s, rnd));
            probes.add(flipAnyCase(s, rnd));
            probes.add(s.toUpperCase(Locale.ROOT));
            probes.add(s.toLowerCase(Locale.ROOT));
            probes.add(s + " ");
            probes.add(s.length() > 1 ? s.substring(0, s.length() - 1) : "");
            probes.add(s.replace('a', '`').replace('[', '{'));
        }
        for (int i = 0; i < 20; i++) {
            probes.add(randomDn(rnd));
        }
        probes.add("");
        List<byte[]> raw = new ArrayList<>();
        for (String p : probes) {
            raw.add(p.getBytes(StandardCharsets.UTF_8));
            String want = expected.get(model(p));
            assertThat(resolve(ix, p)).as("resolve %s", p).isEqualTo(want);
            assertThat(ix.get(p)).as("get(String) %s", p).isEqualTo(want);
        }
        String[] out = new String[raw.size()];
        ix.getAll(raw, out);
        for (int i = 0; i < raw.size(); i++) {
            assertThat(out[i]).as("getAll %s", probes.get(i)).isSameAs(ix.get(raw.get(i)));
        }
    }

    /**
     * Many keys of one ASCII-folded hash class (the hash ignores bit 0x20 of every byte, so '@' and '`', '[' and
     * '{', 'a' and 'A' hash alike): long probe chains, and the batched look-up's "first slot of this hash is
     * another key" case, answered by comparison.
     */
    @Test
    void keysThatHashAlikeAreToldApartByComparison() {
        DnIndex ix = new DnIndex();
        Map<String, String> expected = new LinkedHashMap<>();
        String[] alike = {"@", "`", "[", "{", "]", "}", "\\", "|", "^", "~"};
        Random rnd = new Random(3);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            StringBuilder b = new StringBuilder("cn=");
            int len = i % 19;
            int x = i;
            for (int j = 0; j < len; j++) {
                b.append(alike[x % alike.length]);
                x /= alike.length;
            }
            b.append(',').append(i % 7);
            String k = b.toString();
            if (!expected.containsKey(model(k))) {
                ix.put(k, "id" + i);
                expected.put(model(k), "id" + i);
                keys.add(k);
            }
        }
        List<byte[]> raw = new ArrayList<>();
        List<String> probes = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String k = keys.get(rnd.nextInt(keys.size()));
            String p = rnd.nextBoolean() ? k : k.replace('@', '`').replace('[', '{');
            probes.add(p);
            raw.add(p.getBytes(StandardCharsets.UTF_8));
        }
        String[] out = new String[raw.size()];
        ix.getAll(raw, out);
        for (int i = 0; i < raw.size(); i++) {
            String want = expected.get(model(probes.get(i)));
            assertThat(out[i]).as(probes.get(i)).isEqualTo(want);
            assertThat(ix.get(raw.get(i))).as(probes.get(i)).isEqualTo(want);
        }
    }
}
