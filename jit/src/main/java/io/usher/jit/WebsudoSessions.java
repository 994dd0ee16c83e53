package io.usher.jit;

import java.util.Optional;

/**
 * Where the host keeps websudo windows: usually its HTTP session (an attribute), or a table keyed by session id.
 * Keyed by the host's session id, so a window opened in one browser does not open another.
 * {@link InMemoryWebsudoSessions} is the default for tests and single-node hosts.
 *
 * <p>Implementations must be thread-safe.
 */
public interface WebsudoSessions {

    /** Stores (or replaces) the session's window. */
    void put(String sessionId, WebsudoGrant grant);

    /** The session's window, if one was granted and not removed (expiry is checked by {@link Websudo}). */
    Optional<WebsudoGrant> get(String sessionId);

    /** Ends the session's window ("drop websudo", logout). */
    void remove(String sessionId);
}
