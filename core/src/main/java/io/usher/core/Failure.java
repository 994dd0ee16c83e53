package io.usher.core;

import java.util.Objects;

/**
 * One record that could not be read, transformed or applied.
 *
 * @param subject which record (a username, group name or origin; never an attribute value)
 * @param code what kind of failure, for programs
 * @param message the cause in plain words
 */
public record Failure(String subject, UsherException.Code code, String message) {
    public Failure {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return subject + ": " + code + ": " + message;
    }
}
