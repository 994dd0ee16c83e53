package io.usher.jit.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.usher.jit.ValidationTrace;
import io.usher.jit.ValidationTrace.Check;
import io.usher.jit.ValidationTrace.Verdict;
import io.usher.testkit.saml.SamlIdp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link SamlResponseValidator#trace}: each path through the checks (encrypted, only the Response signed, the
 * request unknown) marks what applied and what did not; a replay cache that cannot be looked at is never written
 * and its check is reported as not checked; a failure sits at its check with the validator's reason and a message
 * that holds nothing from the Response.
 */
class SamlTraceTest {
    private final SamlFixture f = new SamlFixture();

    private static Verdict verdict(ValidationTrace t, String id) {
        return check(t, id).verdict();
    }

    private static Check check(ValidationTrace t, String id) {
        return t.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void anEncryptedAssertionIsDecryptedAndItsSignatureChecked() {
        ValidationTrace t = f.validator().trace(f.response().encryptFor(SamlFixture.SP_KEY.certificate()).build()
                .base64(), SamlFixture.REQUEST);
        assertThat(t.accepted()).isTrue();
        assertThat(verdict(t, "decryption")).isEqualTo(Verdict.PASSED);
        assertThat(verdict(t, "assertion-signature")).isEqualTo(Verdict.PASSED);
        assertThat(verdict(t, "response-signature")).isEqualTo(Verdict.NOT_APPLICABLE);
        assertThat(t.login().subject()).isEqualTo(f.user.id());
    }

    @Test
    void onlyTheResponseSigned() {
        ValidationTrace t = f.validator().trace(f.response().signing(SamlIdp.Signing.RESPONSE).build().base64(),
                SamlFixture.REQUEST);
        assertThat(t.accepted()).isTrue();
        assertThat(verdict(t, "response-signature")).isEqualTo(Verdict.PASSED);
        assertThat(check(t, "assertion-signature").detail()).isEqualTo("the Assertion is not signed");
        assertThat(verdict(t, "decryption")).isEqualTo(Verdict.NOT_APPLICABLE);
    }

    @Test
    void withoutTheRequestInResponseToIsNotCheckedAndTheRestIs() {
        ValidationTrace t = f.validator().traceWithoutRequest(f.response().inResponseTo("_some-other-request")
                .build().base64());
        assertThat(t.accepted()).isTrue();
        assertThat(t.notChecked()).extracting(Check::id).containsExactly("in-response-to", "request-single-use");
        assertThat(verdict(t, "bearer")).isEqualTo(Verdict.PASSED);
        assertThat(verdict(t, "replay")).isEqualTo(Verdict.PASSED);
    }

    @Test
    void aWrongRequestFailsAtInResponseToWithTheValidatorsReason() {
        ValidationTrace t = f.validator().trace(f.response().inResponseTo("_evil\nrequest").build().base64(),
                SamlFixture.REQUEST);
        Check failed = t.failure().orElseThrow();
        assertThat(failed.id()).isEqualTo("in-response-to");
        assertThat(failed.reason()).isEqualTo("IN_RESPONSE_TO_MISMATCH");
        assertThat(failed.detail()).isEqualTo("the Response InResponseTo is not the expected request ID")
                .doesNotContain("evil");
        assertThat(t.login()).isNull();
        assertThat(verdict(t, "replay")).isEqualTo(Verdict.NOT_REACHED);
    }

    @Test
    void aReplayCacheThatCannotBeLookedAtIsNeverWrittenAndSaysSo() {
        List<String> writes = new ArrayList<>();
        SamlReplayCache writeOnly = (key, expiresAt) -> {
            writes.add(key);
            return true;
        };
        SamlResponseValidator v = f.validator(b -> b.replayCache(writeOnly));
        ValidationTrace t = v.trace(f.response().build().base64(), SamlFixture.REQUEST);
        assertThat(writes).isEmpty();
        assertThat(t.accepted()).isTrue();
        assertThat(t.notChecked()).extracting(Check::id).containsExactly("request-single-use", "replay");
        assertThat(check(t, "replay").detail()).contains("SamlReplayCache.peek");
    }

    @Test
    void thePeekOfTheInMemoryCacheSeesUsedKeysUntilTheyExpire() {
        SamlReplayCache cache = SamlReplayCache.inMemory(f.clock, 10);
        assertThat(cache.peek("k")).contains(false);
        assertThat(cache.firstUse("k", SamlFixture.NOW.plusSeconds(60))).isTrue();
        assertThat(cache.peek("k")).contains(true);
        assertThat(cache.peek("k")).contains(true); // looking twice changes nothing
        f.clock.advance(java.time.Duration.ofSeconds(61));
        assertThat(cache.peek("k")).isEqualTo(Optional.of(false));
    }
}
