package io.usher.core.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A real HTTP server on a free loopback port whose answers a test scripts one request at a time. */
final class Loopback implements AutoCloseable {

    /** Answers one request. */
    @FunctionalInterface
    interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    /** One request as the server saw it. */
    record Seen(String method, String path, String query, String authorization, String body) {}

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    private volatile Answer fallback = ex -> respond(ex, 404, "{\"error\":{\"code\":\"NotScripted\"}}");
    final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

    Loopback() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            try {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                        ex.getRequestURI().getRawQuery(), ex.getRequestHeaders().getFirst("Authorization"), body));
                Answer a = script.pollFirst();
                (a == null ? fallback : a).answer(ex);
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    Loopback then(Answer a) {
        script.addLast(a);
        return this;
    }

    Loopback then(int status, String json) {
        return then(ex -> respond(ex, status, json));
    }

    Loopback otherwise(Answer a) {
        fallback = a;
        return this;
    }

    static void respond(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
    }

    static Answer withHeader(String name, String value, int status, String json) {
        return ex -> {
            ex.getResponseHeaders().set(name, value);
            respond(ex, status, json);
        };
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    /** Records waits instead of sleeping. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void sleep(Duration d) {
            waits.add(d);
        }
    }
}
