package io.usher.scim.internal;

import io.usher.core.audit.AuditContext;
import io.usher.scim.ScimCaller;
import org.slf4j.MDC;

/**
 * The caller of the request a thread is handling and the request's id (thread-locals plus the SLF4J MDC), and
 * from them the audit context every write of the request carries.
 */
public final class CallerContext {
    /** The SLF4J MDC key that holds the request id while a request is handled. */
    public static final String REQUEST_MDC_KEY = "usher.scim.request";
    private static final ThreadLocal<ScimCaller> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<String> REQUEST = new ThreadLocal<>();

    private CallerContext() {}

    public static ScimCaller current() {
        return CURRENT.get();
    }

    /** The id of the request this thread is handling, or null outside a request. */
    public static String requestId() {
        return REQUEST.get();
    }

    /**
     * The audit context of the request this thread is handling: the caller's id (for bearer tokens the token's
     * id, never the token) and the request id; the generic context outside a request.
     */
    static AuditContext audit() {
        ScimCaller caller = CURRENT.get();
        return caller == null ? AuditContext.api() : AuditContext.scim(caller.id(), REQUEST.get());
    }

    static void enter(ScimCaller caller, String requestId) {
        CURRENT.set(caller);
        MDC.put(ScimCaller.MDC_KEY, caller.id());
        if (requestId != null) {
            REQUEST.set(requestId);
            MDC.put(REQUEST_MDC_KEY, requestId);
        }
    }

    static void leave() {
        CURRENT.remove();
        REQUEST.remove();
        MDC.remove(ScimCaller.MDC_KEY);
        MDC.remove(REQUEST_MDC_KEY);
    }
}
