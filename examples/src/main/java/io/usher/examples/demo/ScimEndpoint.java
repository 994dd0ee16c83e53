package io.usher.examples.demo;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.usher.scim.ScimServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * A {@link ScimServer} mounted at {@code /scim/v2} on Jersey over the JDK's HTTP server, on a free port of the
 * loopback address, as a host would run it (the SCIM module's own tests start Jersey the same way).
 * Thread-safe; {@link #close()} stops it.
 */
final class ScimEndpoint implements AutoCloseable {
    static final String PATH = "/scim/v2";
    private final HttpServer http;
    private final ExecutorService executor;

    private ScimEndpoint(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    static ScimEndpoint start(ScimServer scim) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on a loopback port for SCIM", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "demo-scim");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext(PATH, ContainerFactory.createContainer(HttpHandler.class,
                ResourceConfig.forApplication(scim.application())
                .property(ServerProperties.WADL_FEATURE_DISABLE, true)));
        http.start();
        return new ScimEndpoint(http, executor);
    }

    /** {@code http://127.0.0.1:<port>/scim/v2}. */
    String baseUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + PATH;
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
