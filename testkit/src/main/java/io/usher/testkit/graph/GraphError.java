package io.usher.testkit.graph;

import java.util.Map;

/** An answer other than 200 that a handler gives by throwing: status, Graph error code, message, extra headers. */
final class GraphError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;
    final Map<String, String> headers;

    GraphError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    GraphError(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    static GraphError badRequest(String message) {
        return new GraphError(400, "Request_BadRequest", message);
    }

    static GraphError notFound(String message) {
        return new GraphError(404, "Request_ResourceNotFound", message);
    }
}
