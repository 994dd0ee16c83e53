/**
 * The audit trail: one {@link io.usher.core.audit.AuditEvent} for every change Usher applies, refuses or
 * fails to apply, from every route (a sync run, a SCIM request, a JIT login, a host's own push), delivered
 * to the {@link io.usher.core.audit.AuditListener}s given to
 * {@link io.usher.core.ProvisioningEngine.Builder#audit}. Usher ships two writers: a rotating JSON-lines file
 * ({@link io.usher.core.audit.JsonLinesAuditWriter}) and an SLF4J logger
 * ({@link io.usher.core.audit.Slf4jAuditWriter}). Events name fields, never their values, except the values
 * of the fields an {@link io.usher.core.audit.AuditFields} allow-list names; route details hold ids (token
 * id, request id, assertion id), never a credential or an assertion.
 */
package io.usher.core.audit;
