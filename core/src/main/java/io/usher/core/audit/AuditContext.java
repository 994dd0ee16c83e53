package io.usher.core.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a change came from: the route and the ids that tie it to the request that caused it. Only ids go
 * here — a SCIM client's token id (never the token), a request id, an identity provider's id and an assertion
 * id or ID-token {@code jti} (never the assertion or the token). Pass one to
 * {@code ProvisioningEngine.push(sourceId, context)}; sync runs get {@link #sync()} from the engine.
 *
 * <p>Detail values come from outside (an assertion id is the IdP's text), so each is cut to
 * {@value #MAX_VALUE} characters and control characters become {@code ?}; blank values are left out.
 * Immutable and thread-safe.
 *
 * @param route how the change arrived
 * @param details route-specific ids, in a fixed order per route (see the factories)
 */
public record AuditContext(AuditRoute route, Map<String, String> details) {
    /** Longest detail value kept. */
    public static final int MAX_VALUE = 256;

    private static final AuditContext SYNC = new AuditContext(AuditRoute.SYNC, Map.of());
    private static final AuditContext API = new AuditContext(AuditRoute.API, Map.of());

    public AuditContext {
        Objects.requireNonNull(route, "route");
        Map<String, String> copy = new LinkedHashMap<>();
        if (details != null) {
            details.forEach((k, v) -> {
                Objects.requireNonNull(k, "detail name");
                String clean = clean(v);
                if (clean != null) {
                    copy.put(k, clean);
                }
            });
        }
        details = Collections.unmodifiableMap(copy);
    }

    /** A sync run (its run id is on every event). */
    public static AuditContext sync() {
        return SYNC;
    }

    /** A push by the host itself, with nothing more known: what {@code engine.push(sourceId)} uses. */
    public static AuditContext api() {
        return API;
    }

    /** A push by a named component of the host (a name, never a credential), detail {@code caller}. */
    public static AuditContext api(String caller) {
        return of(AuditRoute.API, "caller", caller);
    }

    /**
     * A SCIM request: details {@code tokenId} (the authenticated client's id — for bearer tokens the token's
     * configured id, never the token) and {@code requestId}.
     */
    public static AuditContext scim(String tokenId, String requestId) {
        return of(AuditRoute.SCIM, "tokenId", tokenId, "requestId", requestId);
    }

    /** A SAML login: details {@code protocol} = SAML, {@code idp} (entity ID) and {@code assertionId}. */
    public static AuditContext saml(String idpEntityId, String assertionId) {
        return of(AuditRoute.JIT, "protocol", "SAML", "idp", idpEntityId, "assertionId", assertionId);
    }

    /**
     * An OIDC login: details {@code protocol} = OIDC, {@code idp} (issuer) and {@code jti} (the ID token's
     * {@code jti}, or a digest standing in for it; never the token).
     */
    public static AuditContext oidc(String issuer, String jti) {
        return of(AuditRoute.JIT, "protocol", "OIDC", "idp", issuer, "jti", jti);
    }

    /** One detail, or null. */
    public String detail(String name) {
        return details.get(name);
    }

    private static AuditContext of(AuditRoute route, String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return new AuditContext(route, m);
    }

    static String clean(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String s = v.strip();
        int len = Math.min(s.length(), MAX_VALUE);
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validPair(s, i, len) ? '?' : c);
        }
        return sb.toString();
    }

    private static boolean validPair(String s, int i, int len) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
