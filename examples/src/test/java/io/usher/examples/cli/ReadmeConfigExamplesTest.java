package io.usher.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.usher.core.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code properties} example in the README's CLI reference and in examples/README.md loads and builds a
 * source exactly as {@code usher} does (the file read, {@code ${env:...}} resolved, the connector created and
 * validated; no I/O), so a copied example is at worst wrong about the admin's own servers, never about keys,
 * values or syntax. A {@code connector.keyFile} is pointed at a generated key file.
 */
class ReadmeConfigExamplesTest {
    private static final Pattern BLOCK = Pattern.compile("```properties\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    @TempDir
    Path tmp;

    private static List<String> blocks(Path readme) throws Exception {
        assertThat(readme).as("run from the module directory").exists();
        List<String> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(Files.readString(readme));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private Source load(String block) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = ENV.matcher(block);
        while (m.find()) {
            env.put(m.group(1), "value-of-" + m.group(1));
        }
        String text = block.replaceAll("(?m)^connector\\.keyFile = .*$",
                "connector.keyFile = " + googleKeyFile().toString().replace("\\", "\\\\"));
        Path file = Files.writeString(Files.createTempFile(tmp, "example", ".properties"), text);
        return Sources.build(CliConfig.load(file, env));
    }

    private Path googleKeyFile() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> key = new LinkedHashMap<>();
        key.put("type", "service_account");
        key.put("private_key_id", "0123456789abcdef");
        key.put("private_key", pem);
        key.put("client_email", "usher@project.iam.gserviceaccount.com");
        key.put("client_id", "104857600000000000001");
        key.put("token_uri", "https://oauth2.googleapis.com/token");
        Path p = tmp.resolve("google-key.json");
        Files.writeString(p, new ObjectMapper().writeValueAsString(key));
        return p;
    }

    @Test
    void theCliReferenceHasALoadableExampleForEveryConnectorType() throws Exception {
        List<String> blocks = blocks(Path.of("..", "README.md"));
        List<String> types = new ArrayList<>();
        for (String block : blocks) {
            Source s = load(block);
            types.add(s.connector().type());
        }
        assertThat(types).contains("ldap", "azure", "google", "okta");
    }

    @Test
    void theExamplesReadmeConfigurationLoads() throws Exception {
        List<String> blocks = blocks(Path.of("README.md"));
        assertThat(blocks).isNotEmpty();
        int loginFiles = 0;
        for (String block : blocks) {
            if (block.contains("\njit.")) {
                // explain-login's file (it names IdP files that do not exist here): only its shape is checked
                loginFiles++;
                java.util.Properties p = new java.util.Properties();
                p.load(new java.io.StringReader(block));
                for (String key : p.stringPropertyNames()) {
                    assertThat(key).matches("(source|pipeline|jit|saml|oidc)\\..+|collision|type");
                    assertThat(p.getProperty(key)).as(key + " (a # after a value is part of it)").doesNotContain("#");
                }
                continue;
            }
            Source s = load(block);
            assertThat(s.id()).matches("[A-Za-z0-9._-]+");
        }
        assertThat(loginFiles).as("the explain-login example").isEqualTo(1);
    }
}
