package io.usher.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.usher.core.CollisionPolicy;
import io.usher.core.ProvisioningEngine;
import io.usher.core.Source;
import io.usher.core.store.InMemoryUserStore;
import jakarta.ws.rs.core.Application;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/** The SCIM quick start of the root README, run as written (with Jersey as the host's runtime). */
class ServerReadmeExampleTest {

    @Test
    void quickStartServesScim() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        InMemoryUserStore store = new InMemoryUserStore();
        // --- README: SCIM 2.0 server ---
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                .source(Source.builder("scim").collisions(CollisionPolicy.LINK).build())
                .build();
        InMemoryScimTokenStore tokens = new InMemoryScimTokenStore();            // or a ScimTokenStore over the host's database
        ScimToken.Minted minted = ScimToken.mint("entra-2026-11", Set.of(ScimScope.USERS, ScimScope.GROUPS), null);
        tokens.add(minted.token());                                                // kept: id, SHA-256 digest, scopes, expiry
        String token = minted.secret();                                            // shown once to the admin, for the IdP
        ScimServer scim = ScimServer.builder(engine, "scim")
                .authenticator(BearerTokenAuthenticator.builder().store(tokens).build())
                .rateLimit(RateLimit.of(100, 600, Duration.ofMinutes(1)))          // per token; 429 + Retry-After beyond
                .build();
        Application app = scim.application();
        // --- end ---
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/scim/v2", ContainerFactory.createContainer(HttpHandler.class, ResourceConfig.forApplication(app)));
        http.start();
        try {
            String base = "http://127.0.0.1:" + http.getAddress().getPort() + "/scim/v2";
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/Users"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/scim+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                            + "\"userName\":\"bjensen\",\"name\":{\"givenName\":\"Barbara\",\"familyName\":\"Jensen\"},"
                            + "\"emails\":[{\"value\":\"bjensen@example.com\",\"type\":\"work\",\"primary\":true}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(store.findUserByUsername("bjensen")).isPresent();
            // the rotation the README describes: the revoked token is refused
            tokens.revoke("entra-2026-11");
            HttpResponse<String> revoked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                    + "/Users")).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(revoked.statusCode()).isEqualTo(401);
        } finally {
            http.stop(0);
        }
    }
}
