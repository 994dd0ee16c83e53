package io.usher.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.store.InMemoryUserStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/** The exposure hardening examples of scim/README.md, run as written (Jersey on the JDK's HTTP server). */
class HardeningReadmeExampleTest {

    @Test
    void theHardenedServerOfTheReadmeRefusesAnAddressOutsideItsAllowList() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        ProvisioningEngine engine = ProvisioningEngine.builder().store(new InMemoryUserStore())
                .source(Source.builder("scim").build()).build();
        // --- README: exposure hardening ---
        InMemoryScimTokenStore tokens = new InMemoryScimTokenStore();               // or the host's own ScimTokenStore
        ScimToken.Minted entra = ScimToken.mint("entra-2026-11", Set.of(ScimScope.USERS, ScimScope.GROUPS),
                Instant.parse("2027-11-01T00:00:00Z"));                              // optional expiry
        tokens.add(entra.token());                                                   // id, SHA-256 digest, scopes, expiry
        String secretForTheAdmin = entra.secret();                                   // shown once, never stored

        ThreadLocal<InetAddress> peer = new ThreadLocal<>();                         // the socket's address, see below
        ScimServer scim = ScimServer.builder(engine, "scim")
                .authenticator(BearerTokenAuthenticator.builder().store(tokens).build())
                .ipAllowList(IpAllowList.builder()
                        .allow("20.0.0.0/8", "2603:1000::/24")                       // e.g. the IdP's published ranges
                        .trustedProxies("10.0.0.10", "10.0.0.11")                    // our load balancers
                        .forwardedHeader("X-Forwarded-For")
                        .peerAddress(peer::get)
                        .build())
                .rateLimit(RateLimit.of(100, 600, Duration.ofMinutes(1)))            // per token: bursts of 100, 10/s
                .build();
        // --- end ---
        assertThat(tokens.findByDigest(ScimToken.digestOf(secretForTheAdmin))).contains(entra.token());
        assertThat(tokens.tokens().toString()).doesNotContain(secretForTheAdmin);

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // --- README: the socket's address on the JDK's HttpServer ---
        HttpHandler jersey = ContainerFactory.createContainer(HttpHandler.class, ResourceConfig.forApplication(scim.application()));
        server.createContext("/scim/v2", exchange -> {
            peer.set(exchange.getRemoteAddress().getAddress());
            try { jersey.handle(exchange); } finally { peer.remove(); }
        });
        // --- end ---
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/scim/v2";
            HttpClient client = HttpClient.newHttpClient();
            // loopback is neither allowed nor a trusted proxy: refused, whatever it forwards
            for (String forwarded : new String[] {"20.1.2.3", "198.51.100.7"}) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/Users"))
                        .header("Authorization", "Bearer " + secretForTheAdmin).header("X-Forwarded-For", forwarded)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(403);
                assertThat(r.body()).contains("not allowed").doesNotContain(secretForTheAdmin);
            }
        } finally {
            server.stop(0);
        }
    }
}
