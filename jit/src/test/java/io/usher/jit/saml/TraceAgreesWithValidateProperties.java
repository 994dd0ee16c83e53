package io.usher.jit.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.jit.ValidationTrace;
import io.usher.jit.VerifiedLogin;
import io.usher.testkit.saml.SamlIdp;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any Response, valid or damaged anywhere: the dry run ({@link SamlResponseValidator#trace}) and then
 * {@code validate} on the same validator agree: the trace fails at a check with exactly the reason validate throws,
 * or both accept the same login. Since the trace runs first and validate still accepts, the trace used nothing up.
 */
class TraceAgreesWithValidateProperties {
    private static final SamlFixture F = new SamlFixture();
    private static final String XML = F.response().signing(SamlIdp.Signing.BOTH).build().xml();

    @Property(tries = 200)
    void traceAndValidateGiveTheSameVerdict(@ForAll("mutations") SamlResponseMutationProperties.Mutation m) {
        String xml = m.apply(XML);
        String post = Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
        SamlResponseValidator validator = F.validator(); // a fresh replay cache for each try
        ValidationTrace trace = validator.trace(post, SamlFixture.REQUEST);
        String reason;
        VerifiedLogin login = null;
        try {
            login = validator.validate(post, SamlFixture.REQUEST);
            reason = null;
        } catch (SamlValidationException e) {
            reason = e.reason().name();
        }
        assertThat(trace.failure().map(ValidationTrace.Check::reason).orElse(null)).isEqualTo(reason);
        if (reason == null) {
            // the same login, marked as a dry run's (the provisioner and websudo refuse it)
            assertThat(trace.login().dryRun()).isTrue();
            assertThat(trace.login()).usingRecursiveComparison().ignoringFields("dryRun").isEqualTo(login);
        }
    }

    @Provide
    Arbitrary<SamlResponseMutationProperties.Mutation> mutations() {
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 4); // 4: no change at all
        Arbitrary<Integer> position = Arbitraries.integers().between(0, XML.length() - 1);
        Arbitrary<Integer> length = Arbitraries.integers().between(0, 40);
        Arbitrary<Character> replacement = Arbitraries.of('<', '>', '"', '=', 'x', '1', ' ', '/', '&', '-', '#');
        return Combinators.combine(kind, position, length, replacement).as((k, p, l, r) -> k == 4
                ? new SamlResponseMutationProperties.Mutation(0, p, 0, XML.charAt(p))
                : new SamlResponseMutationProperties.Mutation(k, p, l, r));
    }
}
