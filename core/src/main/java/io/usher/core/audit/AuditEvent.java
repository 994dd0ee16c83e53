package io.usher.core.audit;

import io.usher.core.ChangeKind;
import io.usher.core.UsherException;
import io.usher.core.model.MemberKind;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One change Usher applied, refused or failed to apply, with where it came from. The engine makes these;
 * hosts receive them in an {@link AuditListener}.
 *
 * <p>The vocabulary is {@link io.usher.core.SyncReport}'s: for one run id, the {@link AuditOutcome#APPLIED}
 * events of each {@link ChangeKind} number exactly {@code report.count(kind)}, the {@link AuditOutcome#FAILED}
 * events number {@code report.failureCount()}, and the {@link AuditOutcome#REFUSED} events with code
 * {@code GUARD} are the removals the guard withheld ({@code report.withheld()}, which lists at most a thousand).
 *
 * <p>What is never here: attribute values other than those the {@link AuditFields} allow-list names, and any
 * credential, token or assertion (the route context holds their ids only).
 *
 * <p>Immutable and thread-safe; collections are unmodifiable copies.
 *
 * @param time when the engine recorded it (the engine's clock)
 * @param eventId unique per event: the run id, {@code #} and the event's number within the run
 * @param sourceId the source the change belongs to
 * @param runId the sync run, or the push call (each push call is a run of its own)
 * @param context the route and its ids (SCIM token id and request id, JIT IdP and assertion id, ...)
 * @param kind the change, in {@code SyncReport}'s terms; {@code null} only for a failure or refusal that is
 *     about a record rather than one change (an unreadable record, a username the pipeline could not derive)
 * @param outcome applied, refused or failed
 * @param code for refused and failed events, the machine-readable reason; otherwise {@code null}
 * @param reason in plain words why (the change's own reason, the guard's verdict, the failure's message), or
 *     {@code null}
 * @param externalId the source's id of the user or group (for memberships: the group's), when known
 * @param key the store key of the user or group, {@code null} when it was never stored
 * @param name the username or group name after the change; for a failure about a record, its subject
 * @param previousName before a rename, otherwise {@code null}
 * @param memberKind for memberships: whether the member is a user or a group
 * @param memberName for memberships: the member's username or group name
 * @param fields the names of the fields written (for a create, every field the new record has), in the order the change names them
 * @param values the new values of those of {@code fields} that the allow-list names: a {@code String},
 *     {@code Boolean}, {@code List<String>}, or {@code null} for a cleared field
 */
public record AuditEvent(Instant time, String eventId, String sourceId, String runId, AuditContext context,
                         ChangeKind kind, AuditOutcome outcome, UsherException.Code code, String reason,
                         String externalId, String key, String name, String previousName, MemberKind memberKind,
                         String memberName, Set<String> fields, Map<String, Object> values) {

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(outcome, "outcome");
        if (kind == null && outcome == AuditOutcome.APPLIED) {
            throw new IllegalArgumentException("an applied event needs its change kind");
        }
        fields = fields == null ? Set.of() : Collections.unmodifiableSet(new java.util.LinkedHashSet<>(fields));
        Map<String, Object> v = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, val) -> {
                if (!(val == null || val instanceof String || val instanceof Boolean || val instanceof List)) {
                    throw new IllegalArgumentException("value of '" + k + "' must be a String, Boolean or List");
                }
                v.put(Objects.requireNonNull(k, "value name"), val instanceof List ? List.copyOf((List<?>) val) : val);
            });
        }
        values = Collections.unmodifiableMap(v);
    }

    /** The route, shorthand for {@code context().route()}. */
    public AuditRoute route() {
        return context.route();
    }

    /** Whether the target is a group (group changes and memberships) rather than a user. */
    public boolean aboutGroup() {
        return kind != null && (kind.name().startsWith("GROUP_") || kind.name().startsWith("MEMBER_"));
    }

    /**
     * The event as one line of JSON (no line breaks; names as in this record, {@code route} beside
     * {@code context}, absent fields left out), as {@link JsonLinesAuditWriter} writes it.
     */
    public String toJson() {
        return EventJson.line(this);
    }

    /** One line for logs: names and ids only. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(outcome).append(' ').append(kind == null ? "-" : kind)
                .append(' ').append(name).append(" source=").append(sourceId).append(" route=").append(route());
        if (memberName != null) {
            sb.append(" member=").append(memberName);
        }
        if (!fields.isEmpty()) {
            sb.append(" fields=").append(fields);
        }
        if (code != null) {
            sb.append(" code=").append(code);
        }
        return sb.append(" run=").append(runId).toString();
    }
}
