package io.usher.core;

import io.usher.core.audit.AuditContext;
import io.usher.core.audit.AuditEvent;
import io.usher.core.audit.AuditFields;
import io.usher.core.audit.AuditListener;
import io.usher.core.audit.AuditOutcome;
import io.usher.core.model.Group;
import io.usher.core.model.Origin;
import io.usher.core.model.User;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of the audit trail: turns each applied, refused or failed change of a run into an
 * {@link AuditEvent} and hands it to every {@link AuditListener}, catching what they throw. Thread-safe (one
 * {@link Trail} per run; a trail is used by its run's thread only).
 */
final class Auditing {
    private static final Logger LOG = LoggerFactory.getLogger(Auditing.class);

    private final List<AuditListener> listeners;
    private final AuditFields fields;
    private final Clock clock;

    Auditing(List<AuditListener> listeners, AuditFields fields, Clock clock) {
        this.listeners = List.copyOf(listeners);
        this.fields = fields;
        this.clock = clock;
    }

    /** A trail for one run, or null when nobody listens (so runs build no events). */
    Trail trail(String sourceId, String runId, AuditContext context) {
        return listeners.isEmpty() ? null : new Trail(sourceId, runId, context);
    }

    private void deliver(AuditEvent e) {
        for (AuditListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException | Error ex) {
                if (ex instanceof VirtualMachineError) {
                    throw (VirtualMachineError) ex;
                }
                // the event is described by ids only: no values in the log
                LOG.error("audit listener {} failed on event {} ({} {}): {}; the change itself stands",
                        l.getClass().getName(), e.eventId(), e.outcome(), e.kind(), ex.toString());
            }
        }
    }

    /** The events of one run (a sync, or one push call). Not thread-safe: its run's thread only. */
    final class Trail {
        private final String sourceId;
        private final String runId;
        private final AuditContext context;
        private long seq;

        private Trail(String sourceId, String runId, AuditContext context) {
            this.sourceId = sourceId;
            this.runId = runId;
            this.context = context;
        }

        /** An applied change; {@code after} is the stored user or group after it (or anything else: no values). */
        void applied(Change c, Object after) {
            Set<String> names = c.fields();
            Map<String, Object> values = new LinkedHashMap<>();
            if (after instanceof User) {
                User u = (User) after;
                if (c.kind() == ChangeKind.USER_CREATED) {
                    names = present(u);
                }
                for (String f : names) {
                    if (fields.allowsUserField(f)) {
                        values.put(f, value(u, f));
                    }
                }
            } else if (after instanceof Group && c.memberKind() == null) {
                Group g = (Group) after;
                if (c.kind() == ChangeKind.GROUP_CREATED) {
                    names = present(g);
                }
                for (String f : names) {
                    if (fields.allowsGroupField(f)) {
                        values.put(f, value(g, f));
                    }
                }
            }
            String key = c.key() != null ? c.key() : after instanceof User ? ((User) after).key()
                    : after instanceof Group ? ((Group) after).key() : null;
            emit(c, AuditOutcome.APPLIED, null, c.reason(), key, names, values);
        }

        /** A change deliberately not made (guard, collision policy, push rules). */
        void refused(Change c, UsherException.Code code, String reason) {
            emit(c, AuditOutcome.REFUSED, code, reason, c.key(), c.fields(), Map.of());
        }

        /** A change (or, with {@code c} null, a record) that failed. */
        void failed(Change c, Failure f) {
            if (c == null) {
                next(new AuditEvent(clock.instant(), nextId(), sourceId, runId, context, null, AuditOutcome.FAILED,
                        f.code(), f.message(), null, null, f.subject(), null, null, null, Set.of(), Map.of()));
                return;
            }
            emit(c, AuditOutcome.FAILED, f.code(), f.message(), c.key(), c.fields(), Map.of());
        }

        /** A refusal about a record rather than one change. */
        void refusedRecord(String subject, UsherException.Code code, String reason) {
            next(new AuditEvent(clock.instant(), nextId(), sourceId, runId, context, null, AuditOutcome.REFUSED,
                    code, reason, null, null, subject, null, null, null, Set.of(), Map.of()));
        }

        private void emit(Change c, AuditOutcome outcome, UsherException.Code code, String reason, String key,
                          Set<String> names, Map<String, Object> values) {
            Origin o = c.origin();
            next(new AuditEvent(clock.instant(), nextId(), sourceId, runId, context, c.kind(), outcome, code, reason,
                    o == null ? null : o.externalId(), key, c.name(), c.previousName(), c.memberKind(),
                    c.memberName(), names, values));
        }

        private String nextId() {
            return runId + "#" + (++seq);
        }

        private void next(AuditEvent e) {
            deliver(e);
        }
    }

    /** The fields a new user has (what a create writes). */
    static Set<String> present(User u) {
        Set<String> out = new LinkedHashSet<>();
        out.add(User.USERNAME);
        if (u.displayName() != null) out.add(User.DISPLAY_NAME);
        if (u.givenName() != null) out.add(User.GIVEN_NAME);
        if (u.familyName() != null) out.add(User.FAMILY_NAME);
        if (!u.emails().isEmpty()) out.add(User.EMAILS);
        out.add(User.ACTIVE);
        for (String a : new java.util.TreeSet<>(u.attributes().keySet())) {
            out.add("attributes." + a);
        }
        return out;
    }

    static Set<String> present(Group g) {
        Set<String> out = new LinkedHashSet<>();
        out.add(Group.NAME);
        if (g.description() != null) out.add(Group.DESCRIPTION);
        for (String a : new java.util.TreeSet<>(g.attributes().keySet())) {
            out.add("attributes." + a);
        }
        return out;
    }

    private static Object value(User u, String f) {
        switch (f) {
            case User.USERNAME: return u.username();
            case User.DISPLAY_NAME: return u.displayName();
            case User.GIVEN_NAME: return u.givenName();
            case User.FAMILY_NAME: return u.familyName();
            case User.EMAILS: return u.emails();
            case User.ACTIVE: return u.active();
            default:
                return f.startsWith("attributes.") ? u.attributes().get(f.substring(11)) : null;
        }
    }

    private static Object value(Group g, String f) {
        switch (f) {
            case Group.NAME: return g.name();
            case Group.DESCRIPTION: return g.description();
            default:
                return f.startsWith("attributes.") ? g.attributes().get(f.substring(11)) : null;
        }
    }
}
