package io.usher.scim;

import java.util.Optional;

/**
 * Decides who a SCIM request comes from. The built-in {@link BearerTokenAuthenticator} checks bearer
 * tokens; a host plugs in its own (mutual TLS, an API-key table, OAuth introspection) by implementing this.
 * An empty answer is a 401 with a SCIM Error body; an implementation may also throw a {@link ScimException}
 * (for instance 403) to say more. The answer's {@link ScimCaller#scopes()} are enforced by the server
 * ({@link ScimCaller#of(String)} has every scope). Implementations must be thread-safe and must not log
 * credentials.
 */
@FunctionalInterface
public interface ScimAuthenticator {

    /** The caller, or empty when the request's credentials are missing or wrong. */
    Optional<ScimCaller> authenticate(Request request);

    /** What an authenticator may look at. */
    interface Request {
        /** The first value of a request header (case-insensitive name), or null. */
        String header(String name);

        /** The HTTP method. */
        String method();

        /** The path below the SCIM root, e.g. {@code Users/2819c223}. */
        String path();
    }
}
