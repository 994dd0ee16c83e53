package io.usher.ldap.servers;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one private {@link Slapd} per test class and injects it into test methods, lifecycle
 * methods and constructors that declare a {@code Slapd} parameter.
 *
 * <pre>{@code
 * @ExtendWith(SlapdExtension.class)
 * class MyTest {
 *     @Test void reads(Slapd slapd) { ... }
 * }
 * // or, to bulk-load with slapadd before the server starts:
 * @RegisterExtension
 * static final SlapdExtension SLAPD = new SlapdExtension().beforeStart(s -> s.slapadd(ldif));
 * }</pre>
 *
 * <p>Availability rule: when slapd is not installed, the tests are <b>skipped</b> with a loud
 * message, unless the environment variable {@code CI} equals {@code "true"}, in which case they
 * <b>fail</b> ({@code .ci/run} installs slapd, so a missing binary in CI is a broken setup).
 */
public final class SlapdExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, ParameterResolver {

    public static final String MISSING = "slapd not installed: apt-get install slapd; these tests fail under CI=true";

    /** Work to do on the created, not yet started server (e.g. {@link Slapd#slapadd}). */
    @FunctionalInterface
    public interface Setup {
        void accept(Slapd slapd) throws Exception;
    }

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SlapdExtension.class);
    private static final String KEY = "slapd";

    private Setup beforeStart = s -> { };

    /** Runs {@code setup} after the config and base entries exist and before slapd starts. */
    public SlapdExtension beforeStart(Setup setup) {
        this.beforeStart = setup;
        return this;
    }

    /** True when the tests must fail rather than skip if slapd is missing. */
    public static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Slapd.available()) {
            return ConditionEvaluationResult.enabled("slapd found at " + Slapd.SLAPD);
        }
        if (inCi()) {
            // enabled on purpose: beforeAll fails the class
            return ConditionEvaluationResult.enabled("slapd missing under CI=true: the tests will fail");
        }
        warnLoudly(context);
        return ConditionEvaluationResult.disabled("SKIPPED: " + MISSING);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Slapd.available()) {
            throw new IllegalStateException(MISSING + " (CI=true, so this is a failure, not a skip; "
                    + Slapd.SLAPD + " is missing)");
        }
        Slapd slapd = Slapd.create();
        try {
            beforeStart.accept(slapd);
            slapd.start();
        } catch (Exception | Error e) {
            slapd.close();
            throw e;
        }
        context.getStore(NS).put(KEY, new Holder(slapd));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Holder h = context.getStore(NS).remove(KEY, Holder.class);
        if (h != null) h.slapd.close();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Slapd.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        Holder h = e.getStore(NS).get(KEY, Holder.class);
        if (h == null) {
            throw new ParameterResolutionException("no Slapd started for " + e.getDisplayName()
                    + " (SlapdExtension must be registered on the class, statically)");
        }
        return h.slapd;
    }

    /** The store closes it too (JUnit closes AutoCloseable store values) if afterAll never ran. */
    private record Holder(Slapd slapd) implements AutoCloseable {
        @Override
        public void close() {
            slapd.close();
        }
    }

    private static void warnLoudly(ExtensionContext context) {
        String line = "!".repeat(100);
        System.err.println(line);
        System.err.println("!!! " + context.getDisplayName() + " SKIPPED -- " + MISSING);
        System.err.println(line);
    }
}
