package io.usher.scim.internal;

import io.usher.scim.ScimCaller;
import org.slf4j.MDC;

/** The caller of the request a thread is handling (a thread-local plus the SLF4J MDC). */
public final class CallerContext {
    private static final ThreadLocal<ScimCaller> CURRENT = new ThreadLocal<>();

    private CallerContext() {}

    public static ScimCaller current() {
        return CURRENT.get();
    }

    static void enter(ScimCaller caller) {
        CURRENT.set(caller);
        MDC.put(ScimCaller.MDC_KEY, caller.id());
    }

    static void leave() {
        CURRENT.remove();
        MDC.remove(ScimCaller.MDC_KEY);
    }
}
