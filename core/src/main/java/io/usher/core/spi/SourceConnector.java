package io.usher.core.spi;

import io.usher.core.model.CredentialPolicy;

/**
 * The SPI a connector author implements: a configured origin of identities that can stream a snapshot.
 *
 * <p>What else a connector can do is told by the capability interfaces it also implements:
 * {@link IncrementalSource} (changes since an opaque cursor), {@link NestedGroupSource} (group records may
 * carry member groups) and {@link ConnectionTest} (a connectivity check). The engine asks, it does not
 * assume.
 *
 * <p>Contract for {@link #snapshot}: call {@link SnapshotSink#user} for every user, then
 * {@link SnapshotSink#group} for every group (users first, so that memberships resolve); stream page by
 * page and never hold the whole directory; throw {@link SourceException} on any read failure, including a
 * partial page — the engine then treats the snapshot as incomplete and deletes nothing. Implementations
 * need not be thread-safe: the engine runs one read of a source at a time.
 */
public interface SourceConnector extends AutoCloseable {

    /** The type name this connector registers under ({@code ldap}, {@code azure}, …). */
    String type();

    /**
     * Checks the configuration without any I/O.
     *
     * @throws io.usher.core.ConfigException naming the first wrong key
     */
    default void validate() {}

    /** Streams every user, then every group, to the sink. */
    void snapshot(SnapshotSink sink) throws SourceException;

    /**
     * How the users this connector reads sign in to the host, when the source does not say
     * ({@code Source.Builder.credentials}). The default, {@link CredentialPolicy#HOST}, leaves it to the host
     * (right for a directory the host may bind against, such as LDAP); a connector whose users sign in through
     * the identity provider it reads (Entra ID, Google Workspace, Okta) answers
     * {@link CredentialPolicy#SSO_ONLY}. No I/O.
     */
    default CredentialPolicy defaultCredentials() {
        return CredentialPolicy.HOST;
    }

    /** Releases connections and threads. The default does nothing. */
    @Override
    default void close() {}
}
