package io.usher.jit.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.testkit.saml.SamlAttacks;
import io.usher.testkit.saml.SamlIdp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random damage to a valid Response never yields a login, and never anything but a
 * {@link SamlValidationException}. The Response is signed on both levels, so every byte of it is covered by a
 * signature except the XML declaration and the Response signature element itself outside its SignedInfo (its
 * KeyInfo, which the validator ignores: only configured certificates are trusted; the whitespace between its
 * children; its SignatureValue, tested apart); mutations avoid exactly those regions, and avoid swapping one
 * whitespace character for another (canonicalization erases that difference, so it is not damage).
 */
class SamlResponseMutationProperties {
    private static final SamlFixture F = new SamlFixture();
    private static final String XML = F.response().signing(SamlIdp.Signing.BOTH).build().xml();
    private static final List<int[]> FORBIDDEN = forbiddenRegions(XML);

    private static List<int[]> forbiddenRegions(String xml) {
        List<int[]> regions = new ArrayList<>();
        int root = xml.indexOf("<saml2p:Response");
        regions.add(new int[] {0, root});
        // the Response's own Signature element is outside every signature except for its SignedInfo: whitespace or
        // text between its children and its KeyInfo are not signed, and its SignatureValue is decoded leniently
        // (characters outside the base64 alphabet are skipped), so only a changed base64 character alters it; that
        // case has its own table test
        int sig = xml.indexOf("<ds:Signature");
        int sigEnd = xml.indexOf("</ds:Signature>", sig) + "</ds:Signature>".length();
        int signedInfo = xml.indexOf("<ds:SignedInfo", sig);
        int signedInfoEnd = xml.indexOf("</ds:SignedInfo>", sig) + "</ds:SignedInfo>".length();
        regions.add(new int[] {sig, signedInfo});
        regions.add(new int[] {signedInfoEnd, sigEnd});
        Matcher m = Pattern.compile("<ds:KeyInfo>.*?</ds:KeyInfo>", Pattern.DOTALL).matcher(xml);
        while (m.find()) {
            regions.add(new int[] {m.start(), m.end()});
        }
        return regions;
    }

    private static boolean allowed(int position) {
        for (int[] r : FORBIDDEN) {
            if (position >= r[0] && position < r[1]) {
                return false;
            }
        }
        return true;
    }

    /** One change to the XML text. */
    record Mutation(int kind, int position, int length, char replacement) {
        String apply(String xml) {
            int p = Math.floorMod(position, xml.length());
            int end = Math.min(xml.length(), p + 1 + length);
            return switch (kind) {
                case 0 -> xml.substring(0, p) + replacement + xml.substring(p + 1);   // replace a character
                case 1 -> xml.substring(0, p) + xml.substring(end);                     // delete a run
                case 2 -> xml.substring(0, p) + replacement + xml.substring(p);         // insert a character
                default -> xml.substring(0, end) + xml.substring(p, end) + xml.substring(end); // duplicate a run
            };
        }

        /** Whether this mutation certainly changes signed content. */
        boolean damages(String xml) {
            int p = Math.floorMod(position, xml.length());
            int end = Math.min(xml.length(), p + 1 + length);
            // an insertion lands in the gap before p, so the character before it must be in signed content too
            for (int i = Math.max(0, p - 1); i <= Math.min(end, xml.length() - 1); i++) {
                if (!allowed(i)) {
                    return false;
                }
            }
            if (kind == 0) {
                char old = xml.charAt(p);
                return old != replacement && !(Character.isWhitespace(old) && Character.isWhitespace(replacement));
            }
            if (kind == 2) {
                return !Character.isWhitespace(replacement);
            }
            if (kind == 3) {
                // doubled whitespace inside a tag is erased by canonicalization
                return !xml.substring(p, end).isBlank();
            }
            return true;
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, XML.length() - 1), Arbitraries.integers().between(0, 40),
                Arbitraries.chars().with('<', '>', '"', '\'', '&', '/', ':', '=', 'a', 'Z', '0', '#', ' ', 'x', ';',
                        '!', '-', '\u00e9'))
                .as(Mutation::new)
                .filter(m -> m.damages(XML));
    }

    @Property(tries = 300)
    void aDamagedSignedResponseNeverValidates(@ForAll("mutations") Mutation mutation) {
        String damaged = mutation.apply(XML);
        assertThat(damaged).isNotEqualTo(XML);
        // a fresh validator each time: a replay refusal must never hide an acceptance
        SamlResponseValidator validator = F.validator(b -> b.allowLegacyAlgorithms(true));
        assertThatThrownBy(() -> validator.validate(SamlAttacks.base64(damaged), SamlFixture.REQUEST))
                .isInstanceOf(SamlValidationException.class)
                // whatever broke, the message names a check and echoes nothing from the Response
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(F.user.id()).doesNotContain("jdoe")
                        .doesNotContain("jane.doe@example.test").doesNotContain(SamlFixture.IDP));
    }

    @Property(tries = 200)
    void arbitraryBytesAreRefusedWithAValidationException(@ForAll @Size(max = 2000) byte[] bytes) {
        String post = Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> F.validator().validate(post, SamlFixture.REQUEST))
                .isInstanceOf(SamlValidationException.class);
    }

    @Property(tries = 200)
    void arbitraryTextIsRefusedWithAValidationException(@ForAll @Size(max = 500) String text) {
        assertThatThrownBy(() -> F.validator().validate(text, SamlFixture.REQUEST))
                .isInstanceOf(SamlValidationException.class);
        String asXml = Base64.getEncoder().encodeToString(("<samlp:Response xmlns:samlp="
                + "\"urn:oasis:names:tc:SAML:2.0:protocol\">" + text + "</samlp:Response>")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> F.validator().validate(asXml, SamlFixture.REQUEST))
                .isInstanceOf(SamlValidationException.class);
    }

    @net.jqwik.api.Example
    void theUndamagedResponseStillValidates() {
        // the control: the property above is not vacuous, the very same Response passes when untouched
        SamlResponseValidator validator = F.validator(b -> b.allowLegacyAlgorithms(true));
        assertThat(validator.validate(SamlAttacks.base64(XML), SamlFixture.REQUEST).subject()).isEqualTo(F.user.id());
    }
}
