package io.usher.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class Slf4jAuditWriterTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    /** Collects what is logged. */
    static final class Capture extends AbstractLogger {
        private static final long serialVersionUID = 1L;
        final List<String> lines = new ArrayList<>();

        Capture() {
            this.name = "capture";
        }

        @Override protected String getFullyQualifiedCallerName() { return null; }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String msg, Object[] args,
                                                   Throwable t) {
            lines.add(level + " " + MessageFormatter.basicArrayFormat(msg, args));
        }

        @Override public boolean isTraceEnabled() { return true; }
        @Override public boolean isTraceEnabled(Marker marker) { return true; }
        @Override public boolean isDebugEnabled() { return true; }
        @Override public boolean isDebugEnabled(Marker marker) { return true; }
        @Override public boolean isInfoEnabled() { return true; }
        @Override public boolean isInfoEnabled(Marker marker) { return true; }
        @Override public boolean isWarnEnabled() { return true; }
        @Override public boolean isWarnEnabled(Marker marker) { return true; }
        @Override public boolean isErrorEnabled() { return true; }
        @Override public boolean isErrorEnabled(Marker marker) { return true; }
    }

    @Test
    void appliedAtInfoRefusedAtWarnEachAsItsJson() {
        Capture log = new Capture();
        Slf4jAuditWriter w = Slf4jAuditWriter.to(log);
        AuditEvent applied = Events.created(T0, 1);
        AuditEvent refused = Events.refused(T0);
        w.onEvent(applied);
        w.onEvent(refused);
        assertThat(log.lines).containsExactly("INFO " + applied.toJson(), "WARN " + refused.toJson());
    }

    @Test
    void theDefaultLoggerIsNamedForRouting() {
        assertThat(Slf4jAuditWriter.DEFAULT_LOGGER).isEqualTo("usher.audit");
        Slf4jAuditWriter.create().onEvent(Events.created(T0, 1)); // to slf4j-simple in tests: must not throw
    }
}
