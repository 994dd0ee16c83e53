package io.usher.core.http;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Turns a response body into a value, reading it as a stream of JSON tokens (so a page of thousands of
 * records never has to exist as one tree). The parser has a codec, so {@code parser.readValueAsTree()} works
 * for small parts.
 *
 * <p>A reader may run more than once for one call (when the body breaks off and the request is retried), so
 * it must not have side effects: return what was read and act on it afterwards. It runs on the calling thread
 * while the request holds one of the client's concurrency permits, so it should be quick.
 */
@FunctionalInterface
public interface JsonReader<T> {

    T read(JsonParser parser) throws IOException;
}
