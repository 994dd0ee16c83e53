package io.usher.testkit.google;

/** An OAuth 2.0 error from the fake token endpoint: {@code {"error": ..., "error_description": ...}}. */
final class OAuthError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String error;

    OAuthError(int status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
    }
}
