package io.usher.testkit.internal;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK HTTP server on a free loopback port, as the fake identity-provider APIs run it: {@link #bind()} opens
 * the port (so the fake can learn its {@link #base()} before it builds what the handler needs), {@link #start}
 * serves every path with one handler on a pool of daemon threads, {@link #close()} stops both. Thread-safe.
 */
public final class LoopbackHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final URI base;
    private ExecutorService pool;

    private LoopbackHttpServer(HttpServer server) {
        this.server = server;
        this.base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /**
     * Turns on TCP_NODELAY for the JDK's HTTP server unless set explicitly. The JDK server otherwise leaves
     * Nagle's algorithm on, which with delayed ACKs costs ~40 ms per loopback request. The property is read
     * once, when the JDK's server classes first load; a JVM that already started a JDK HTTP server keeps its
     * setting (the fake is then only slower). Call it from the fake's static initializer.
     */
    public static void preferNoDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Opens a free loopback port (backlog 64); nothing is served until {@link #start}. */
    public static LoopbackHttpServer bind() {
        try {
            return new LoopbackHttpServer(
                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64));
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a loopback port", e);
        }
    }

    /** {@code http://127.0.0.1:port/}. */
    public URI base() {
        return base;
    }

    /** Serves every path with {@code handler} on {@code threads} daemon threads named {@code threadName}. */
    public synchronized void start(String threadName, int threads, HttpHandler handler) {
        if (pool != null) {
            throw new IllegalStateException("already started");
        }
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", handler);
        server.start();
    }

    /** Stops serving at once and ends the pool's threads. */
    @Override
    public synchronized void close() {
        server.stop(0);
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
