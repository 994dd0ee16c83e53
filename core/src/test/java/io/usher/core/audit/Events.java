package io.usher.core.audit;

import io.usher.core.ChangeKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Audit events for the writer tests. */
final class Events {
    private Events() {}

    static AuditEvent created(Instant time, int n) {
        return new AuditEvent(time, "run#" + n, "corp", "run", AuditContext.scim("entra", "req-" + n),
                ChangeKind.USER_CREATED, AuditOutcome.APPLIED, null, null, "ext-" + n, "k" + n, "user" + n, null,
                null, null, Set.of("username"), Map.of("username", "user" + n));
    }

    static AuditEvent named(Instant time, String name) {
        return new AuditEvent(time, "e", "corp", "run", AuditContext.sync(), ChangeKind.USER_UPDATED,
                AuditOutcome.APPLIED, null, null, null, null, name, null, null, null, Set.of("displayName"),
                Map.of("displayName", name));
    }

    static AuditEvent refused(Instant time) {
        return new AuditEvent(time, "run#1", "corp", "run", AuditContext.sync(), ChangeKind.USER_DELETED,
                AuditOutcome.REFUSED, io.usher.core.UsherException.Code.GUARD, "would remove 15 users", null, "k",
                "alice", null, null, null, Set.of(), Map.of());
    }
}
