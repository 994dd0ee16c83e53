package io.usher.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.UsherException;
import io.usher.core.spi.SourceException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OktaCursorTest {
    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-a-cursor-%%", "e30", "eyJ2IjoyfQ", "ts:1:2", "%%%%"})
    void foreignCursorsAreCursorInvalid(String text) {
        assertThatThrownBy(() -> OktaCursor.decode(text)).isInstanceOf(SourceException.class)
                .extracting(e -> ((SourceException) e).code()).isEqualTo(UsherException.Code.CURSOR_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"v\":1}", "{\"v\":1,\"h\":\"yesterday\",\"f\":\"2026-11-29T07:00:00Z\"}",
        "{\"v\":1,\"h\":\"2026-11-29T07:00:00Z\"}", "[1,2]", "{\"v\":\"1\",\"h\":1}"})
    void brokenJsonCursorsAreCursorInvalid(String json) {
        assertThatThrownBy(() -> OktaCursor.decode(b64(json))).isInstanceOf(SourceException.class)
                .extracting(e -> ((SourceException) e).code()).isEqualTo(UsherException.Code.CURSOR_INVALID);
    }

    @Property
    void aCursorSurvivesTheRoundTripAndPruningKeepsOnlyWhatIsNewer(
            @ForAll @LongRange(min = 0, max = 4_000_000_000L) long high,
            @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 20) String id) {
        Instant h = Instant.ofEpochSecond(high);
        OktaCursor c = new OktaCursor(h, h.minusSeconds(60));
        c.users.put(id, h.toString());
        c.users.put(id + "old", h.minusSeconds(600).toString());
        c.groups.put(id, h.minusSeconds(1) + "|" + h);
        c.events.put("uuid-" + id, h.toString());
        c.prune(h.minusSeconds(120));

        OktaCursor back = OktaCursor.decode(c.encode());

        assertThat(back.high).isEqualTo(h);
        assertThat(back.full).isEqualTo(h.minusSeconds(60));
        assertThat(back.users).containsOnlyKeys(id);
        assertThat(back.groups).containsEntry(id, h.minusSeconds(1) + "|" + h);
        assertThat(back.events).containsOnlyKeys("uuid-" + id);
    }

    @Property
    void arbitraryTextIsEitherACursorOrCursorInvalid(@ForAll @StringLength(max = 200) String text) {
        try {
            OktaCursor.decode(text);
        } catch (SourceException e) {
            assertThat(e.code()).isEqualTo(UsherException.Code.CURSOR_INVALID);
        }
    }
}
