package io.usher.jit.oidc;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Bounded JSON GETs against a provider's endpoints; errors are {@link OidcException}s naming the endpoint. */
final class HttpJson {
    /** The largest provider document read (JWKS, discovery, UserInfo). */
    static final int MAX_BYTES = 256 * 1024;

    private HttpJson() {}

    static Map<String, Object> get(HttpClient client, URI uri, String bearer, Duration timeout, String what) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET();
        if (bearer != null) {
            rb.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new OidcException(OidcException.Reason.PROVIDER_UNAVAILABLE, what + " could not be fetched: "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OidcException(OidcException.Reason.PROVIDER_UNAVAILABLE, what + " fetch interrupted");
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new OidcException(OidcException.Reason.PROVIDER_UNAVAILABLE, what + " could not be read: "
                    + e.getClass().getSimpleName());
        }
        if (response.statusCode() != 200) {
            throw new OidcException(OidcException.Reason.PROVIDER_UNAVAILABLE, what + " answered HTTP "
                    + response.statusCode());
        }
        if (body.length > MAX_BYTES) {
            throw new OidcException(OidcException.Reason.TOO_LARGE, what + " is larger than " + MAX_BYTES + " bytes");
        }
        return parseObject(new String(body, StandardCharsets.UTF_8), what, OidcException.Reason.MALFORMED);
    }

    static Map<String, Object> parseObject(String json, String what, OidcException.Reason reason) {
        try {
            Map<String, Object> m = JSONObjectUtils.parse(json);
            if (m == null) {
                throw new OidcException(reason, what + " is not a JSON object");
            }
            return m;
        } catch (java.text.ParseException | RuntimeException | StackOverflowError e) {
            if (e instanceof OidcException) {
                throw (OidcException) e;
            }
            throw new OidcException(reason, what + " is not a JSON object");
        }
    }
}
