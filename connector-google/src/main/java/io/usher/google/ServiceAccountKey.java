package io.usher.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usher.core.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * A service account key file as the Google Cloud console downloads it: {@code client_email}, {@code client_id},
 * {@code private_key} (PKCS#8 PEM) and {@code token_uri}. Errors name the field, never the key or the file's
 * content. {@link #toString()} shows the account, not the key. Immutable and thread-safe.
 */
record ServiceAccountKey(String clientEmail, String clientId, RSAPrivateKey privateKey, URI tokenUri) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final URI DEFAULT_TOKEN_URI = URI.create("https://oauth2.googleapis.com/token");

    /** Parses a key file's JSON; {@code key} is the configuration key the JSON came from (for errors). */
    static ServiceAccountKey parse(String json, String key) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ConfigException(key, "is not a service account key file (not JSON)");
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(key, "is not a service account key file (not a JSON object)");
        }
        String type = text(root, "type");
        if (type != null && !type.equals("service_account")) {
            throw new ConfigException(key, "is a key file of type '" + type.replaceAll("[^a-z_]", "?")
                    + "', not a service_account key");
        }
        String email = text(root, "client_email");
        if (email == null || !email.contains("@")) {
            throw new ConfigException(key, "has no client_email");
        }
        String pem = text(root, "private_key");
        if (pem == null) {
            throw new ConfigException(key, "has no private_key");
        }
        String tokenUri = text(root, "token_uri");
        URI uri;
        try {
            uri = tokenUri == null ? DEFAULT_TOKEN_URI : URI.create(tokenUri);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "has a token_uri that is not a URL");
        }
        return new ServiceAccountKey(email, text(root, "client_id"), privateKey(pem, key), uri);
    }

    static RSAPrivateKey privateKey(String pem, String key) {
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new ConfigException(key, "private_key is not a PKCS#8 PEM block (BEGIN PRIVATE KEY)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException ex) {
            throw new ConfigException(key, "private_key is not a readable RSA private key");
        }
    }

    private static String text(JsonNode root, String name) {
        JsonNode n = root.get(name);
        return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }

    @Override
    public String toString() {
        return "ServiceAccountKey[" + clientEmail + ", key=<redacted>]";
    }
}
