package io.usher.ldap.servers;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Optional;

/**
 * JUnit 5 extension: one private Samba AD DC ({@link SambaDc}) per test class, injected as a
 * {@code SambaDc} parameter into test methods, constructors, {@code @BeforeAll}/{@code @BeforeEach}.
 *
 * <p>When Samba is not installed the tests are <b>skipped</b> with a loud message, except when the
 * environment variable {@code CI} equals {@code "true"}: then they <b>fail</b>, so CI cannot
 * silently stop testing against a real Active Directory. {@code @Nested} classes share the
 * enclosing class's DC.
 *
 * <pre>{@code
 * @ExtendWith(SambaDcExtension.class)
 * class MyAdTest {
 *     @Test void reads(SambaDc dc) throws Exception { try (var c = dc.connection()) { ... } }
 * }
 * }</pre>
 */
public final class SambaDcExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SambaDcExtension.class);
    private static final String KEY = "dc";
    private static final String OWNER = "owner";

    static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    /**
     * For tests that manage their own {@link SambaDc}: skips (JUnit abort) with a loud message
     * when Samba is absent, or fails when {@code CI=true}. Call from {@code @BeforeAll}.
     */
    public static void assumeAvailable() {
        Optional<String> reason = SambaDc.unavailableReason();
        if (reason.isEmpty()) {
            return;
        }
        if (inCi()) {
            banner("FAILING: CI=true and the Samba AD DC is not available: " + reason.get());
            throw new IllegalStateException("CI=true and the Samba AD DC is not available: " + reason.get());
        }
        banner("SKIPPING: " + reason.get() + ". Set CI=true to make this a failure.");
        org.junit.jupiter.api.Assumptions.abort("SKIPPED, Samba AD DC not available: " + reason.get());
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> reason = SambaDc.unavailableReason();
        if (reason.isEmpty()) {
            return ConditionEvaluationResult.enabled("Samba AD DC available");
        }
        if (inCi()) {
            // Enabled on purpose: beforeAll then fails the tests.
            return ConditionEvaluationResult.enabled("CI=true: Samba missing must fail, not skip");
        }
        if (context.getTestMethod().isEmpty()) { // shout once per class, not per method
            banner("SKIPPING " + context.getDisplayName() + ": " + reason.get()
                    + ". These tests run against a real Samba Active Directory DC; set CI=true to make this a failure.");
        }
        return ConditionEvaluationResult.disabled("SKIPPED, Samba AD DC not available: " + reason.get());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ExtensionContext.Store store = context.getStore(NS);
        if (store.get(KEY, SambaDc.class) != null) {
            return; // @Nested class: the enclosing class's DC serves it
        }
        Optional<String> reason = SambaDc.unavailableReason();
        if (reason.isPresent()) {
            String msg = "CI=true and the Samba AD DC is not available: " + reason.get();
            banner("FAILING " + context.getDisplayName() + ": " + msg);
            throw new IllegalStateException(msg);
        }
        SambaDc dc = SambaDc.start();
        System.out.printf("[SambaDc] %s: provisioned in %d ms, started (LDAPS bind ok) in %d ms, root pid %d%n",
                context.getDisplayName(), dc.provisionTime().toMillis(), dc.startTime().toMillis(), dc.rootPid());
        store.put(KEY, dc);
        store.put(OWNER, context.getUniqueId());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NS);
        if (!context.getUniqueId().equals(store.get(OWNER, String.class))) {
            return;
        }
        SambaDc dc = store.remove(KEY, SambaDc.class);
        store.remove(OWNER);
        if (dc != null) {
            dc.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == SambaDc.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        SambaDc dc = extensionContext.getStore(NS).get(KEY, SambaDc.class);
        if (dc == null) {
            throw new ParameterResolutionException("no Samba DC started for " + extensionContext.getDisplayName());
        }
        return dc;
    }

    private static void banner(String message) {
        String line = "!".repeat(100);
        System.err.println(line);
        System.err.println("!!! " + message);
        System.err.println(line);
    }
}
