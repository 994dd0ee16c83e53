package io.usher.core.audit;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each audit event as one log line, the event's JSON ({@link AuditEvent#toJson()}), to an SLF4J logger
 * (default {@value #DEFAULT_LOGGER}): applied changes at INFO, refused and failed ones at WARN. Route the
 * logger to its own appender in the host's logging configuration to keep the trail apart from the rest.
 *
 * <p>Immutable and thread-safe (as SLF4J loggers are).
 */
public final class Slf4jAuditWriter implements AuditListener {
    /** The logger name used by {@link #create()}. */
    public static final String DEFAULT_LOGGER = "usher.audit";

    private final Logger log;

    private Slf4jAuditWriter(Logger log) {
        this.log = log;
    }

    /** Writes to the logger {@value #DEFAULT_LOGGER}. */
    public static Slf4jAuditWriter create() {
        return new Slf4jAuditWriter(LoggerFactory.getLogger(DEFAULT_LOGGER));
    }

    /** Writes to the given logger. */
    public static Slf4jAuditWriter to(Logger logger) {
        return new Slf4jAuditWriter(Objects.requireNonNull(logger, "logger"));
    }

    @Override
    public void onEvent(AuditEvent event) {
        if (event.outcome() == AuditOutcome.APPLIED) {
            if (log.isInfoEnabled()) {
                log.info("{}", event.toJson());
            }
        } else if (log.isWarnEnabled()) {
            log.warn("{}", event.toJson());
        }
    }
}
