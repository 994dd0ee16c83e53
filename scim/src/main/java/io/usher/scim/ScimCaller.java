package io.usher.scim;

import io.usher.core.model.Values;

/**
 * Who made a SCIM request, as an {@link ScimAuthenticator} established it: an id fit for an audit trail
 * (for bearer tokens the token's configured id, never the token). During a request it is the JAX-RS
 * {@code SecurityContext}'s principal name and the SLF4J MDC value {@value #MDC_KEY}, and
 * {@link #current()} answers it on the request thread (engine listeners run there, so an audit listener
 * can record who asked for each change).
 *
 * <p>Immutable and thread-safe.
 */
public record ScimCaller(String id) {
    /** The SLF4J MDC key that holds the caller id while a request is handled. */
    public static final String MDC_KEY = "usher.scim.caller";

    public ScimCaller {
        id = Values.requireText(id, "caller id");
    }

    public static ScimCaller of(String id) {
        return new ScimCaller(id);
    }

    /** The caller of the SCIM request this thread is handling, or null outside a request. */
    public static ScimCaller current() {
        return io.usher.scim.internal.CallerContext.current();
    }
}
