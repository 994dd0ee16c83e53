package io.usher.testkit.google;

/** An error the fake answers in Google's shape: status, {@code errors[0].reason} and {@code domain}. */
final class GoogleError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String reason;
    final String domain;

    GoogleError(int status, String reason, String domain, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
        this.domain = domain;
    }

    static GoogleError badRequest(String reason, String message) {
        return new GoogleError(400, reason, "global", message);
    }

    static GoogleError notFound(String message) {
        return new GoogleError(404, "notFound", "global", message);
    }

    static GoogleError forbidden(String reason, String message) {
        return new GoogleError(403, reason, "global", message);
    }
}
