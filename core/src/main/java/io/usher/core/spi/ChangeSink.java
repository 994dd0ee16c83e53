package io.usher.core.spi;

import io.usher.core.model.MemberKind;

/**
 * Receives incremental changes. {@link #user} and {@link #group} are upserts: a user or group that is
 * new or changed (a changed login name is a rename: the external id stays). A {@link #group} call
 * replaces the group's whole membership; {@link #groupFields} changes only its fields, and
 * {@link #memberAdded}/{@link #memberRemoved} change one membership at a time.
 */
public interface ChangeSink extends SnapshotSink {

    /** The user with this external id no longer exists in the source (or left its scope). */
    void userDeleted(String externalId);

    /** The group's name or description changed; its members did not. */
    void groupFields(SourceGroup group);

    /** The group with this external id no longer exists in the source. */
    void groupDeleted(String externalId);

    /** One member joined a group. */
    void memberAdded(String groupExternalId, MemberKind kind, String memberExternalId);

    /** One member left a group. */
    void memberRemoved(String groupExternalId, MemberKind kind, String memberExternalId);
}
