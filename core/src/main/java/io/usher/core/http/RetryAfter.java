package io.usher.core.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Parses an HTTP {@code Retry-After} header (RFC 9110 §10.2.3): either a number of seconds
 * ({@code 120}) or an HTTP date ({@code Fri, 31 Dec 1999 23:59:59 GMT}). Anything else is ignored, as if
 * the header were absent; a date in the past means "now". Stateless.
 */
final class RetryAfter {
    /** Seconds beyond this (a day) are treated as this; no server means longer. */
    static final long MAX_SECONDS = 86_400;

    private RetryAfter() {}

    static Optional<Duration> parse(String header, Instant now) {
        if (header == null) {
            return Optional.empty();
        }
        String v = header.trim();
        if (v.isEmpty() || v.length() > 64) {
            return Optional.empty();
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (v.length() > 9) {
                return Optional.of(Duration.ofSeconds(MAX_SECONDS));
            }
            return Optional.of(Duration.ofSeconds(Math.min(Long.parseLong(v), MAX_SECONDS)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            if (d.isNegative()) {
                return Optional.of(Duration.ZERO);
            }
            return Optional.of(d.getSeconds() > MAX_SECONDS ? Duration.ofSeconds(MAX_SECONDS) : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
