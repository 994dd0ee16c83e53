package io.usher.core.audit;

/**
 * Receives the audit trail: one {@link AuditEvent} per change applied, refused or failed, from every route.
 * Register with {@code ProvisioningEngine.builder().audit(listener)}.
 *
 * <p>Called on the thread making the change: a sync's thread, or a SCIM or login request's thread, so calls
 * may come concurrently; implementations must be thread-safe and quick. What an implementation throws is
 * caught and logged: it never breaks a sync or a push (and the change stays applied).
 */
@FunctionalInterface
public interface AuditListener {
    void onEvent(AuditEvent event);
}
