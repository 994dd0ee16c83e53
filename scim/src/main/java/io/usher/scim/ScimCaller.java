package io.usher.scim;

import io.usher.core.model.Values;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who made a SCIM request, as an {@link ScimAuthenticator} established it: an id fit for an audit trail
 * (for bearer tokens the token's configured id, never the token) and the {@linkplain ScimScope scopes} the
 * server enforces for it. During a request it is the SLF4J MDC value {@value #MDC_KEY}, and
 * {@link #current()} answers it on the request thread (engine listeners run there, so an audit listener
 * can record who asked for each change).
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the caller's id (a token id), not secret
 * @param scopes what the caller may do, at least one; an unmodifiable copy
 */
public record ScimCaller(String id, Set<ScimScope> scopes) {
    /** The SLF4J MDC key that holds the caller id while a request is handled. */
    public static final String MDC_KEY = "usher.scim.caller";

    public ScimCaller {
        id = Values.requireText(id, "caller id");
        Objects.requireNonNull(scopes, "scopes");
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("caller '" + id + "' needs at least one scope");
        }
        scopes = Collections.unmodifiableSet(EnumSet.copyOf(scopes));
    }

    /** A caller with every scope (what every caller could do before scopes existed). */
    public static ScimCaller of(String id) {
        return new ScimCaller(id, ScimScope.ALL);
    }

    /** A caller with the given scopes. */
    public static ScimCaller of(String id, Collection<ScimScope> scopes) {
        return new ScimCaller(id, Set.copyOf(Objects.requireNonNull(scopes, "scopes")));
    }

    /** Whether the caller holds {@code scope}. */
    public boolean allows(ScimScope scope) {
        return scopes.contains(scope);
    }

    /** The caller of the SCIM request this thread is handling, or null outside a request. */
    public static ScimCaller current() {
        return io.usher.scim.internal.CallerContext.current();
    }
}
