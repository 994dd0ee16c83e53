package io.usher.okta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usher.core.http.RestClient;
import io.usher.core.spi.SourceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The incremental cursor: a high-water mark (the time the last read started), the time of the last full
 * snapshot, and fingerprints of what was already reported inside the overlap window — users by
 * {@code lastUpdated}, groups by {@code lastUpdated|lastMembershipUpdated}, System Log events by {@code uuid} —
 * so that re-reading the window reports nothing twice. Encoded as base64url JSON; it holds ids and times, no
 * secret. Mutable while a read builds it; not thread-safe.
 */
final class OktaCursor {
    static final int VERSION = 1;
    /** Fingerprints kept at most (per kind); beyond this, the oldest are dropped and may be re-reported. */
    static final int MAX_FINGERPRINTS = 20_000;

    Instant high;
    Instant full;
    final Map<String, String> users = new LinkedHashMap<>();
    final Map<String, String> groups = new LinkedHashMap<>();
    final Map<String, String> events = new LinkedHashMap<>();

    OktaCursor(Instant high, Instant full) {
        this.high = high;
        this.full = full;
    }

    static OktaCursor decode(String text) {
        if (text == null || text.isEmpty() || text.length() > 8_000_000) {
            throw SourceException.cursorInvalid("the cursor is not one the Okta connector issued");
        }
        try {
            JsonNode n = RestClient.json().readTree(Base64.getUrlDecoder().decode(text));
            if (n == null || n.path("v").asInt() != VERSION) {
                throw SourceException.cursorInvalid("the cursor is not one the Okta connector issued");
            }
            OktaCursor c = new OktaCursor(Instant.parse(n.path("h").asText()), Instant.parse(n.path("f").asText()));
            read(n.path("u"), c.users);
            read(n.path("g"), c.groups);
            read(n.path("e"), c.events);
            return c;
        } catch (IOException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw SourceException.cursorInvalid("the cursor is not one the Okta connector issued");
        }
    }

    private static void read(JsonNode n, Map<String, String> into) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                into.put(e.getKey(), e.getValue().asText());
            }
        }
    }

    /** Drops fingerprints at or before {@code from} (a later read asks only for what is newer) and caps the rest. */
    void prune(Instant from) {
        prune(users, from);
        prune(groups, from);
        prune(events, from);
    }

    private static void prune(Map<String, String> m, Instant from) {
        m.values().removeIf(v -> !newest(v).isAfter(from));
        Iterator<String> it = m.keySet().iterator();
        while (m.size() > MAX_FINGERPRINTS && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** The latest of the timestamps in a fingerprint ({@code a|b} or {@code a}). */
    static Instant newest(String fingerprint) {
        Instant max = Instant.MIN;
        for (String part : fingerprint.split("\\|")) {
            try {
                Instant t = Instant.parse(part);
                if (t.isAfter(max)) {
                    max = t;
                }
            } catch (java.time.format.DateTimeParseException e) {
                // not a time: ignored
            }
        }
        return max;
    }

    String encode() {
        ObjectNode n = RestClient.json().createObjectNode();
        n.put("v", VERSION);
        n.put("h", high.toString());
        n.put("f", full.toString());
        ObjectNode u = n.putObject("u");
        users.forEach(u::put);
        ObjectNode g = n.putObject("g");
        groups.forEach(g::put);
        ObjectNode e = n.putObject("e");
        events.forEach(e::put);
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    RestClient.json().writeValueAsString(n).getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
